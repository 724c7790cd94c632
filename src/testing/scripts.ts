/**
 * Scripts: Lua on Redis and the JavaScript twin elsewhere must give the same replies and
 * effects. Each script's Lua carries a random comment, so its first call on Redis meets NOSCRIPT
 * and the store has to load it. Keys of one script must share a slot, on every store.
 */
import { randomBytes } from 'node:crypto'
import { defineScript } from '../stores/define-script.js'
import type { Script } from '../stores/types.js'
import type { Suite } from './harness.js'

function scripts() {
  const nonce = `-- conformance ${randomBytes(8).toString('hex')}\n`
  const compareAndSet = defineScript<number>({
    name: 'conformance-compare-and-set',
    keys: ['key'],
    lua: `${nonce}if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0`,
    run: (redis, [key], [expected, next]) => {
      if (redis.get(key!) !== expected) return 0
      redis.set(key!, next!)
      return 1
    },
  })
  const incrementWithCap = defineScript<[number, number, string] | [number, number]>({
    name: 'conformance-increment-with-cap',
    keys: ['counter', 'log'],
    lua: `${nonce}local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local by, cap = tonumber(ARGV[1]), tonumber(ARGV[2])
if current + by > cap then return {0, current} end
local value = redis.call('INCRBY', KEYS[1], by)
redis.call('SADD', KEYS[2], ARGV[3])
return {1, value, 'ok'}`,
    run: (redis, [counter, log], [by, cap, id]) => {
      const current = Number(redis.get(counter!) ?? '0')
      if (current + Number(by) > Number(cap)) return [0, current]
      const value = redis.incrby(counter!, Number(by))
      redis.sadd(log!, [id!])
      return [1, value, 'ok']
    },
  })
  const clock = defineScript<[number, number, number]>({
    name: 'conformance-clock',
    keys: [],
    lua: `${nonce}local t = redis.call('TIME')
return {tonumber(t[1]), tonumber(t[2]), 3.99, nil, 5}`,
    run: (redis) => {
      const [seconds, micros] = redis.time()
      return [seconds, micros, 3.99, null, 5] as unknown as [number, number, number]
    },
  })
  const fail = defineScript<null>({
    name: 'conformance-fail',
    keys: ['key'],
    lua: `${nonce}if ARGV[1] == 'read' then return redis.call('GET', KEYS[1]) end error('boom')`,
    run: (redis, [key], [mode]) => {
      if (mode === 'read') return redis.get(key!) as null
      throw new Error('boom')
    },
  })
  const boundedLog = defineScript<[number, string, string]>({
    name: 'conformance-bounded-log',
    keys: ['log'],
    lua: `${nonce}local n = redis.call('LPUSH', KEYS[1], ARGV[1])
while n > tonumber(ARGV[2]) do redis.call('RPOP', KEYS[1]) n = n - 1 end
return {redis.call('LLEN', KEYS[1]), redis.call('LINDEX', KEYS[1], -1), redis.call('LINDEX', KEYS[1], 0)}`,
    run: (redis, [log], [item, cap]) => {
      let n = redis.lpush(log!, [item!])
      for (; n > Number(cap); n--) redis.rpop(log!)
      return [redis.llen(log!), redis.lindex(log!, -1)!, redis.lindex(log!, 0)!]
    },
  })
  return { compareAndSet, incrementWithCap, clock, fail, boundedLog }
}

