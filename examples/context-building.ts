/**
 * The seeds' context-building cache as a recipe on kit.cache: the context assembled for a
 * conversation (profile, recent messages, relevant memories) is cached for 30 minutes with two
 * tags, the user and the conversation, so either can be invalidated on its own.
 *
 *   npx tsx examples/context-building.ts                                      (memory store)
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/context-building.ts     (Redis)
 */
import { createKit } from '../src/index.js'

const kit = createKit({ prefix: `example:context:${process.pid}:` })
const show = (label: string, value: unknown) => console.log(`  ${label.padEnd(46)} ${JSON.stringify(value)}`)

let builds = 0
/** Stands in for 0.5-2 s of database reads and ranking. */
async function assembleContext(userId: string, conversationId: string) {
  builds++
  await new Promise((resolve) => setTimeout(resolve, 100))
  return {
    userId,
    conversationId,
    profile: { name: `user ${userId}` },
    recent: ['hi', 'hello'],
    build: builds,
  }
}

/** The recipe: 30 min TTL, tagged by user and by conversation. */
const buildContext = (userId: string, conversationId: string) =>
  kit.cache.getOrSet(`context:${userId}:${conversationId}`, () => assembleContext(userId, conversationId), {
    ttl: '30m',
    tags: [`user:${userId}`, `conversation:${conversationId}`],
  })

console.log(`context-building cache on ${kit.store.name}\n`)
let t = performance.now()
await buildContext('u1', 'c1')
show('first build, ms', Math.round(performance.now() - t))
t = performance.now()
await buildContext('u1', 'c1')
show('cached (30 min), ms', Math.round(performance.now() - t))
await buildContext('u1', 'c2')
show('builds so far (c1, c2)', builds)

// a new message in c1: only that conversation's context is rebuilt
await kit.cache.invalidateTags(['conversation:c1'])
show('after a message in c1: c1 rebuilt (build #)', (await buildContext('u1', 'c1')).build)
show('c2 still cached (build #)', (await buildContext('u1', 'c2')).build)

// the user edits their profile: every context of that user is rebuilt
await kit.cache.invalidateTags(['user:u1'])
show('after a profile edit: c1, c2 rebuilt (build #)', [
  (await buildContext('u1', 'c1')).build,
  (await buildContext('u1', 'c2')).build,
])

await kit.cache.clear()
await kit.close()
