/**
 * bench/sessions.ts — sessions against raw ioredis and against connect-redis 9 (on node-redis,
 * the only client it accepts), in one run on the same redis-server. Run: npx tsx bench/sessions.ts
 * (uses REDIS_URL, or starts its own redis-server).
 *
 * One op = create + get of the same express-session-shaped JSON (~280 bytes). The floor is raw
 * ioredis SET EX + GET + JSON.stringify/parse. Reads alone (what most requests do) are measured
 * too. Targets (issue 7): create+get ≥ 0.9x the floor (connect-redis measured 0.72x); the express
 * Store ≥ connect-redis through the same Store API.
 */
import { randomBytes } from 'node:crypto'
import { RedisStore as ConnectRedis } from 'connect-redis'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { createSessions } from '../src/sessions/index.js'
import { createFailoverStore } from '../src/stores/failover/index.js'
import { createRedisStore } from '../src/stores/redis.js'
import type { Store } from '../src/stores/types.js'
import { benchRedis, best, compareOps, concurrent, type Measure, sequential, table } from './harness.js'

const SEQ = 4_000
const CONC = 20_000
const IN_FLIGHT = 200
const RUN = randomBytes(4).toString('hex')

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
const expressSetGet = async () => {
  const sid = randomBytes(24).toString('base64url') // a new session each time, as express-session makes
  await promised((cb) => express.set(sid, session(), cb))
  await promised((cb) => express.get(sid, cb))
}

async function cleanup(store: Store) {
  for await (const keys of store.scan({ match: `bench:${RUN}:*`, count: 1000 })) {
    if (keys.length > 0) await Promise.all(keys.map((k) => store.del([k])))
  }
}

try {
  const pair = async (
    name: string,
    baseName: string,
    ours: (i: number) => Promise<unknown>,
    base: (i: number) => Promise<unknown>,
  ): Promise<[Measure, Measure, Measure, Measure]> => [
    await best(3, () => sequential(`${name} (sequential)`, SEQ, ours)),
    await best(3, () => sequential(`${baseName} (sequential)`, SEQ, base)),
    await best(3, () => concurrent(`${name} (${IN_FLIGHT} in flight)`, CONC, IN_FLIGHT, ours)),
    await best(3, () => concurrent(`${baseName} (${IN_FLIGHT} in flight)`, CONC, IN_FLIGHT, base)),
  ]
  const [kitSeq, rawSeq, kitConc, rawConc] = await pair(
    'sessions create+get',
    'ioredis SET EX + GET',
    kitCreateGet(sessions),
    rawCreateGet,
  )
  // reads: what every request does (the session was created once)
  for (let i = 0; i < ids.length; i++) {
    await rawCreateGet(i)
    await connectSetGet(i)
    await promised((cb) => express.set(expressSids[i]!, session(), cb))
  }
  kitIds = await Promise.all(ids.map(async () => (await sessions.create(session())).id))
  const [kitGetSeq, rawGetSeq, kitGetConc, rawGetConc] = await pair(
    'sessions get',
    'ioredis GET',
    kitGet,
    rawGet,
  )
  const [expGetSeq, connGetSeq, expGetConc, connGetConc] = await pair(
    'expressStore get',
    'connect-redis get',
    expressGet,
    connectGet,
  )
  const failSeq = await best(3, () =>
    sequential('create+get on FailoverStore (sequential)', SEQ, kitCreateGet(onFailover)),
  )
  const failConc = await best(3, () =>
    concurrent(
      `create+get on FailoverStore (${IN_FLIGHT} in flight)`,
      CONC,
      IN_FLIGHT,
      kitCreateGet(onFailover),
    ),
  )
  const connSeq = await best(3, () => sequential('connect-redis set+get (sequential)', SEQ, connectSetGet))
  const connConc = await best(3, () =>
    concurrent(`connect-redis set+get (${IN_FLIGHT} in flight)`, CONC, IN_FLIGHT, connectSetGet),
  )
  const expSeq = await best(3, () => sequential('expressStore set+get (sequential)', SEQ, expressSetGet))
  const expConc = await best(3, () =>
    concurrent(`expressStore set+get (${IN_FLIGHT} in flight)`, CONC, IN_FLIGHT, expressSetGet),
  )
  console.log(
    table(`Sessions (Node ${process.version}, same redis-server, best of 3)`, [
      [kitSeq, rawSeq, '≥ 0.9x'],
      [kitConc, rawConc, '≥ 0.9x'],
      [kitGetSeq, rawGetSeq, ''],
      [kitGetConc, rawGetConc, ''],
      [failSeq, rawSeq, '(kit default store)'],
      [failConc, rawConc, '(kit default store)'],
      [connSeq, rawSeq, '(0.72x measured)'],
      [connConc, rawConc, '(0.66x measured)'],
      [expSeq, connSeq, '≥ 1.0x'],
      [expConc, connConc, '≥ 1.0x'],
      [expGetSeq, connGetSeq, '≥ 1.0x'],
      [expGetConc, connGetConc, '≥ 1.0x'],
      [kitSeq, connSeq, '≥ 1.0x'],
      [kitConc, connConc, '≥ 1.0x'],
    ]),
  )
  // headline rows of the report: create+get vs the raw floor and vs connect-redis
  compareOps('sessions', [
    [kitSeq, rawSeq],
    [kitConc, rawConc],
    [kitSeq, connSeq],
    [kitConc, connConc],
  ])
} finally {
  await cleanup(redisStore)
  await redisStore.close()
  await failoverStore.close()
  raw.disconnect()
  await nodeRedis.quit()
  await stop()
}
