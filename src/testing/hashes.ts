/** Hashes: HSET counts, HGET/HMGET, HGETALL without a prototype, HDEL, HINCRBY and its errors. */
import type { Suite } from './harness.js'

export function hashTests(suite: Suite): void {
  suite.describe('hashes', () => {
    suite.test('hset counts added fields, not updated ones', async ({ store, expect, key }) => {
      const k = key('h')
      expect(await store.hset(k, { a: '1', b: 2 })).toBe(2)
      expect(await store.hset(k, { a: '3', c: Buffer.from('four') })).toBe(1)
      expect(await store.hget(k, 'a')).toBe('3')
      expect(await store.hget(k, 'b')).toBe('2')
      expect(await store.hget(k, 'c')).toBe('four')
      expect(await store.hget(k, 'missing')).toBeNull()
      expect(await store.hget(key('missing'), 'a')).toBeNull()
      expect(await store.hmget(k, ['c', 'missing', 'a', 'a'])).toEqual(['four', null, '3', '3'])
      expect(await store.hmget(key('missing'), ['a', 'b'])).toEqual([null, null])
    })

    suite.test('hgetall returns an object without a prototype', async ({ store, expect, key }) => {
      const k = key('h')
      const fields = Object.fromEntries([
        ['__proto__', 'p'],
        ['constructor', 'c'],
        ['toString', 't'],
        ['', 'empty'],
        ['é😀', 'unicode'],
      ])
      expect(await store.hset(k, fields)).toBe(5)
      const all = await store.hgetall(k)
      expect(Object.getPrototypeOf(all)).toBeNull()
      expect(Object.keys(all).sort()).toEqual(['', '__proto__', 'constructor', 'toString', 'é😀'])
      expect(Object.getOwnPropertyDescriptor(all, '__proto__')?.value).toBe('p')
      expect(all.constructor).toBe('c')
      expect(all['']).toBe('empty')
      expect(all['é😀']).toBe('unicode')
      expect(({} as Record<string, unknown>).p).toBe(undefined)
      const empty = await store.hgetall(key('missing'))
      expect(Object.keys(empty)).toEqual([])
      expect(Object.getPrototypeOf(empty)).toBeNull()
    })

    suite.test('hdel counts removed fields; the last one removes the key', async ({ store, expect, key }) => {
      const k = key('h')
      await store.hset(k, { a: '1', b: '2' })
      expect(await store.hdel(k, ['a', 'a', 'missing'])).toBe(1)
      expect(await store.exists([k])).toBe(1)
      expect(await store.hdel(k, ['b'])).toBe(1)
      expect(await store.exists([k])).toBe(0)
      expect(await store.type(k)).toBe('none')
      expect(await store.hdel(k, ['b'])).toBe(0)
    })

    suite.test(
      'hincrby counts in int64; non-integers and overflow fail',
      async ({ store, expect, key, rejects }) => {
        const k = key('h')
        expect(await store.hincrby(k, 'n', 5)).toBe(5)
        expect(await store.hincrby(k, 'n', -8)).toBe(-3)
        expect(await store.hget(k, 'n')).toBe('-3')
        await store.hset(k, { text: 'abc', float: '1.5', max: '9223372036854775807' })
        await rejects('hincrby on "abc"', () => store.hincrby(k, 'text', 1), 'NOT_INTEGER')
        await rejects('hincrby on "1.5"', () => store.hincrby(k, 'float', 1), 'NOT_INTEGER')
        await rejects('hincrby past int64 max', () => store.hincrby(k, 'max', 1), 'NOT_INTEGER')
        expect(await store.hmget(k, ['text', 'float', 'max'])).toEqual(['abc', '1.5', '9223372036854775807'])
      },
    )

    suite.test('hset keeps the TTL of an existing hash', async ({ store, expect, key }) => {
      const k = key('h')
      await store.hset(k, { a: '1' })
      await store.expire(k, 100)
      await store.hset(k, { b: '2' })
      await store.hincrby(k, 'c', 1)
      expect(await store.ttl(k)).toBe(100)
    })
  })
}
