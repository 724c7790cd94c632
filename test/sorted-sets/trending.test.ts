/**
 * Trending on every store, with an injected clock (no waiting): the bucketed window (a bump 25 h
 * ago no longer counts in 24 h; the oldest bucket counts in part; the union is cached for one
 * period, then recomputed; buckets expire) and the decayed set (half-lives, epochs and rescaling,
 * forgetting, the member cap, a late bump replayed after an outage).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createSortedSets, type SortedSets } from '../../src/sorted-sets/index.js'
import type { Store } from '../../src/stores/types.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

const MINUTE = 60_000
const HOUR = 3_600_000
/** A whole hour, and the start of a decay epoch for half-lives of 1 h (16 h). */
const T0 = 16 * HOUR * 30_000

describe.each(storeMatrix())('trending on $name', ({ create }) => {
  let store: Store
  let prefix: string
  let t: number
  let zsets: SortedSets
  const make = (options: Parameters<typeof createSortedSets>[1] = {}) =>
    createSortedSets(store, { prefix, now: () => t, ...options })

  beforeAll(() => {
    store = create()
    prefix = testPrefix('trending')
  })
  beforeEach(() => {
    t = T0
    zsets = make()
  })
  afterAll(async () => {
    await deletePrefix(store, prefix)
    await store.close()
  })

  describe('bucketed window', () => {
    it('counts a bump 23 h ago, and no longer counts one made 25 h ago in a 24 h window', async () => {
      t = T0 + 30 * MINUTE
      await zsets.trending.bump('themes', 'old', 5)
      t += 23 * HOUR
      await zsets.trending.bump('themes', 'new', 1)
      expect(await zsets.trending.top('themes', 10, { window: '24h' })).toEqual([
        { member: 'old', score: 5 },
        { member: 'new', score: 1 },
      ])
      t += 2 * HOUR // the first bump is now 25 h old
      expect(await zsets.trending.top('themes', 10)).toEqual([{ member: 'new', score: 1 }])
      expect(await zsets.trending.top('themes', 10, { window: '2d' })).toEqual([
        { member: 'old', score: 5 },
        { member: 'new', score: 1 },
      ])
    })

    it('counts the oldest bucket in proportion to the part of it inside the window', async () => {
      t = T0 + 10 * MINUTE
      await zsets.trending.bump('edge', 'early', 6)
      t = T0 + 24 * HOUR + 10 * MINUTE // the window starts at T0 + 10 min: 50 of its 60 minutes
      const [entry] = await zsets.trending.top('edge', 1)
      expect(entry!.member).toBe('early')
      expect(entry!.score).toBeCloseTo(5, 10)
      t = T0 + 24 * HOUR + 40 * MINUTE
      expect((await zsets.trending.top('edge', 1))[0]!.score).toBeCloseTo(2, 10)
      t = T0 + 25 * HOUR
      expect(await zsets.trending.top('edge', 1)).toEqual([])
    })

    it('computes the union once per cache period, then again after it', async () => {
      await zsets.trending.bump('cached', 'a', 2)
      expect(await zsets.trending.top('cached')).toEqual([{ member: 'a', score: 2 }])
      expect(zsets.stats().unionsComputed).toBe(1)
      await zsets.trending.bump('cached', 'b', 3)
      t += 30_000
      expect(await zsets.trending.top('cached')).toEqual([{ member: 'a', score: 2 }])
      expect(zsets.stats()).toMatchObject({ unionsComputed: 1, trendingReads: 2, bumps: 2 })
      t += 30_000 // the next minute: a new period
      expect(await zsets.trending.top('cached')).toEqual([
        { member: 'b', score: 3 },
        { member: 'a', score: 2 },
      ])
      expect(zsets.stats().unionsComputed).toBe(2)
      // a cached union expires on its own
      const unions = []
      for await (const keys of store.scan({ match: `${prefix}trending:{cached}:u:*` })) unions.push(...keys)
      expect(unions.length).toBeGreaterThan(0)
      for (const key of unions) {
        const ttl = await store.pttl(key)
        expect(ttl).toBeGreaterThan(0)
        expect(ttl).toBeLessThanOrEqual(60_000)
      }
    })

    it('lets each bucket expire once it has left the longest window', async () => {
      const short = make({ trending: { bucket: '1h', maxWindow: '24h', window: '24h' } })
      t = T0 + 15 * MINUTE
      await short.trending.bump('ttl', 'a')
      const pttl = await store.pttl(`${prefix}trending:{ttl}:b:${HOUR}:${T0 / HOUR}`)
      expect(pttl).toBeGreaterThan(24 * HOUR)
      expect(pttl).toBeLessThanOrEqual(24 * HOUR + 45 * MINUTE)
    })

    it('refuses increments that are not positive and windows outside one bucket to maxWindow', async () => {
      for (const by of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '2']) {
        await expect(zsets.trending.bump('k', 'm', by as number)).rejects.toMatchObject({
          code: 'INVALID_ARGUMENT',
          message: /> 0/,
        })
      }
      await expect(zsets.trending.top('k', 10, { window: '8d' })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: /maxWindow/,
      })
      await expect(zsets.trending.top('k', 10, { window: '30m' })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      })
      await expect(zsets.trending.top('k', 10, { window: 'soon' as never })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      })
      await expect(zsets.trending.bump('{k}', 'm')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
      await expect(zsets.trending.top('k', -1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    })
  })

  describe('decayed set', () => {
    const decay = (options = {}) => make({ decay: { halfLife: '1h', ...options } }).decaying

    it('halves a bump per half-life, so a fresh bump outranks a bigger old one', async () => {
      const trend = make().decaying // the default half-life: 6 h
      t = T0 + HOUR
      await trend.bump('themes', 'old', 10)
      t += 25 * HOUR
      await trend.bump('themes', 'new', 1)
      const top = await trend.top('themes', 10)
      expect(top.map((m) => m.member)).toEqual(['new', 'old'])
      expect(top[0]!.score).toBeCloseTo(1, 12)
      expect(top[1]!.score).toBeCloseTo(10 * 2 ** (-25 / 6), 12)
      t += 6 * HOUR
      expect((await trend.top('themes', 1))[0]!.score).toBeCloseTo(0.5, 12)
    })

    it('rescales into a new epoch exactly, and forgets members that decayed below forgetBelow', async () => {
      const trend = decay()
      t = T0 + HOUR
      await trend.bump('epochs', 'faded', 1)
      t = T0 + 2 * HOUR
      await trend.bump('epochs', 'strong', 1000)
      t = T0 + 19 * HOUR // the next epoch starts at T0 + 16 h
      await trend.bump('epochs', 'fresh', 1)
      const top = await trend.top('epochs', 10)
      expect(top.map((m) => m.member)).toEqual(['fresh', 'strong'])
      expect(top[0]!.score).toBe(1)
      expect(top[1]!.score).toBeCloseTo(1000 * 2 ** -17, 12)
      expect(await store.get(`${prefix}trending:{epochs}:epoch:${HOUR}`)).toBe(String(T0 / (16 * HOUR) + 1))
    })

    it('counts a late bump (replayed after an outage) at its own time', async () => {
      const trend = decay()
      t = T0 + 17 * HOUR
      await trend.bump('late', 'a', 1)
      t = T0 + 15 * HOUR // made before the epoch the set is now in
      await trend.bump('late', 'a', 1)
      t = T0 + 17 * HOUR
      expect((await trend.top('late', 1))[0]!.score).toBeCloseTo(1 + 2 ** -2, 12)
    })

    it('keeps at most maxMembers, the highest', async () => {
      const trend = decay({ maxMembers: 3 })
      for (const [member, by] of [
        ['a', 1],
        ['b', 5],
        ['c', 3],
        ['d', 4],
        ['e', 2],
      ] as const) {
        await trend.bump('capped', member, by)
      }
      expect((await trend.top('capped', 10)).map((m) => m.member)).toEqual(['b', 'd', 'c'])
    })

    it('refuses increments that are not positive', async () => {
      await expect(decay().bump('k', 'm', -3)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
      await expect(decay().top('k', 0)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    })
  })
})
