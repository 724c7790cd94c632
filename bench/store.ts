/**
 * bench/store.ts — RedisStore against raw ioredis on the same server, and MemoryStore against raw
 * lru-cache, in one run. Run: npm run bench:store (uses REDIS_URL, or starts its own redis-server).
 * Targets (issue 2): RedisStore latency within 1.10x of ioredis (ratio of ops/s ≥ 0.91), throughput
 * with 100 concurrent callers ≥ 1.0x, MemoryStore get ≥ 0.33x of lru-cache get.
 */
import { Redis } from 'ioredis'
import { LRUCache } from 'lru-cache'
import { createMemoryStore, createRedisStore } from '../src/index.js'
import { benchRedis, best, compareOps, concurrent, sequential, syncLoop, table } from './harness.js'

const SEQ = 20_000
const CONC = 100_000
const MEM = 1_000_000
const value = JSON.stringify({ id: 42, name: 'bench', tags: ['a', 'b', 'c'], at: new Date(0).toISOString() })

const { url, stop } = await benchRedis()
const raw = new Redis(url)
const store = createRedisStore(url)
const key = (i: number) => `bench:store:${i % 1000}`
try {
  await raw.set(key(0), value)
  for (let i = 0; i < 1000; i++) await raw.set(key(i), value)

  const rows: [Awaited<ReturnType<typeof sequential>>, Awaited<ReturnType<typeof sequential>>, string][] = []
  rows.push([
    await best(3, () => sequential('RedisStore get (sequential)', SEQ, (i) => store.get(key(i)))),
    await best(3, () => sequential('ioredis get', SEQ, (i) => raw.get(key(i)))),
    '≥ 0.91x',
  ])
  rows.push([
    await best(3, () => sequential('RedisStore set (sequential)', SEQ, (i) => store.set(key(i), value))),
    await best(3, () => sequential('ioredis set', SEQ, (i) => raw.set(key(i), value))),
    '≥ 0.91x',
  ])
  rows.push([
    await best(3, () => concurrent('RedisStore get (100 in flight)', CONC, 100, (i) => store.get(key(i)))),
    await best(3, () => concurrent('ioredis get (100 in flight)', CONC, 100, (i) => raw.get(key(i)))),
    '≥ 1.0x',
  ])
  rows.push([
    await best(3, () =>
      concurrent('RedisStore set (100 in flight)', CONC, 100, (i) => store.set(key(i), value)),
    ),
    await best(3, () => concurrent('ioredis set (100 in flight)', CONC, 100, (i) => raw.set(key(i), value))),
    '≥ 1.0x',
  ])

  const memory = createMemoryStore()
  const lru = new LRUCache<string, string>({ max: 100_000 })
  for (let i = 0; i < 1000; i++) {
    await memory.set(key(i), value)
    lru.set(key(i), value)
  }
  rows.push([
    await best(3, () => sequential('MemoryStore get (awaited)', MEM, (i) => memory.get(key(i)))),
    await best(3, () => syncLoop('lru-cache get (sync)', MEM, (i) => lru.get(key(i)))),
    '≥ 0.33x',
  ])
  rows.push([
    await best(3, () => sequential('MemoryStore set (awaited)', MEM / 4, (i) => memory.set(key(i), value))),
    await best(3, () => syncLoop('lru-cache set (sync)', MEM / 4, (i) => lru.set(key(i), value))),
    '',
  ])
  await memory.close()
  console.log(table(`Store vs raw clients (Node ${process.version}, same redis-server)`, rows))
  // headline rows of the report: reads both ways, concurrent writes, the memory store's read
  compareOps('store', [rows[0]!, rows[2]!, rows[3]!, rows[4]!])
} finally {
  await store.close()
  raw.disconnect()
  await stop()
}
