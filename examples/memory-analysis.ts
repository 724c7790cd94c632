/**
 * The seeds' memory-analysis cache as a recipe on kit.cache: an expensive analysis cached for
 * 2 hours per user, computed once however many callers ask at once, and invalidated the moment
 * that user's memories change (a tag per user: one write, whatever the number of entries).
 *
 *   npx tsx examples/memory-analysis.ts                                      (memory store)
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/memory-analysis.ts     (Redis)
 */
import { createKit } from '../src/index.js'

const kit = createKit({ prefix: `example:analysis:${process.pid}:` })
const show = (label: string, value: unknown) => console.log(`  ${label.padEnd(44)} ${JSON.stringify(value)}`)

const memories = new Map<string, string[]>([['u1', ['flew over the sea', 'lost a tooth', 'flew again']]])
let analyses = 0
/** Stands in for a 10-30 s pattern analysis over a user's memories. */
async function analyzeMemories(userId: string) {
  analyses++
  await new Promise((resolve) => setTimeout(resolve, 300))
  const words = (memories.get(userId) ?? []).flatMap((m) => m.split(' '))
  const counts = new Map<string, number>()
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1)
  const themes = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([w]) => w)
  return { userId, memories: memories.get(userId)?.length ?? 0, themes }
}

/** The recipe: 2 h TTL, tagged with the user's memories. */
const memoryAnalysis = (userId: string) =>
  kit.cache.getOrSet(`analysis:memories:${userId}`, () => analyzeMemories(userId), {
    ttl: '2h',
    tags: [`memories:${userId}`],
  })

/** Whatever changes a user's memories invalidates the analyses built from them. */
async function addMemory(userId: string, memory: string) {
  memories.set(userId, [...(memories.get(userId) ?? []), memory])
  await kit.cache.invalidateTags([`memories:${userId}`])
}

console.log(`memory analysis cache on ${kit.store.name}\n`)
let t = performance.now()
const results = await Promise.all(Array.from({ length: 20 }, () => memoryAnalysis('u1')))
show('20 concurrent requests: analyses run, ms', [analyses, Math.round(performance.now() - t)])
show('analysis', results[0])
t = performance.now()
await memoryAnalysis('u1')
show('again (cached for 2 h): analyses run, ms', [analyses, Math.round(performance.now() - t)])
await addMemory('u1', 'flew to the moon')
show('after a new memory: fresh analysis', await memoryAnalysis('u1'))
show('analyses run', analyses)

await kit.cache.clear()
await kit.close()
