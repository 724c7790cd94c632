/**
 * Keys: DEL/UNLINK/EXISTS counts, EXPIRE/PEXPIRE modes, TTL/PTTL, PERSIST, TYPE, real expiry;
 * and the multi-key commands every store must accept across slots (MGET, DEL, UNLINK, EXISTS),
 * which a cluster store splits per slot and merges back in the caller's order.
 */
import { type Suite, scanAll, sleep } from './harness.js'

export function keyTests(suite: Suite): void {
  suite.describe('keys and expiry', () => {
    suite.test(
      'del/unlink count the keys that existed; exists counts repeats',
      async ({ store, expect, tagged }) => {
        const [a, b, c, missing] = [tagged('a'), tagged('b'), tagged('c'), tagged('missing')]
        await store.set(a, '1')
        await store.hset(b, { f: '1' })
        await store.zadd(c, [{ member: 'm', score: 1 }])
        expect(await store.exists([a, a, missing, b])).toBe(3)
        expect(await store.exists([missing])).toBe(0)
        expect(await store.del([a, a, missing])).toBe(1)
        expect(await store.exists([a])).toBe(0)
        expect(await store.unlink([b, c, missing])).toBe(2)
        expect(await store.exists([b, c])).toBe(0)
        expect(await store.del([missing])).toBe(0)
      },
    )

    suite.test('ttl/pttl: -2 missing, -1 persistent, rounded seconds', async ({ store, expect, key }) => {
      const k = key('k')
      expect(await store.ttl(k)).toBe(-2)
      expect(await store.pttl(k)).toBe(-2)
      await store.set(k, 'v')
      expect(await store.ttl(k)).toBe(-1)
      expect(await store.pttl(k)).toBe(-1)
      expect(await store.pexpire(k, 2900)).toBe(true)
      expect(await store.ttl(k)).toBe(3) // (pttl + 500) / 1000, not a truncation
      const pttl = await store.pttl(k)
      expect(pttl).toBeGreaterThan(2000)
      expect(pttl).toBeLessThanOrEqual(2900)
      expect(await store.expire(k, 100)).toBe(true)
      expect(await store.ttl(k)).toBe(100)
      expect(await store.expire(key('missing'), 100)).toBe(false)
      expect(await store.pexpire(key('missing'), 100)).toBe(false)
    })

    suite.test(
      'expire NX/XX/GT/LT follow Redis 7 (no TTL counts as infinite)',
      async ({ store, expect, key }) => {
        const k = key('k')
        await store.set(k, 'v')
        expect(await store.expire(k, 100, 'XX')).toBe(false)
        expect(await store.expire(k, 100, 'GT')).toBe(false)
        expect(await store.ttl(k)).toBe(-1)
        expect(await store.expire(k, 100, 'LT')).toBe(true)
        expect(await store.ttl(k)).toBe(100)
        expect(await store.expire(k, 50, 'NX')).toBe(false)
        expect(await store.expire(k, 50, 'GT')).toBe(false)
        expect(await store.expire(k, 200, 'GT')).toBe(true)
        expect(await store.ttl(k)).toBe(200)
        expect(await store.expire(k, 300, 'LT')).toBe(false)
        expect(await store.pexpire(k, 150_000, 'LT')).toBe(true)
        expect(await store.ttl(k)).toBe(150)
        expect(await store.expire(k, 10, 'XX')).toBe(true)
        expect(await store.ttl(k)).toBe(10)
        await store.set(key('n'), 'v')
        expect(await store.pexpire(key('n'), 5000, 'NX')).toBe(true)
        expect(await store.ttl(key('n'))).toBe(5)
        expect(await store.expire(key('missing'), 10, 'LT')).toBe(false)
      },
    )

    suite.test('persist removes a TTL and reports whether it did', async ({ store, expect, key }) => {
      const k = key('k')
      expect(await store.persist(k)).toBe(false)
      await store.set(k, 'v')
      expect(await store.persist(k)).toBe(false)
      await store.expire(k, 100)
      expect(await store.persist(k)).toBe(true)
      expect(await store.ttl(k)).toBe(-1)
      expect(await store.get(k)).toBe('v')
    })

    suite.test(
      'type names every type; HyperLogLogs and bitmaps are strings',
      async ({ store, expect, key }) => {
        await store.set(key('string'), 'v')
        await store.hset(key('hash'), { f: 'v' })
        await store.sadd(key('set'), ['m'])
        await store.zadd(key('zset'), [{ member: 'm', score: 1 }])
        await store.rpush(key('list'), ['v'])
        await store.pfadd(key('hll'), ['a'])
        await store.setbit(key('bitmap'), 3, 1)
        expect(await store.type(key('string'))).toBe('string')
        expect(await store.type(key('hash'))).toBe('hash')
        expect(await store.type(key('set'))).toBe('set')
        expect(await store.type(key('zset'))).toBe('zset')
        expect(await store.type(key('list'))).toBe('list')
        expect(await store.type(key('hll'))).toBe('string')
        expect(await store.type(key('bitmap'))).toBe('string')
        expect(await store.type(key('missing'))).toBe('none')
      },
    )

    suite.test('keys of every type really expire', async ({ store, expect, key }) => {
      const types = ['string', 'hash', 'set', 'zset', 'hll', 'bitmap', 'list']
      const keys = types.map((type) => key(type))
      await store.set(keys[0]!, 'v', { px: 80 })
      await store.hset(keys[1]!, { f: 'v' })
      await store.sadd(keys[2]!, ['m'])
      await store.zadd(keys[3]!, [{ member: 'm', score: 1 }])
      await store.pfadd(keys[4]!, ['a'])
      await store.setbit(keys[5]!, 1, 1)
      await store.rpush(keys[6]!, ['v'])
      for (const k of keys.slice(1)) expect(await store.pexpire(k, 80)).toBe(true)
      await store.set(key('stays'), 'v', { px: 60_000 })
      expect(await store.exists(keys)).toBe(keys.length)
      await sleep(200)
      expect(await store.exists(keys)).toBe(0)
      for (const k of keys) {
        expect({ key: k, type: await store.type(k), pttl: await store.pttl(k) }).toEqual({
          key: k,
          type: 'none',
          pttl: -2,
        })
      }
      expect(await store.get(keys[0]!)).toBeNull()
      expect(await store.hgetall(keys[1]!)).toEqual({})
      expect(await store.scard(keys[2]!)).toBe(0)
      expect(await store.zcard(keys[3]!)).toBe(0)
      expect(await store.pfcount([keys[4]!])).toBe(0)
      expect(await store.getbit(keys[5]!, 1)).toBe(0)
      expect(await store.llen(keys[6]!)).toBe(0)
      expect(await store.get(key('stays'))).toBe('v')
    })

    suite.test(
      'an expired key is gone for every command and for scan',
      async ({ store, expect, key, id }) => {
        const k = key('counter')
        await store.set(k, '41', { px: 60 })
        await store.sadd(key('set'), ['a'])
        await store.pexpire(key('set'), 60)
        await sleep(150)
        expect(await store.incrby(k, 1)).toBe(1)
        expect(await store.ttl(k)).toBe(-1)
        expect(await store.sadd(key('set'), ['b'])).toBe(1)
        expect(await store.smembers(key('set'))).toEqual(['b'])
        expect(await store.set(key('nx'), 'v', { px: 60 })).toBe(true)
        await sleep(150)
        expect(await store.set(key('nx'), 'w', { nx: true })).toBe(true)
        await store.set(key('gone'), 'v', { px: 60 })
        await sleep(150)
        const seen = await scanAll(store, { match: `*${id}:gone` })
        expect([...seen]).toEqual([])
      },
    )
  })
}

