/**
 * bench/analytics.ts — analytics and sorted sets against the same work written by hand with raw
 * ioredis, on the same redis-server, in one run (ratio of ops/s: higher is better). Run:
 *   npx tsx bench/analytics.ts        (uses REDIS_URL, or starts its own redis-server)
 * Targets (issue 6): trackEvent within 1.15x of the hand-written pipeline (ratio ≥ 0.87).
 */
import { Redis } from 'ioredis'
import { createAnalytics } from '../src/analytics/index.js'
import { createFailoverStore, createRedisStore } from '../src/index.js'
import { createSortedSets } from '../src/sorted-sets/index.js'
import { benchRedis, best, concurrent, type Measure, sequential, table } from './harness.js'

const SEQ = 10_000
const CONC = 50_000
const DAY = 86_400_000
const { url, stop } = await benchRedis()
const raw = new Redis(url)
const store = createRedisStore(url)
const failover = createFailoverStore({ primary: createRedisStore(url) })
const run = `bench:analytics:${process.pid}:`
const analytics = createAnalytics(store, { prefix: run })
const kitAnalytics = createAnalytics(failover, { prefix: `${run}kit:` })
const user = (i: number) => `user-${i % 5000}`
const today = new Date().toISOString().slice(0, 10)
const dates = Array.from({ length: 30 }, (_, i) =>
  new Date(Date.now() - (29 - i) * DAY).toISOString().slice(0, 10),
)

/** What a careful developer writes by hand for trackEvent: the same keys, one pipeline. */
function rawTrack(event: string, userId: string) {
  const base = `${run}raw:{${event}}`
  const ttl = 92 * 86_400
  return raw
    .pipeline()
    .incrby(`${base}:total`, 1)
    .pfadd(`${base}:users`, userId)
    .incrby(`${base}:count:${today}`, 1)
    .expire(`${base}:count:${today}`, ttl)
    .pfadd(`${base}:users:${today}`, userId)
    .expire(`${base}:users:${today}`, ttl)
    .exec()
}

/** getStats(30 days) by hand: total, all-time uniques, the daily counts, a PFCOUNT per day. */
function rawStats(event: string) {
  const base = `${run}analytics:{${event}}`
  const pipeline = raw.pipeline().get(`${base}:total`).pfcount(`${base}:users`)
  pipeline.mget(dates.map((d) => `${base}:count:${d}`))
  for (const d of dates) pipeline.pfcount(`${base}:users:${d}`)
  return pipeline.exec()
}

/** getTop(10) by hand: the same reply, as { member, score } objects. */
async function rawTop(key: string) {
  const flat = await raw.zrevrange(key, 0, 9, 'WITHSCORES')
  const out: { member: string; score: number }[] = []
  for (let i = 0; i < flat.length; i += 2) out.push({ member: flat[i]!, score: Number(flat[i + 1]) })
  return out
}

/** Redis's own CPU (user + sys, from INFO cpu) per call of `fn`, in µs: what a call costs the server. */
async function serverCpu(count: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const read = async () => {
    const info = await raw.info('cpu')
    return Number(/used_cpu_user:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)![1])
  }
  const before = await read()
  for (let i = 0; i < count; i++) await fn(i)
  return ((await read()) - before) / count / 1e-6
}

