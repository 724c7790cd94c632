/** WRONGTYPE: every command family against a key of another type, and what is not an error. */
import { escapeGlob } from '../internal/keys.js'
import type { Store } from '../stores/types.js'
import type { Suite, TestContext } from './harness.js'

type Call = (store: Store, key: string, other: string) => Promise<unknown>

/** Commands of each family; `key` holds another type, `other` is a key of the same slot. */
const FAMILIES: Record<string, Record<string, Call>> = {
  strings: {
    get: (s, k) => s.get(k),
    getBuffer: (s, k) => s.getBuffer(k),
    incrby: (s, k) => s.incrby(k, 1),
    incrbyfloat: (s, k) => s.incrbyfloat(k, 1),
    getdel: (s, k) => s.getdel(k),
  },
  hashes: {
    hset: (s, k) => s.hset(k, { f: 'v' }),
    hget: (s, k) => s.hget(k, 'f'),
    hmget: (s, k) => s.hmget(k, ['f']),
    hgetall: (s, k) => s.hgetall(k),
    hdel: (s, k) => s.hdel(k, ['f']),
    hincrby: (s, k) => s.hincrby(k, 'f', 1),
  },
  sets: {
    sadd: (s, k) => s.sadd(k, ['m']),
    srem: (s, k) => s.srem(k, ['m']),
    smembers: (s, k) => s.smembers(k),
    sismember: (s, k) => s.sismember(k, 'm'),
    scard: (s, k) => s.scard(k),
  },
  lists: {
    lpush: (s, k) => s.lpush(k, ['v']),
    rpush: (s, k) => s.rpush(k, ['v']),
    lpop: (s, k) => s.lpop(k),
    rpop: (s, k) => s.rpop(k),
    llen: (s, k) => s.llen(k),
    lindex: (s, k) => s.lindex(k, 0),
    lrange: (s, k) => s.lrange(k, 0, -1),
    ltrim: (s, k) => s.ltrim(k, 0, -1),
  },
  'sorted sets': {
    zadd: (s, k) => s.zadd(k, [{ member: 'm', score: 1 }]),
    zincrby: (s, k) => s.zincrby(k, 1, 'm'),
    zscore: (s, k) => s.zscore(k, 'm'),
    zrank: (s, k) => s.zrank(k, 'm'),
    zrange: (s, k) => s.zrange(k, 0, -1),
    zrangeWithScores: (s, k) => s.zrangeWithScores(k, '-inf', '+inf', { by: 'score' }),
    zrem: (s, k) => s.zrem(k, ['m']),
    zcard: (s, k) => s.zcard(k),
    zremrangebyrank: (s, k) => s.zremrangebyrank(k, 0, -1),
    zremrangebyscore: (s, k) => s.zremrangebyscore(k, '-inf', '+inf'),
    'zunionstore (source)': (s, k, other) => s.zunionstore(other, [k]),
  },
  hyperloglog: {
    pfadd: (s, k) => s.pfadd(k, ['a']),
    pfcount: (s, k) => s.pfcount([k]),
    'pfmerge (source)': (s, k, other) => s.pfmerge(other, [k]),
    'pfmerge (destination)': (s, k) => s.pfmerge(k, []),
  },
  bitmaps: {
    setbit: (s, k) => s.setbit(k, 1, 1),
    getbit: (s, k) => s.getbit(k, 1),
    bitcount: (s, k) => s.bitcount(k),
    'bitop (source)': (s, k, other) => s.bitop('OR', other, [k]),
  },
  streams: {
    xadd: (s, k) => s.xadd(k, { f: 'v' }),
    'xadd nomkstream': (s, k) => s.xadd(k, { f: 'v' }, { nomkstream: true }),
    xrange: (s, k) => s.xrange(k, '-', '+'),
    xrevrange: (s, k) => s.xrevrange(k, '+', '-'),
    xlen: (s, k) => s.xlen(k),
    xtrim: (s, k) => s.xtrim(k, { maxlen: 0 }),
    xdel: (s, k) => s.xdel(k, ['1-0']),
    xread: (s, k) => s.xread([[k, '0']]),
    'xread (second stream)': (s, k, other) =>
      s.xread([
        [other, '0'],
        [k, '0'],
      ]),
    xgroupCreate: (s, k) => s.xgroupCreate(k, 'g', '$', { mkstream: true }),
    xgroupDestroy: (s, k) => s.xgroupDestroy(k, 'g'),
    xreadgroup: (s, k) => s.xreadgroup('g', 'c', [[k, '>']]),
    xack: (s, k) => s.xack(k, 'g', ['1-0']),
    xpending: (s, k) => s.xpending(k, 'g'),
    xpendingRange: (s, k) => s.xpendingRange(k, 'g', '-', '+', 1),
    xclaim: (s, k) => s.xclaim(k, 'g', 'c', 0, ['1-0']),
    xautoclaim: (s, k) => s.xautoclaim(k, 'g', 'c', 0, '0'),
    xinfoStream: (s, k) => s.xinfoStream(k),
    xinfoGroups: (s, k) => s.xinfoGroups(k),
  },
}

