/**
 * bench/llm-cache.ts — the LLM cache against a simulated 2 s model call, in one run, on
 * 127.0.0.1: a hit from the L1, from Redis (no L1) and from the memory store; the overhead a miss
 * adds over calling the model directly, next to one Redis round trip; stream replay; a semantic
 * lookup over 1,000 cached prompts; 100 concurrent identical prompts through 2 kits (2 clients).
 * Run: npx tsx bench/llm-cache.ts (uses REDIS_URL, or starts its own redis-server). Bounded: ~20 s.
 *
 * Targets (issue 5): a hit is < 50 ms against a 2-5 s call; a miss adds < 1 ms + one round trip.
 */
import { cpus, loadavg } from 'node:os'
import { Redis } from 'ioredis'
import { createKit, type Kit } from '../src/index.js'
import { benchRedis, compare, fmt, type Measure, sequential } from './harness.js'

const MODEL_MS = 2000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const completion = (text: string) => ({
  choices: [{ message: { role: 'assistant', content: text } }],
  usage: { prompt_tokens: 1200, completion_tokens: 300 },
})
type Req = { messages: { role: string; content: string }[]; model: string; temperature: number }
const req = (content: string): Req => ({
  messages: [{ role: 'user', content }],
  model: 'gpt-4o',
  temperature: 0,
})
const slowModel = async (r: Req) => {
  await sleep(MODEL_MS)
  return completion(`answer to ${r.messages[0]!.content}`)
}
const instantModel = async (r: Req) => completion(`answer to ${r.messages[0]!.content}`)
const toyEmbed = (text: string) => {
  const v = new Array<number>(256).fill(0)
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
    v[[...word].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7) % 256]! += 1
  return v
}

const { url, stop } = await benchRedis()
const prefix = `bench:llm:${process.pid}:`
const kits: Kit[] = []
const kit = (options: Parameters<typeof createKit>[0]) => {
  const k = createKit({ prefix, ...options })
  kits.push(k)
  return k
}
const l1 = kit({ redis: url })
const l2 = kit({ redis: url, cache: { l1: false } })
const mem = kit({ redis: false })
await Promise.all([l1.cache.ready(), l2.cache.ready()])

const rows: string[] = []
const row = (name: string, m: Partial<Measure>, vs: string, target: string) =>
  rows.push(`| ${name} | ${fmt(m.p50Us, 2)} | ${fmt(m.p99Us, 2)} | ${fmt(m.opsPerSec)} | ${vs} | ${target} |`)

// the first call of each pays the 2 s model; the three run side by side
const question = req('What is a Redis stream?')
const [wl1, wl2, wmem] = [l1.llm.wrap(slowModel), l2.llm.wrap(slowModel), mem.llm.wrap(slowModel)]
const t0 = performance.now()
await Promise.all([wl1(question), wl2(question), wmem(question)])
const missMs = performance.now() - t0
row('simulated model call (miss)', { p50Us: missMs * 1000, opsPerSec: 1000 / missMs }, '1x', '')
for (const [name, wrapped, count] of [
  ['hit, L1 (kit on Redis)', wl1, 20_000],
  ['hit, Redis (l1: false)', wl2, 5_000],
  ['hit, memory store', wmem, 20_000],
] as const) {
  const m = await sequential(name, count, () => wrapped(question))
  row(name, m, `${fmt((MODEL_MS * 1000) / m.p50Us!, 0)}x faster`, '< 50 ms')
  if (name !== 'hit, memory store')
    compare({
      area: 'LLM cache',
      case: `llm.wrap ${name}, p50 µs`,
      ours: m.p50Us!,
      peer: `no cache: the model call (simulated, ${MODEL_MS / 1000} s)`,
      theirs: missMs * 1000,
      ratio: `${fmt((missMs * 1000) / m.p50Us!, 0)}x faster`,
    })
}
const seedHit = await sequential('get (seeds API), L1', 20_000, () =>
  l1.cache.getCachedLLMResponse(question.messages, { model: 'gpt-4o', temperature: 0 }),
)
row(
  'getCachedLLMResponse hit, L1',
  seedHit,
  `${fmt((MODEL_MS * 1000) / seedHit.p50Us!, 0)}x faster`,
  '< 50 ms',
)

