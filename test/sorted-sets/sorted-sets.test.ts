/**
 * sortedSets on every store: the seeds' snippet, ranks and scores, ties ordered the same way
 * everywhere, trimming, and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { createSortedSets, type SortedSets } from '../../src/sorted-sets/index.js'
import type { Store } from '../../src/stores/types.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

describe.each(storeMatrix())('sortedSets on $name', ({ create }) => {
  let store: Store
  let prefix: string
  let sortedSets: SortedSets
  beforeAll(() => {
    store = create()
    prefix = testPrefix('zsets')
    sortedSets = createSortedSets(store, { prefix })
  })
  afterAll(async () => {
    await deletePrefix(store, prefix)
    await store.close()
  })

  it("runs the seeds' snippet: increment a theme, get the top 10", async () => {
    await sortedSets.increment('trending:themes', 'dreams', 1)
    await sortedSets.increment('trending:themes', 'music', 3)
    expect(await sortedSets.increment('trending:themes', 'dreams', 1)).toBe(2)
    await sortedSets.increment('trending:themes', 'travel')
    const topThemes = await sortedSets.getTop('trending:themes', 10)
    expect(topThemes).toEqual([
      { member: 'music', score: 3 },
      { member: 'dreams', score: 2 },
      { member: 'travel', score: 1 },
    ])
    expect(await store.zscore(`${prefix}sorted-sets:trending:themes`, 'dreams')).toBe(2)
  })

  it('orders ties the same way on every store (by member, last first, as ZRANGE REV)', async () => {
    for (const member of ['b', 'a', 'd', 'c']) await sortedSets.increment('ties', member, 5)
    await sortedSets.increment('ties', 'top', 9)
    await sortedSets.increment('ties', 'low', 1)
    expect((await sortedSets.getTop('ties', 6)).map((m) => m.member)).toEqual([
      'top',
      'd',
      'c',
      'b',
      'a',
      'low',
    ])
    expect((await sortedSets.getTop('ties', 3)).map((m) => m.member)).toEqual(['top', 'd', 'c'])
    expect(await sortedSets.getRank('ties', 'top')).toBe(0)
    expect(await sortedSets.getRank('ties', 'a')).toBe(4)
    expect(await sortedSets.getRank('ties', 'nobody')).toBeNull()
  })

  it('reads and lowers scores, removes members, counts them', async () => {
    await sortedSets.increment('board', 'ann', 10.5)
    await sortedSets.increment('board', 'bob', 7)
    expect(await sortedSets.increment('board', 'bob', -2)).toBe(5)
    expect(await sortedSets.getScore('board', 'ann')).toBe(10.5)
    expect(await sortedSets.getScore('board', 'zoe')).toBeNull()
    expect(await sortedSets.size('board')).toBe(2)
    expect(await sortedSets.remove('board', 'ann', 'zoe')).toBe(1)
    expect(await sortedSets.getTop('board')).toEqual([{ member: 'bob', score: 5 }])
    expect(await sortedSets.getTop('nothing', 5)).toEqual([])
  })

  it('trims to the highest members', async () => {
    for (let i = 1; i <= 10; i++) await sortedSets.increment('long', `m${i}`, i)
    expect(await sortedSets.trim('long', 3)).toBe(7)
    expect(await sortedSets.getTop('long', 10)).toEqual([
      { member: 'm10', score: 10 },
      { member: 'm9', score: 9 },
      { member: 'm8', score: 8 },
    ])
    expect(await sortedSets.trim('long', 5)).toBe(0)
    expect(await sortedSets.trim('long', 0)).toBe(3)
    expect(await sortedSets.size('long')).toBe(0)
  })

  it('refuses bad input with INVALID_ARGUMENT naming the fix, writing nothing', async () => {
    const bad = sortedSets as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
    const refusals: [string, unknown[], RegExp][] = [
      ['increment', ['k', 'm', Number.NaN], /finite number/],
      ['increment', ['k', 'm', Number.POSITIVE_INFINITY], /finite number/],
      ['increment', ['k', 'm', '1'], /finite number/],
      ['increment', ['', 'm', 1], /non-empty string/],
      ['increment', ['k', 42, 1], /member/],
      ['getTop', ['k', 0], /positive whole number/],
      ['getTop', ['k', 2.5], /positive whole number/],
      ['trim', ['k', -1], />= 0/],
      ['remove', ['k'], /at least one member/],
    ]
    for (const [method, args, message] of refusals) {
      const error = await bad[method]!(...args).then(
        () => undefined,
        (err: unknown) => err,
      )
      expect(isKitError(error, 'INVALID_ARGUMENT'), `${method}(${args.join(', ')})`).toBe(true)
      expect((error as Error).message).toMatch(message)
    }
    expect(await store.exists([`${prefix}sorted-sets:k`])).toBe(0)
  })

  it('refuses bad options with INVALID_OPTIONS', () => {
    const invalid = [
      { prefix: '[x]' },
      { now: 5 },
      { trending: { bucket: '1h', maxWindow: '30m' } },
      { trending: { bucket: '1s', maxWindow: '1h' } },
      { trending: { window: '8d' } },
      { trending: { cacheFor: '10ms' } },
      { decay: { halfLife: '10ms' } },
      { decay: { maxMembers: 0 } },
      { decay: { forgetBelow: -1 } },
    ]
    for (const options of invalid) {
      let error: unknown
      try {
        createSortedSets(store, options as never)
      } catch (err) {
        error = err
      }
      expect(isKitError(error, 'INVALID_OPTIONS'), JSON.stringify(options)).toBe(true)
    }
  })
})
