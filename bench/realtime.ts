/**
 * bench/realtime.ts — the real-time layer against raw ioredis, on one redis-server, in one run:
 *   1. publish → subscriber latency, one message in flight (kit pub/sub vs ioredis PUBLISH/SUBSCRIBE)
 *   2. XADD (MAXLEN ~ 1000) latency and rate: kit streams.append vs ioredis XADD
 *   3. publish → SSE client latency with 1,000 SSE clients on loopback (node:http server)
 * Run: npx tsx bench/realtime.ts (uses REDIS_URL, or starts its own redis-server).
 * Targets (issue 8): pub/sub p50 within 1.1x of raw ioredis.
 */
import { request } from 'node:http'
import { Redis } from 'ioredis'
import { createKit, createRedisStore } from '../src/index.js'
import { createPubSub } from '../src/pubsub/index.js'
import { createSse } from '../src/sse/index.js'
import { createStreams } from '../src/streams/index.js'
import { benchRedis, compare, fmt, type Measure } from './harness.js'
import { sseFanOut } from './sse-clients.js'

const MESSAGES = 5000
const APPENDS = 10_000
const payload = { type: 'new_message', content: 'x'.repeat(80), at: 1_700_000_000_000 }

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!

interface Side {
  name: string
  /** One whole operation (a publish and its arrival, an append). */
  run(): Promise<unknown>
}

/**
 * Latency and rate of each side, run alternately (one operation each, in turn) so that they all
 * see the same machine noise, after a warm-up of 1000 rounds.
 */
async function alternate(count: number, sides: Side[]): Promise<Measure[]> {
  for (let i = 0; i < 1000; i++) for (const side of sides) await side.run()
  const samples = sides.map(() => new Float64Array(count))
  for (let i = 0; i < count; i++) {
    for (const [j, side] of sides.entries()) {
      const start = performance.now()
      await side.run()
      samples[j]![i] = performance.now() - start
    }
  }
  return sides.map((side, j) => {
    const sorted = [...samples[j]!].sort((x, y) => x - y)
    const total = sorted.reduce((a, b) => a + b, 0)
    return {
      name: side.name,
      opsPerSec: (count / total) * 1000,
      p50Us: percentile(sorted, 0.5) * 1000,
      p99Us: percentile(sorted, 0.99) * 1000,
    }
  })
}

/** A publish followed by waiting for its arrival at the subscriber. */
function roundTrip(name: string, publish: () => Promise<unknown>) {
  let arrived: (() => void) | undefined
  const side: Side = {
    name,
    run: () =>
      new Promise<void>((resolve) => {
        arrived = resolve
        void publish()
      }),
  }
  return { side, onMessage: () => arrived?.() }
}

/** Headline row of the report (p50 latency: lower is better, so the ratio says so). */
function headline(what: string, ours: Measure, base: Measure) {
  compare({
    area: 'pub/sub, streams',
    case: `${what}, p50 µs`,
    ours: ours.p50Us!,
    peer: base.name,
    theirs: base.p50Us!,
    ratio: `p50 ${(ours.p50Us! / base.p50Us!).toFixed(2)}x the raw client's`,
  })
}

function row(ours: Measure, base: Measure, target: string): string {
  const ratio = ours.p50Us! / base.p50Us!
  return `| ${ours.name} | ${fmt(ours.p50Us)} | ${fmt(ours.p99Us)} | ${fmt(ours.opsPerSec)} | ${base.name} | ${fmt(base.p50Us)} | ${fmt(base.p99Us)} | ${fmt(base.opsPerSec)} | ${ratio.toFixed(2)}x | ${target} |`
}

