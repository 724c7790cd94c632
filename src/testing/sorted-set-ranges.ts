/** Sorted-set ranges: ZRANGE by rank and by score (exclusive, infinite, REV, LIMIT), ZREMRANGEBY*, ZUNIONSTORE. */
import type { ScoredMember } from '../stores/types.js'
import type { Suite, TestContext } from './harness.js'

const members = (...pairs: [string, number][]): ScoredMember[] =>
  pairs.map(([member, score]) => ({ member, score }))

/** a:1 b:2 c:2 d:3 e:4 */
async function fiveMembers(t: TestContext, name = 'z'): Promise<string> {
  const k = t.key(name)
  await t.store.zadd(k, members(['a', 1], ['b', 2], ['c', 2], ['d', 3], ['e', 4]))
  return k
}

export function sortedSetRangeTests(suite: Suite): void {
  suite.describe('sorted-set ranges', () => {
    suite.test('zrange by rank: negative indexes, out of range, rev', async (t) => {
      const { store, expect } = t
      const k = await fiveMembers(t)
      expect(await store.zrange(k, 0, -1)).toEqual(['a', 'b', 'c', 'd', 'e'])
      expect(await store.zrange(k, 1, 2)).toEqual(['b', 'c'])
      expect(await store.zrange(k, -2, -1)).toEqual(['d', 'e'])
      expect(await store.zrange(k, 3, 100)).toEqual(['d', 'e'])
      expect(await store.zrange(k, -100, 0)).toEqual(['a'])
      expect(await store.zrange(k, 5, 10)).toEqual([])
      expect(await store.zrange(k, 2, 1)).toEqual([])
      expect(await store.zrange(k, 0, 1, { rev: true })).toEqual(['e', 'd'])
      expect(await store.zrangeWithScores(k, 0, 1)).toEqual(members(['a', 1], ['b', 2]))
      expect(await store.zrange(t.key('missing'), 0, -1)).toEqual([])
    })

    suite.test('zrange by score: inclusive, exclusive and infinite bounds', async (t) => {
      const { store, expect } = t
      const k = await fiveMembers(t)
      const byScore = { by: 'score' } as const
      expect(await store.zrange(k, 2, 3, byScore)).toEqual(['b', 'c', 'd'])
      expect(await store.zrange(k, '(1', '3', byScore)).toEqual(['b', 'c', 'd'])
      expect(await store.zrange(k, '(1', '(3', byScore)).toEqual(['b', 'c'])
      expect(await store.zrange(k, '(2', '(2', byScore)).toEqual([])
      expect(await store.zrange(k, 2, 2, byScore)).toEqual(['b', 'c'])
      expect(await store.zrange(k, 3, 1, byScore)).toEqual([])
      expect(await store.zrange(k, '-inf', '+inf', byScore)).toEqual(['a', 'b', 'c', 'd', 'e'])
      expect(await store.zrange(k, '-inf', 1.5, byScore)).toEqual(['a'])
      expect(await store.zrange(k, '(3', 'inf', byScore)).toEqual(['e'])
      expect(await store.zrangeWithScores(k, '(1', 2, byScore)).toEqual(members(['b', 2], ['c', 2]))
    })

    suite.test('zrange by score with rev takes (max, min); limit skips and caps', async (t) => {
      const { store, expect } = t
      const k = await fiveMembers(t)
      const rev = { by: 'score', rev: true } as const
      expect(await store.zrange(k, '+inf', '(2', rev)).toEqual(['e', 'd'])
      expect(await store.zrange(k, '-inf', '+inf', rev)).toEqual([])
      expect(await store.zrangeWithScores(k, '(4', '(1', rev)).toEqual(members(['d', 3], ['c', 2], ['b', 2]))
      expect(await store.zrange(k, '+inf', '-inf', { ...rev, limit: { offset: 1, count: 2 } })).toEqual([
        'd',
        'c',
      ])
      const limit = (offset: number, count: number) => ({ by: 'score', limit: { offset, count } }) as const
      expect(await store.zrange(k, '-inf', '+inf', limit(1, 2))).toEqual(['b', 'c'])
      expect(await store.zrange(k, '-inf', '+inf', limit(2, -1))).toEqual(['c', 'd', 'e'])
      expect(await store.zrange(k, '-inf', '+inf', limit(10, 2))).toEqual([])
      expect(await store.zrange(k, '-inf', '+inf', limit(1, 0))).toEqual([])
    })

    suite.test('zremrangebyrank and zremrangebyscore; removing all removes the key', async (t) => {
      const { store, expect } = t
      const k = await fiveMembers(t)
      expect(await store.zremrangebyrank(k, 0, 1)).toBe(2)
      expect(await store.zrange(k, 0, -1)).toEqual(['c', 'd', 'e'])
      expect(await store.zremrangebyrank(k, -1, -1)).toBe(1)
      expect(await store.zremrangebyscore(k, '(2', 3)).toBe(1)
      expect(await store.zrange(k, 0, -1)).toEqual(['c'])
      expect(await store.zremrangebyrank(k, 5, 10)).toBe(0)
      expect(await store.zremrangebyscore(k, '(2', '+inf')).toBe(0)
      expect(await store.zremrangebyscore(k, '-inf', '+inf')).toBe(1)
      expect(await store.exists([k])).toBe(0)
      const k2 = await fiveMembers(t, 'z2')
      expect(await store.zremrangebyrank(k2, 0, -1)).toBe(5)
      expect(await store.exists([k2])).toBe(0)
    })

    suite.test(
      'zunionstore with weights, aggregate and a plain set as source',
      async ({ store, expect, tagged }) => {
        const [a, b, s, d] = [tagged('a'), tagged('b'), tagged('s'), tagged('d')]
        await store.zadd(a, members(['x', 1], ['y', 2]))
        await store.zadd(b, members(['y', 10], ['z', 20]))
        await store.sadd(s, ['x', 'w'])
        expect(await store.zunionstore(d, [a, b, s], { weights: [2, 1, 5] })).toBe(4)
        expect(await store.zrangeWithScores(d, 0, -1)).toEqual(
          members(['w', 5], ['x', 7], ['y', 14], ['z', 20]),
        )
        expect(await store.zunionstore(d, [a, b, s], { aggregate: 'MIN' })).toBe(4)
        expect(await store.zrangeWithScores(d, 0, -1)).toEqual(
          members(['w', 1], ['x', 1], ['y', 2], ['z', 20]),
        )
        expect(await store.zunionstore(d, [a, b, s], { aggregate: 'MAX' })).toBe(4)
        expect(await store.zrangeWithScores(d, 0, -1)).toEqual(
          members(['w', 1], ['x', 1], ['y', 10], ['z', 20]),
        )
        expect(await store.zunionstore(d, [a, b], { weights: [-1, 0.5] })).toBe(3)
        expect(await store.zrangeWithScores(d, 0, -1)).toEqual(members(['x', -1], ['y', 3], ['z', 10]))
      },
    )

    suite.test(
      'zunionstore replaces the destination (type, TTL) and may read it',
      async ({ store, expect, tagged }) => {
        const [a, b, d] = [tagged('a'), tagged('b'), tagged('d')]
        await store.zadd(a, members(['x', 1], ['y', 2]))
        await store.zadd(b, members(['y', 10], ['z', 20]))
        await store.set(d, 'a string', { ex: 100 })
        expect(await store.zunionstore(d, [a])).toBe(2)
        expect(await store.type(d)).toBe('zset')
        expect(await store.ttl(d)).toBe(-1)
        await store.expire(a, 100)
        expect(await store.zunionstore(a, [a, b])).toBe(3)
        expect(await store.zrangeWithScores(a, 0, -1)).toEqual(members(['x', 1], ['y', 12], ['z', 20]))
        expect(await store.ttl(a)).toBe(-1)
        expect(await store.zunionstore(d, [tagged('missing1'), tagged('missing2')])).toBe(0)
        expect(await store.exists([d])).toBe(0)
      },
    )

    suite.test(
      'zunionstore turns inf * 0 and inf + -inf into 0, as Redis does',
      async ({ store, expect, tagged }) => {
        const [a, b, d] = [tagged('a'), tagged('b'), tagged('d')]
        await store.zadd(a, members(['x', Number.POSITIVE_INFINITY]))
        await store.zadd(b, members(['x', Number.NEGATIVE_INFINITY]))
        expect(await store.zunionstore(d, [a], { weights: [0] })).toBe(1)
        expect(await store.zscore(d, 'x')).toBe(0)
        expect(await store.zunionstore(d, [a, b])).toBe(1)
        expect(await store.zscore(d, 'x')).toBe(0)
      },
    )
  })
}