export function crossSlotTests(suite: Suite): void {
  suite.describe('multi-key commands across slots', () => {
    suite.test('mget and mgetBuffer keep the caller order across slots', async (t) => {
      const { store, expect } = t
      const keys = t.spreadKeys('m:', 32)
      await Promise.all(keys.map((k, i) => (i % 3 === 0 ? undefined : store.set(k, `v${i}`))))
      const expected = keys.map((_, i) => (i % 3 === 0 ? null : `v${i}`))
      const shuffled = [...keys].reverse()
      expect(await store.mget(keys)).toEqual(expected)
      expect(await store.mget(shuffled)).toEqual([...expected].reverse())
      expect((await store.mgetBuffer(keys)).map((b) => b?.toString() ?? null)).toEqual(expected)
      expect(await store.mget([keys[1]!, keys[2]!, keys[1]!])).toEqual(['v1', 'v2', 'v1'])
    })

    suite.test('exists, del and unlink count across slots', async (t) => {
      const { store, expect } = t
      const keys = t.spreadKeys('d:', 32)
      await Promise.all(keys.map((k) => store.set(k, 'v')))
      expect(await store.exists([...keys, keys[0]!, t.key('missing')])).toBe(keys.length + 1)
      const half = keys.length / 2
      expect(await store.del([...keys.slice(0, half), t.key('missing')])).toBe(half)
      expect(await store.unlink(keys)).toBe(keys.length - half)
      expect(await store.exists(keys)).toBe(0)
    })
  })
}