const { url, stop } = await benchRedis()
const kit = createKit({ redis: url, prefix: `bench:rt:${process.pid}:` })
const plain = createRedisStore(url)
const rawPub = new Redis(url)
const rawSub = new Redis(url)
const safePub = new Redis(url, { commandTimeout: 1000, socketTimeout: 5000, enableOfflineQueue: false })
const safeSub = safePub.duplicate()
const raw = new Redis(url)
const rows: string[] = []
try {
  // 1. pub/sub
  const pubsub = createPubSub(kit.store, { prefix: kit.prefix })
  const kitTrip = roundTrip('kit pubsub (failover store)', () => pubsub.publish('bench', payload))
  await pubsub.subscribe('bench', kitTrip.onMessage)
  const rawTrip = roundTrip('ioredis publish/subscribe', () =>
    rawPub.publish('raw:bench', JSON.stringify(payload)),
  )
  rawSub.on('message', (_channel, message) => {
    JSON.parse(message) // the kit decodes every message: so does the baseline
    rawTrip.onMessage()
  })
  await rawSub.subscribe('raw:bench')
  // the same, with the timeouts every client of the kit has (so that no call can hang)
  const safeTrip = roundTrip('ioredis + commandTimeout, socketTimeout', () =>
    safePub.publish('safe:bench', JSON.stringify(payload)),
  )
  safeSub.on('message', (_channel, message) => {
    JSON.parse(message)
    safeTrip.onMessage()
  })
  await safeSub.subscribe('safe:bench')
  const [kitPubSub, rawPubSub, safePubSub] = await alternate(MESSAGES, [
    kitTrip.side,
    rawTrip.side,
    safeTrip.side,
  ])
  rows.push(row(kitPubSub!, rawPubSub!, 'p50 ≤ 1.1x'), row(kitPubSub!, safePubSub!, 'reported'))
  headline(
    'publish → subscriber, one message in flight (kit on its default failover store)',
    kitPubSub!,
    rawPubSub!,
  )

  // 2. XADD with MAXLEN ~ 1000
  const streams = createStreams(kit.store, { prefix: kit.prefix })
  const plainStreams = createStreams(plain, { prefix: kit.prefix })
  const [kitAppend, plainAppend, rawAppend] = await alternate(APPENDS, [
    { name: 'kit streams.append (failover store)', run: () => streams.append('chat', payload) },
    { name: 'kit streams.append (RedisStore)', run: () => plainStreams.append('chat2', payload) },
    {
      name: 'ioredis xadd MAXLEN ~ 1000',
      run: () =>
        raw.xadd(`${kit.prefix}raw:chat`, 'MAXLEN', '~', '1000', '*', 'data', JSON.stringify(payload)),
    },
  ])
  rows.push(row(kitAppend!, rawAppend!, 'reported'), row(plainAppend!, rawAppend!, 'reported'))
  headline('streams.append, MAXLEN ~ 1000 (kit on its default failover store)', kitAppend!, rawAppend!)
  headline('streams.append, MAXLEN ~ 1000 (kit on RedisStore)', plainAppend!, rawAppend!)

  // 3. publish → 1,000 SSE clients
  const sse = createSse({ pubsub, authorize: () => true })
  const fanOut = await sseFanOut({
    clients: 1000,
    messages: 100,
    handle: (req, res) => void sse.handle(req, res, { live: 'sse' }),
    publish: (i) => pubsub.publish('sse', { i, sentAt: performance.now() }),
    request,
  })
  sse.close()
  await pubsub.close()
  await streams.close()

  console.log(`### Real-time layer vs raw ioredis (Node ${process.version}, one redis-server on loopback)\n`)
  console.log('| case | p50 µs | p99 µs | ops/s | baseline | p50 µs | p99 µs | ops/s | p50 ratio | target |')
  console.log('|---|---|---|---|---|---|---|---|---|---|')
  for (const line of rows) console.log(line)
  console.log(
    `\n| publish → SSE client, ${fanOut.clients} clients × ${fanOut.messages} messages | p50 ${fmt(fanOut.p50Ms * 1000)} µs | p99 ${fmt(fanOut.p99Ms * 1000)} µs | max ${fmt(fanOut.maxMs * 1000)} µs | deliveries ${fanOut.deliveries} (expected ${fanOut.clients * fanOut.messages}) |`,
  )
} finally {
  rawSub.disconnect()
  rawPub.disconnect()
  safeSub.disconnect()
  safePub.disconnect()
  for await (const keys of kit.store.scan({ match: `${kit.prefix}*` })) await kit.store.del(keys)
  raw.disconnect()
  await plain.close()
  await kit.close()
  await stop()
}
