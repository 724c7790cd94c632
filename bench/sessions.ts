/**
 * bench/sessions.ts — sessions against raw ioredis and against connect-redis 9 (on node-redis,
 * the only client it accepts), in one run on the same redis-server. Run: npx tsx bench/sessions.ts
 * (uses REDIS_URL, or starts its own redis-server).
 *
 * One op = create + get of the same express-session-shaped JSON (~280 bytes). The floor is raw
 * ioredis SET EX + GET + JSON.stringify/parse. Reads alone (what most requests do) are measured
 * too. Every variant runs in turn, 5 times; each ratio is the median of the ratios within one
 * repetition (see `rounds` in harness.ts). Targets (issue 7): create+get ≥ 0.9x the floor
 * (connect-redis measured 0.72x); the express Store ≥ connect-redis through the same Store API.
 * Also measured: a raw EVALSHA of LEAST_CREATE + GET, the least Redis does for a create with
 * server-side timeouts and a count() that does not scan (the clock, the record, the index).
 */
import { randomBytes } from 'node:crypto'
import { RedisStore as ConnectRedis } from 'connect-redis'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { createSessions } from '../src/sessions/index.js'
import { createFailoverStore } from '../src/stores/failover/index.js'
import { createRedisStore } from '../src/stores/redis.js'
import type { Store } from '../src/stores/types.js'
import { benchRedis, compareOps, concurrent, type Measure, rounds, sequential, table } from './harness.js'

const SEQ = 2_000
const CONC = 10_000
const REPS = 5
const IN_FLIGHT = 200
const RUN = randomBytes(4).toString('hex')
/** TIME, the record (SET PX) and its entry in a count index (ZADD): no decision, no encoding. */
const LEAST_CREATE = `local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], now + ARGV[2], ARGV[3])
return 1`

const session = () => ({
  cookie: {
    originalMaxAge: 86_400_000,
    expires: new Date(Date.now() + 86_400_000),
    httpOnly: true,
    path: '/',
  },
  userId: 'user-4242',
  csrf: 'b1a9e2c0d3f4a5b6c7d8e9f0a1b2c3d4',
  cart: [{ sku: 'A-100', qty: 2 }],
  flash: [],
  views: 7,
})
const ids = Array.from({ length: 1000 }, () => randomBytes(24).toString('base64url'))
const promised = (fn: (cb: (err: unknown, result?: unknown) => void) => void) =>
  new Promise((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result))))

const { url, stop } = await benchRedis()
const raw = new Redis(url)
const redisStore = createRedisStore(url)
const failoverStore = createFailoverStore({ primary: createRedisStore(url) })
const nodeRedis = createClient({ url })
await nodeRedis.connect()
const connectRedis = new ConnectRedis({ client: nodeRedis, prefix: `bench:${RUN}:connect:` })
const sessions = createSessions(redisStore, { prefix: `bench:${RUN}:kit:` })
const onFailover = createSessions(failoverStore, { prefix: `bench:${RUN}:failover:` })
const express = sessions.expressStore()

const rawCreateGet = async (i: number) => {
  const key = `bench:${RUN}:raw:${ids[i % ids.length]}`
  await raw.set(key, JSON.stringify(session()), 'EX', 86_400)
  JSON.parse((await raw.get(key))!)
}
let leastSha = ''
let leastMember = 0
const leastCreateGet = async (i: number) => {
  const key = `bench:${RUN}:least:${ids[i % ids.length]}`
  const index = `bench:${RUN}:least-index`
  await raw.evalsha(leastSha, 2, key, index, JSON.stringify(session()), 86_400_000, `m${leastMember++}`)
  JSON.parse((await raw.get(key))!)
}
const kitCreateGet = (s: typeof sessions) => async () => {
  const { id } = await s.create(session())
  await s.get(id)
}
const connectSetGet = async (i: number) => {
  const sid = ids[i % ids.length]!
  await connectRedis.set(sid, session() as never)
  await connectRedis.get(sid)
}
const expressSids = Array.from({ length: 1000 }, () => randomBytes(24).toString('base64url'))
let kitIds: string[] = []
const rawGet = async (i: number) => JSON.parse((await raw.get(`bench:${RUN}:raw:${ids[i % ids.length]}`))!)
const kitGet = (i: number) => sessions.get(kitIds[i % kitIds.length]!)
const connectGet = (i: number) => connectRedis.get(ids[i % ids.length]!)
const expressGet = (i: number) => promised((cb) => express.get(expressSids[i % expressSids.length]!, cb))
// ids drawn before the run, as connect-redis's are: a randomBytes(24) per call costs 5-7 us here,
// which the comparison would charge to the Store. Each set is still a create (the data carries
// no version), as for a session express-session has just made.
const newSids = Array.from({ length: CONC }, () => randomBytes(24).toString('base64url'))
const expressSetGet = async (i: number) => {
  const sid = newSids[i % newSids.length]!
  await promised((cb) => express.set(sid, session(), cb))
  await promised((cb) => express.get(sid, cb))
}