try {
  const rows: [Measure, Measure, string][] = []
  rows.push([
    await best(3, () =>
      sequential('trackEvent (sequential)', SEQ, (i) => analytics.trackEvent('chat', user(i))),
    ),
    await best(3, () => sequential('raw pipeline (sequential)', SEQ, (i) => rawTrack('chat', user(i)))),
    '≥ 0.87x',
  ])
  rows.push([
    await best(3, () =>
      concurrent('trackEvent (100 in flight)', CONC, 100, (i) => analytics.trackEvent('chat', user(i))),
    ),
    await best(3, () =>
      concurrent('raw pipeline (100 in flight)', CONC, 100, (i) => rawTrack('chat', user(i))),
    ),
    '≥ 0.87x',
  ])
  rows.push([
    await best(3, () =>
      sequential('trackEvent via FailoverStore (kit)', SEQ, (i) => kitAnalytics.trackEvent('chat', user(i))),
    ),
    await best(3, () => sequential('raw pipeline (sequential)', SEQ, (i) => rawTrack('chat', user(i)))),
    'informative',
  ])

  // 30 days of data for getStats: 200 events a day
  for (const [d, date] of dates.entries()) {
    const at = Date.parse(`${date}T12:00:00Z`)
    await analytics.trackMany(
      Array.from({ length: 200 }, (_, i) => ({ name: 'stats', userId: user(d * 97 + i), at })),
    )
  }
  rows.push([
    await best(3, () => sequential('getStats(30 days)', SEQ / 2, () => analytics.getStats('stats'))),
    await best(3, () => sequential('raw pipeline, 33 commands', SEQ / 2, () => rawStats('stats'))),
    '≥ 0.87x',
  ])

  // getTop(10) of a 100k-member sorted set
  const sortedSets = createSortedSets(store, { prefix: run })
  const board = `${run}sorted-sets:board`
  for (let i = 0; i < 100_000; i += 10_000) {
    const pipeline = raw.pipeline()
    for (let j = i; j < i + 10_000; j++) pipeline.zadd(board, (j * 7919) % 100_003, `member-${j}`)
    await pipeline.exec()
  }
  rows.push([
    await best(3, () => sequential('getTop(10) of 100k', SEQ, () => sortedSets.getTop('board', 10))),
    await best(3, () => sequential('raw ZREVRANGE 0 9 WITHSCORES → objects', SEQ, () => rawTop(board))),
    '≥ 0.91x',
  ])

  // trending reads: a cached union of 24 hourly buckets, and the decayed set
  let clock = Date.now()
  const trend = createSortedSets(store, { prefix: run, now: () => clock })
  for (let h = 0; h < 24; h++) {
    clock = Date.now() - h * 3_600_000
    await Promise.all(
      Array.from({ length: 2000 }, (_, i) => trend.trending.bump('themes', `theme-${(i * 31 + h) % 10_000}`)),
    )
    await Promise.all(
      Array.from({ length: 2000 }, (_, i) => trend.decaying.bump('themes', `theme-${(i * 31 + h) % 10_000}`)),
    )
  }
  clock = Date.now()
  const union = performance.now()
  await trend.trending.top('themes', 10)
  const unionMs = performance.now() - union
  rows.push([
    await best(3, () =>
      sequential('trending.top(10), cached union', SEQ, () => trend.trending.top('themes', 10)),
    ),
    await best(3, () => sequential('decaying.top(10)', SEQ, () => trend.decaying.top('themes', 10))),
    'cached union vs decayed set',
  ])

  console.log(
    table(`Analytics and sorted sets vs raw ioredis (Node ${process.version}, same redis-server)`, rows),
  )
  // ops/s include every pause of a busy machine; the median latency is the steadier comparison
  console.log('\nmedian latency, baseline p50 / ours p50 (higher is better):')
  for (const [ours, base] of rows) {
    if (ours.p50Us && base.p50Us) console.log(`- ${ours.name}: ${(base.p50Us / ours.p50Us).toFixed(2)}x`)
  }
  const cpu = [
    ['trackEvent', await serverCpu(SEQ, (i) => analytics.trackEvent('chat', user(i)))],
    ['raw trackEvent pipeline', await serverCpu(SEQ, (i) => rawTrack('chat', user(i)))],
    ['getStats(30 days)', await serverCpu(SEQ / 2, () => analytics.getStats('stats'))],
    ['raw getStats pipeline', await serverCpu(SEQ / 2, () => rawStats('stats'))],
  ] as const
  console.log('\nRedis CPU per call (INFO cpu, user + sys):')
  for (const [name, us] of cpu) console.log(`- ${name}: ${us.toFixed(1)} µs`)
  console.log(
    `\nunion of 24 hourly buckets (≈10k members), computed once per cache period: ${unionMs.toFixed(1)} ms`,
  )
} finally {
  for await (const keys of store.scan({ match: `${run.replace(/[\\*?[\]]/g, '\\$&')}*` }))
    await store.unlink(keys)
  await store.close()
  await failover.close()
  raw.disconnect()
  await stop()
}
