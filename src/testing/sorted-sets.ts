/** Sorted sets: ZADD flags, ordering of ties by member bytes, scores, ZINCRBY, ZRANK, ZREM, ZCARD. */
import type { ScoredMember } from '../stores/types.js'
import type { Suite } from './harness.js'

const members = (...pairs: [string, number][]): ScoredMember[] =>
  pairs.map(([member, score]) => ({ member, score }))

export function sortedSetTests(suite: Suite): void {
  suite.describe('sorted sets', () => {
    suite.test('zadd counts added members; nx/xx/gt/lt/ch as in Redis', async ({ store, expect, key }) => {
      const k = key('z')
      expect(await store.zadd(k, members(['a', 1], ['b', 2]))).toBe(2)
      expect(await store.zadd(k, members(['a', 5], ['c', 3]))).toBe(1)
      expect(await store.zadd(k, members(['a', 5], ['b', 9], ['d', 1]), { ch: true })).toBe(2)
      expect(await store.zadd(k, members(['a', 100], ['e', 1]), { nx: true })).toBe(1)
      expect(await store.zscore(k, 'a')).toBe(5)
      expect(await store.zadd(k, members(['a', 6], ['f', 1]), { xx: true })).toBe(0)
      expect(await store.zscore(k, 'a')).toBe(6)
      expect(await store.zscore(k, 'f')).toBeNull()
      expect(await store.zadd(k, members(['a', 7]), { xx: true, ch: true })).toBe(1)
      expect(await store.zadd(k, members(['a', 1], ['b', 20]), { gt: true, ch: true })).toBe(1)
      expect(await store.zscore(k, 'a')).toBe(7)
      expect(await store.zadd(k, members(['g', 1]), { gt: true })).toBe(1)
      expect(await store.zadd(k, members(['a', 2], ['b', 30]), { lt: true, ch: true })).toBe(1)
      expect(await store.zrangeWithScores(k, 0, -1)).toEqual(
        members(['d', 1], ['e', 1], ['g', 1], ['a', 2], ['c', 3], ['b', 20]),
      )
      expect(await store.zcard(k)).toBe(6)
    })

    suite.test('ties in score are ordered by member bytes (UTF-8)', async ({ store, expect, key }) => {
      const k = key('z')
      const names = ['b', 'a', 'B', 'ab', 'é', '10', '9', '😀', 'ｚ', '']
      await store.zadd(
        k,
        names.map((member) => ({ member, score: 1 })),
      )
      const expected = ['', '10', '9', 'B', 'a', 'ab', 'b', 'é', 'ｚ', '😀']
      expect(await store.zrange(k, 0, -1)).toEqual(expected)
      expect(await store.zrange(k, 0, -1, { rev: true })).toEqual([...expected].reverse())
      expect(await store.zrank(k, 'ｚ')).toBe(8)
      expect(await store.zrank(k, '😀')).toBe(9)
      await store.zadd(k, members(['zz', 0.5], ['a', 2]))
      expect(await store.zrange(k, 0, 2)).toEqual(['zz', '', '10'])
      expect(await store.zrange(k, -1, -1)).toEqual(['a'])
    })

    suite.test('scores round-trip as doubles, including infinities', async ({ store, expect, key }) => {
      const k = key('z')
      await store.zadd(
        k,
        members(
          ['top', Number.POSITIVE_INFINITY],
          ['bottom', Number.NEGATIVE_INFINITY],
          ['zero', 0],
          ['third', 1 / 3],
        ),
      )
      await store.zadd(k, members(['max', Number.MAX_VALUE], ['tiny', Number.MIN_VALUE], ['tenth', 0.1]))
      expect(await store.zscore(k, 'top')).toBe(Number.POSITIVE_INFINITY)
      expect(await store.zscore(k, 'bottom')).toBe(Number.NEGATIVE_INFINITY)
      expect(await store.zscore(k, 'third')).toBe(1 / 3)
      expect(await store.zscore(k, 'max')).toBe(Number.MAX_VALUE)
      expect(await store.zscore(k, 'tiny')).toBe(Number.MIN_VALUE)
      expect(await store.zscore(k, 'tenth')).toBe(0.1)
      expect(await store.zscore(k, 'missing')).toBeNull()
      expect(await store.zscore(key('missing'), 'a')).toBeNull()
      expect(await store.zrange(k, 0, -1)).toEqual(['bottom', 'zero', 'tiny', 'tenth', 'third', 'max', 'top'])
      expect((await store.zrangeWithScores(k, -1, -1))[0]).toEqual({
        member: 'top',
        score: Number.POSITIVE_INFINITY,
      })
    })

    suite.test('zincrby adds in double precision', async ({ store, expect, key }) => {
      const k = key('z')
      expect(await store.zincrby(k, 0.1, 'm')).toBe(0.1)
      expect(await store.zincrby(k, 0.2, 'm')).toBe(0.30000000000000004)
      expect(await store.zincrby(k, -5, 'n')).toBe(-5)
      expect(await store.zrange(k, 0, -1)).toEqual(['n', 'm'])
      await store.zadd(k, members(['inf', Number.POSITIVE_INFINITY]))
      expect(await store.zincrby(k, 5, 'inf')).toBe(Number.POSITIVE_INFINITY)
      expect(await store.zincrby(k, -1e308, 'inf')).toBe(Number.POSITIVE_INFINITY)
      expect(await store.zrange(k, -1, -1)).toEqual(['inf'])
    })

    suite.test('zrank, with rev, and null for missing members', async ({ store, expect, key }) => {
      const k = key('z')
      await store.zadd(k, members(['a', 1], ['b', 2], ['c', 2], ['d', 3], ['e', 4]))
      expect(await store.zrank(k, 'a')).toBe(0)
      expect(await store.zrank(k, 'a', { rev: true })).toBe(4)
      expect(await store.zrank(k, 'c')).toBe(2)
      expect(await store.zrank(k, 'c', { rev: true })).toBe(2)
      expect(await store.zrank(k, 'b', { rev: true })).toBe(3)
      expect(await store.zrank(k, 'x')).toBeNull()
      expect(await store.zrank(k, 'x', { rev: true })).toBeNull()
      expect(await store.zrank(key('missing'), 'a')).toBeNull()
    })

    suite.test(
      'zrem counts removed members; the last one removes the key',
      async ({ store, expect, key }) => {
        const k = key('z')
        await store.zadd(k, members(['a', 1], ['b', 2]))
        expect(await store.zrem(k, ['a', 'a', 'x'])).toBe(1)
        expect(await store.zcard(k)).toBe(1)
        expect(await store.zrem(k, ['b'])).toBe(1)
        expect(await store.exists([k])).toBe(0)
        expect(await store.zcard(k)).toBe(0)
        expect(await store.zrange(k, 0, -1)).toEqual([])
        expect(await store.zrem(k, ['b'])).toBe(0)
      },
    )
  })
}
