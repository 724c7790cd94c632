/** Sets: SADD/SREM counts, SMEMBERS, SISMEMBER, SCARD, and the last member removing the key. */
import { type Suite, sorted } from './harness.js'

export function setTests(suite: Suite): void {
  suite.describe('sets', () => {
    suite.test('sadd counts new members once, even when repeated', async ({ store, expect, key }) => {
      const k = key('s')
      expect(await store.sadd(k, ['a', 'b', 'a', ''])).toBe(3)
      expect(await store.sadd(k, ['b', 'c'])).toBe(1)
      expect(sorted(await store.smembers(k))).toEqual(['', 'a', 'b', 'c'])
      expect(await store.scard(k)).toBe(4)
      expect(await store.sismember(k, '')).toBe(true)
      expect(await store.sismember(k, 'z')).toBe(false)
    })

    suite.test('a missing set is empty', async ({ store, expect, key }) => {
      expect(await store.smembers(key('missing'))).toEqual([])
      expect(await store.scard(key('missing'))).toBe(0)
      expect(await store.sismember(key('missing'), 'a')).toBe(false)
      expect(await store.srem(key('missing'), ['a'])).toBe(0)
    })

    suite.test(
      'srem counts removed members; the last one removes the key',
      async ({ store, expect, key }) => {
        const k = key('s')
        await store.sadd(k, ['a', 'b', 'c'])
        expect(await store.srem(k, ['a', 'a', 'x'])).toBe(1)
        expect(sorted(await store.smembers(k))).toEqual(['b', 'c'])
        expect(await store.srem(k, ['b', 'c'])).toBe(2)
        expect(await store.exists([k])).toBe(0)
        expect(await store.type(k)).toBe('none')
      },
    )

    suite.test('sadd and srem keep the TTL of an existing set', async ({ store, expect, key }) => {
      const k = key('s')
      await store.sadd(k, ['a', 'b'])
      expect(await store.expire(k, 100)).toBe(true)
      await store.sadd(k, ['c'])
      await store.srem(k, ['a'])
      expect(await store.ttl(k)).toBe(100)
      expect(sorted(await store.smembers(k))).toEqual(['b', 'c'])
    })

    suite.test('members are binary-safe text and many fit', async ({ store, expect, key }) => {
      const k = key('s')
      const members = Array.from({ length: 600 }, (_, i) => `member:${i}:é`)
      expect(await store.sadd(k, members)).toBe(600)
      expect(await store.scard(k)).toBe(600)
      expect(sorted(await store.smembers(k))).toEqual(sorted(members))
      expect(await store.sismember(k, 'member:599:é')).toBe(true)
      expect(await store.sismember(k, 'member:599:e')).toBe(false)
    })
  })
}