export function scriptTests(suite: Suite): void {
  suite.describe('scripts', () => {
    suite.test('compare-and-set: replies and effects', async ({ store, expect, tagged }) => {
      const { compareAndSet } = scripts()
      const k = tagged('k')
      expect(await store.eval(compareAndSet, [k], ['', 'x'])).toBe(0)
      await store.set(k, 'old')
      expect(await store.eval(compareAndSet, [k], ['other', 'new'])).toBe(0)
      expect(await store.get(k)).toBe('old')
      expect(await store.eval(compareAndSet, [k], ['old', Buffer.from('new')])).toBe(1)
      expect(await store.get(k)).toBe('new')
      await store.set(k, 7)
      expect(await store.eval(compareAndSet, [k], [7, 8])).toBe(1)
      expect(await store.get(k)).toBe('8')
      await store.set(k, 2 ** 64)
      expect(await store.eval(compareAndSet, [k], [String(2 ** 64), 2 ** 70])).toBe(1)
      expect(await store.get(k)).toBe(String(2 ** 70))
    })

    suite.test('a table reply; concurrent calls are atomic', async ({ store, expect, tagged }) => {
      const { incrementWithCap } = scripts()
      const [counter, log] = [tagged('counter'), tagged('log')]
      expect(await store.eval(incrementWithCap, [counter, log], [3, 10, 'first'])).toEqual([1, 3, 'ok'])
      expect(await store.eval(incrementWithCap, [counter, log], [8, 10, 'refused'])).toEqual([0, 3])
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, i) => store.eval(incrementWithCap, [counter, log], [1, 10, `c${i}`])),
      )
      expect(replies.filter((r) => r[0] === 1)).toHaveLength(7)
      expect(
        replies
          .filter((r) => r[0] === 1)
          .map((r) => r[1] as number)
          .sort((a, b) => a - b),
      ).toEqual([4, 5, 6, 7, 8, 9, 10])
      expect(await store.get(counter)).toBe('10')
      expect(await store.scard(log)).toBe(8)
    })

    suite.test(
      'list commands in scripts: a log bounded by LPUSH and RPOP',
      async ({ store, expect, tagged }) => {
        const { boundedLog } = scripts()
        const log = tagged('log')
        const replies = []
        for (const item of ['a', 'b', 'c', 'd', 'e'])
          replies.push(await store.eval(boundedLog, [log], [item, 3]))
        expect(replies).toEqual([
          [1, 'a', 'a'],
          [2, 'a', 'b'],
          [3, 'a', 'c'],
          [3, 'b', 'd'],
          [3, 'c', 'e'],
        ])
        expect(await store.lrange(log, 0, -1)).toEqual(['e', 'd', 'c'])
      },
    )

    suite.test(
      'TIME in Lua and time() in the twin; reply conversion truncates and stops at nil',
      async (t) => {
        const { clock } = scripts()
        const before = Math.floor(Date.now() / 1000)
        const reply = await t.store.eval(clock, [], [])
        const after = Math.ceil(Date.now() / 1000)
        t.expect(reply).toHaveLength(3)
        const [seconds, micros, truncated] = reply
        t.expect(seconds).toBeGreaterThanOrEqual(before - 5)
        t.expect(seconds).toBeLessThanOrEqual(after + 5)
        t.expect(Number.isInteger(micros) && micros >= 0 && micros < 1_000_000).toBe(true)
        t.expect(truncated).toBe(3)
      },
    )

    suite.test('errors: SCRIPT_ERROR for a failing script, WRONGTYPE from a command', async (t) => {
      const { fail } = scripts()
      const k = t.tagged('k')
      const err = await t.rejects(
        'a script that raises',
        () => t.store.eval(fail, [k], ['raise']),
        'SCRIPT_ERROR',
      )
      t.expect(err.message).toMatch(/boom/)
      await t.store.hset(k, { f: 'v' })
      await t.rejects(
        'a script reading a hash with GET',
        () => t.store.eval(fail, [k], ['read']),
        'WRONGTYPE',
      )
      await t.store.set(k, 'fine')
      t.expect(await t.store.eval(fail, [k], ['read'])).toBe('fine')
    })

    suite.test('keys without a shared hash tag fail with CROSSSLOT, on every store', async (t) => {
      const { incrementWithCap } = scripts()
      const [a, b] = t.keysInTwoSlots()
      const err = await t.rejects(
        'script keys in two slots',
        () => t.store.eval(incrementWithCap, [a, b], [1, 10, 'x']),
        'CROSSSLOT',
      )
      t.expect(err.message).toMatch(/hash tag/)
      t.expect(await t.store.exists([a, b])).toBe(0)
      await t.rejects(
        'wrong number of keys',
        () => t.store.eval(incrementWithCap as Script, [t.tagged('a')], [1, 10, 'x']),
        'INVALID_ARGUMENT',
      )
    })

    suite.test('multi-key commands across slots fail with CROSSSLOT, on every store', async (t) => {
      const { store, rejects } = t
      const [a, b] = t.keysInTwoSlots()
      await store.zadd(a, [{ member: 'm', score: 1 }])
      await rejects('zunionstore', () => store.zunionstore(a, [a, b]), 'CROSSSLOT')
      await rejects('zunionstore (destination)', () => store.zunionstore(b, [a]), 'CROSSSLOT')
      await rejects('pfcount', () => store.pfcount([a, b]), 'CROSSSLOT')
      await rejects('pfmerge', () => store.pfmerge(a, [b]), 'CROSSSLOT')
      await rejects('bitop', () => store.bitop('OR', a, [a, b]), 'CROSSSLOT')
      t.expect(await store.exists([b])).toBe(0)
    })
  })
}