/** A key of a type that the family does not accept. */
async function foreignKey(t: TestContext, family: string): Promise<string> {
  const k = t.tagged('foreign')
  if (family === 'strings' || family === 'bitmaps' || family === 'hyperloglog')
    await t.store.hset(k, { f: 'v' })
  else if (family === 'sets') await t.store.zadd(k, [{ member: 'm', score: 1 }])
  else if (family === 'hashes' || family === 'sorted sets') await t.store.rpush(k, ['v'])
  else await t.store.set(k, 'text')
  return k
}

export function wrongTypeTests(suite: Suite): void {
  suite.describe('WRONGTYPE', () => {
    for (const [family, calls] of Object.entries(FAMILIES)) {
      suite.test(`${family} commands against a key of another type fail with WRONGTYPE`, async (t) => {
        const k = await foreignKey(t, family)
        const typeBefore = await t.store.type(k)
        for (const [name, call] of Object.entries(calls)) {
          const err = await t.rejects(name, () => call(t.store, k, t.tagged('other')), 'WRONGTYPE')
          t.expect(err.message).toMatch(/WRONGTYPE/)
        }
        t.expect(await t.store.type(k)).toBe(typeBefore)
        t.expect(await t.store.exists([t.tagged('other')])).toBe(0)
      })
    }

    suite.test(
      'a stream is a type of its own: other commands fail on it, type and scan see it',
      async (t) => {
        const k = t.tagged('stream')
        await t.store.xadd(k, { f: 'v' }, { id: '1-0' })
        for (const [name, call] of [
          ['get', () => t.store.get(k)],
          ['incrby', () => t.store.incrby(k, 1)],
          ['hget', () => t.store.hget(k, 'f')],
          ['sadd', () => t.store.sadd(k, ['m'])],
          ['lpush', () => t.store.lpush(k, ['m'])],
          ['zadd', () => t.store.zadd(k, [{ member: 'm', score: 1 }])],
          ['pfadd', () => t.store.pfadd(k, ['a'])],
          ['setbit', () => t.store.setbit(k, 1, 1)],
        ] as const) {
          await t.rejects(`${name} on a stream`, call, 'WRONGTYPE')
        }
        t.expect(await t.store.type(k)).toBe('stream')
        const found = new Set<string>()
        for await (const keys of t.store.scan({ match: escapeGlob(k), type: 'stream' }))
          for (const key of keys) found.add(key)
        t.expect([...found]).toEqual([k])
        t.expect(await t.store.xlen(k)).toBe(1)
        t.expect(await t.store.set(k, 'replaced')).toBe(true)
        t.expect(await t.store.type(k)).toBe('string')
      },
    )

    suite.test('a plain string is not a valid HyperLogLog', async ({ store, expect, tagged, rejects }) => {
      await store.set(tagged('s'), 'hello')
      for (const [label, call] of [
        ['pfadd', () => store.pfadd(tagged('s'), ['x'])],
        ['pfcount', () => store.pfcount([tagged('s')])],
        ['pfmerge', () => store.pfmerge(tagged('d'), [tagged('s')])],
      ] as const) {
        const err = await rejects(`${label} on a plain string`, call, 'WRONGTYPE')
        expect(err.message).toMatch(/Key is not a valid HyperLogLog/)
      }
      expect(await store.get(tagged('s'))).toBe('hello')
    })

    suite.test(
      'set, del, exists, type, ttl and expire work on keys of any type',
      async ({ store, expect, key }) => {
        const [h, s, z] = [key('h'), key('s'), key('z')]
        await store.hset(h, { f: 'v' })
        await store.sadd(s, ['m'])
        await store.zadd(z, [{ member: 'm', score: 1 }])
        expect(await store.expire(s, 100)).toBe(true)
        expect(await store.ttl(s)).toBe(100)
        expect(await store.persist(s)).toBe(true)
        expect(await store.set(h, 'now a string')).toBe(true)
        expect(await store.type(h)).toBe('string')
        expect(await store.get(h)).toBe('now a string')
        expect(await store.set(z, 'x', { nx: true })).toBe(false)
        expect(await store.set(z, 'x', { xx: true })).toBe(true)
        expect(await store.get(z)).toBe('x')
        expect(await store.del([s])).toBe(1)
        const l = key('l')
        await store.rpush(l, ['a'])
        expect(await store.set(l, 'x', { xx: true })).toBe(true)
        expect(await store.type(l)).toBe('string')
      },
    )
  })
}