// miss overhead: an instant model, direct vs wrapped (a new prompt each call), and one round trip
const raw = new Redis(url)
const rtt = await sequential('PING', 3000, () => raw.ping())
const direct = await sequential('model direct', 3000, (i) => instantModel(req(`direct ${i}`)))
const wrapped = l1.llm.wrap(instantModel)
let n = 0
const viaCache = await sequential('model via wrap (miss)', 3000, () =>
  wrapped(req(`miss ${process.pid} ${n++}`)),
)
// the same, each miss alone (the previous one's write and bus message settled first), as when
// misses are separated by real model calls
const alone = new Float64Array(2000)
for (let i = 0; i < alone.length; i++) {
  await l1.llm.settle()
  const t = performance.now()
  await wrapped(req(`alone ${process.pid} ${i}`))
  alone[i] = (performance.now() - t) * 1000
}
alone.sort()
const isolated = { p50Us: alone[1000]!, p99Us: alone[1980]! }
const target = `< ${fmt(1000 + rtt.p50Us!, 0)} µs`
const chatReq = {
  messages: [
    { role: 'system', content: 'You are a helpful assistant. Answer briefly and cite sources.' },
    { role: 'user', content: 'What is the difference between Redis streams and pub/sub?' },
  ],
  model: 'gpt-4o',
  temperature: 0,
  max_tokens: 500,
}
const keying = await sequential('keyOf', 20_000, () => l1.llm.keyOf(chatReq.messages, chatReq))
row('key of a 2-message request (canonical form + SHA-256)', keying, '', '')
let g = 0
const getOrSet = await sequential('getOrSet miss', 3000, () =>
  l1.cache.getOrSet(`bench-gos:${process.pid}:${g++}`, () => ({ v: 1 })),
)
row('Redis round trip (PING)', rtt, '', '')
row('the cache underneath: getOrSet miss, instant loader', getOrSet, '', '')
row(
  'miss through wrap, back to back',
  viaCache,
  `+${fmt(viaCache.p50Us! - direct.p50Us!, 0)} µs over direct`,
  target,
)
row(
  'miss through wrap, one at a time',
  isolated,
  `+${fmt(isolated.p50Us - direct.p50Us!, 0)} µs over direct`,
  target,
)
compare({
  area: 'LLM cache',
  case: 'what a miss adds over calling the model directly, p50 µs',
  ours: `+${fmt(isolated.p50Us - direct.p50Us!, 0)}`,
  peer: 'one Redis round trip (PING)',
  theirs: rtt.p50Us!,
  ratio: `${((isolated.p50Us - direct.p50Us!) / rtt.p50Us!).toFixed(1)} round trips`,
})

// streams: a 50-chunk stream, replayed from the cache
async function* streamModel(_r: Req) {
  for (let i = 0; i < 50; i++) {
    await sleep(MODEL_MS / 50)
    yield { choices: [{ delta: { content: ` w${i}` } }] }
  }
}
const ws = l1.llm.wrapStream(streamModel)
for await (const _ of ws(question));
await l1.llm.settle()
const replay = await sequential('stream replay', 5000, async () => {
  for await (const _ of ws(question));
})
row('stream hit, 50 chunks replayed (L1)', replay, `${fmt((MODEL_MS * 1000) / replay.p50Us!, 0)}x faster`, '')

// semantic: 1,000 cached prompts in one partition, near-duplicate lookups
const sem = kit({ redis: url, llm: { semantic: { embed: toyEmbed, threshold: 0.9, maxEntries: 1000 } } })
const topics = Array.from(
  { length: 1000 },
  (_, i) => `question number ${i} about topic t${i} and subject s${i * 7}`,
)
for (let i = 0; i < topics.length; i += 100)
  await Promise.all(
    topics.slice(i, i + 100).map((t) => sem.llm.set([{ role: 'user', content: t }], { model: 'm' }, t)),
  )
let j = 0
const near = await sequential('semantic hit', 2000, () =>
  sem.llm.get([{ role: 'user', content: `${topics[j++ % 1000]} ?`.toUpperCase() }], { model: 'm' }),
)
row(
  'semantic hit (exact miss + 1,000-vector scan)',
  near,
  `${fmt((MODEL_MS * 1000) / near.p50Us!, 0)}x faster`,
  '< 50 ms',
)

// stampede: 100 concurrent identical prompts, 50 through each of two kits (own clients, one process)
let calls = 0
const counted = async (r: Req) => {
  calls++
  return slowModel(r)
}
const [a, b] = [kit({ redis: url }).llm.wrap(counted), kit({ redis: url }).llm.wrap(counted)]
const s0 = performance.now()
await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b)(req('stampede'))))
const stampedeMs = performance.now() - s0
rows.push(
  `| 100 concurrent identical prompts, 2 kits (2 clients) | ${fmt(stampedeMs * 1000, 0)} (wall) | | | ${calls} model call | 1 |`,
)
compare({
  area: 'LLM cache',
  case: '100 concurrent identical prompts through 2 kits (separate Redis clients): model calls',
  ours: calls,
  peer: 'no cache',
  theirs: 100,
  ratio: `wall ${fmt(stampedeMs, 0)} ms (one model call: ${MODEL_MS} ms)`,
})

console.log(
  `## LLM cache — simulated ${MODEL_MS / 1000} s model (Node ${process.version}, ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)})\n`,
)
console.log('| case | p50 µs | p99 µs | ops/s | vs the model call | target |')
console.log('|---|---|---|---|---|---|')
for (const r of rows) console.log(r)
console.log('\nstats of the L1 kit:', JSON.stringify({ ...l1.llm.stats(), byModel: undefined }))

await Promise.all(kits.map((k) => k.llm.clear()))
await raw.quit()
await Promise.all(kits.map((k) => k.close()))
await stop()