async function cleanup(store: Store) {
  for await (const keys of store.scan({ match: `bench:${RUN}:*`, count: 1000 })) {
    if (keys.length > 0) await Promise.all(keys.map((k) => store.del([k])))
  }
}

try {
  type Run = [string, () => Promise<Measure>]
  const seq = (name: string, fn: (i: number) => Promise<unknown>): Run => [
    `${name} (sequential)`,
    () => sequential(`${name} (sequential)`, SEQ, fn),
  ]
  const conc = (name: string, fn: (i: number) => Promise<unknown>): Run => [
    `${name} (${IN_FLIGHT} in flight)`,
    () => concurrent(`${name} (${IN_FLIGHT} in flight)`, CONC, IN_FLIGHT, fn),
  ]
  // what reads need: one session per id, created once
  for (let i = 0; i < ids.length; i++) {
    await rawCreateGet(i)
    await connectSetGet(i)
    await promised((cb) => express.set(expressSids[i]!, session(), cb))
  }
  leastSha = (await raw.script('LOAD', LEAST_CREATE)) as string
  kitIds = await Promise.all(ids.map(async () => (await sessions.create(session())).id))
  const variants: [string, (i: number) => Promise<unknown>][] = [
    ['sessions create+get', kitCreateGet(sessions)],
    ['ioredis SET EX + GET', rawCreateGet],
    ['ioredis EVALSHA of TIME + SET PX + ZADD, + GET', leastCreateGet],
    ['create+get on FailoverStore', kitCreateGet(onFailover)],
    ['connect-redis set+get', connectSetGet],
    ['expressStore set+get', expressSetGet],
    ['sessions get', kitGet],
    ['ioredis GET', rawGet],
    ['expressStore get', expressGet],
    ['connect-redis get', connectGet],
  ]
  // every variant in turn, REPS times: ratios are taken within a repetition (see `rounds`)
  const r = await rounds(REPS, [
    ...variants.map(([name, fn]) => seq(name, fn)),
    ...variants.map(([name, fn]) => conc(name, fn)),
  ])
  const row = (ours: string, base: string, target: string): [Measure, Measure, string, number] => [
    r.measure(ours),
    r.measure(base),
    target,
    r.ratio(ours, base),
  ]
  const both = (ours: string, base: string, target: string) => [
    row(`${ours} (sequential)`, `${base} (sequential)`, target),
    row(`${ours} (${IN_FLIGHT} in flight)`, `${base} (${IN_FLIGHT} in flight)`, target),
  ]
  const rows = [
    ...both('sessions create+get', 'ioredis SET EX + GET', '≥ 0.9x'),
    ...both('sessions get', 'ioredis GET', ''),
    ...both('create+get on FailoverStore', 'ioredis SET EX + GET', '(kit default store)'),
    ...both('connect-redis set+get', 'ioredis SET EX + GET', '(0.72x / 0.66x measured)'),
    ...both('expressStore set+get', 'connect-redis set+get', '≥ 1.0x'),
    ...both('expressStore get', 'connect-redis get', '≥ 1.0x'),
    ...both('sessions create+get', 'connect-redis set+get', '≥ 1.0x'),
    ...both('ioredis EVALSHA of TIME + SET PX + ZADD, + GET', 'ioredis SET EX + GET', '(the least)'),
    ...both('sessions create+get', 'ioredis EVALSHA of TIME + SET PX + ZADD, + GET', ''),
  ]
  console.log(
    table(
      `Sessions (Node ${process.version}, same redis-server, ${REPS} interleaved repetitions: ops/s of the median one, ratios the median within one)`,
      rows,
    ),
  )
  // headline rows of the report: create+get vs the raw floor and vs connect-redis
  compareOps('sessions', [rows[0]!, rows[1]!, rows[12]!, rows[13]!, rows[16]!, rows[17]!])
} finally {
  await cleanup(redisStore)
  await redisStore.close()
  await failoverStore.close()
  raw.disconnect()
  await nodeRedis.quit()
  await stop()
}
