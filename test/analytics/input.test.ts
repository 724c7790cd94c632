/**
 * analytics refuses bad input on every store: INVALID_ARGUMENT naming the fix, before anything is
 * written; and bad options: INVALID_OPTIONS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Analytics, createAnalytics } from '../../src/analytics/index.js'
import { isKitError } from '../../src/errors.js'
import type { Store } from '../../src/stores/types.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

describe.each(storeMatrix())('analytics input on $name', ({ create }) => {
  let store: Store
  let prefix: string
  let analytics: Analytics

  beforeAll(() => {
    store = create()
    prefix = testPrefix('analytics-input')
    analytics = createAnalytics(store, { prefix, breakdown: ['model'] })
  })
  afterAll(async () => {
    await deletePrefix(store, prefix)
    await store.close()
  })

  async function keys(): Promise<string[]> {
    const all: string[] = []
    for await (const batch of store.scan({ match: `${prefix}*` })) all.push(...batch)
    return all
  }

  it('refuses bad input with INVALID_ARGUMENT naming the fix, writing nothing', async () => {
    const bad = analytics as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
    const refusals: [string, unknown[], RegExp][] = [
      ['trackEvent', ['', 'u'], /non-empty string/],
      ['trackEvent', [42, 'u'], /non-empty string/],
      ['trackEvent', ['a{b}', 'u'], /'\{' or '\}'/],
      ['trackEvent', ['e', 42], /String\(userId\)/],
      ['trackEvent', ['e', ''], /or null/],
      ['trackEvent', ['e', undefined], /or null/],
      ['trackEvent', ['e', 'u', 'props'], /props must be an object/],
      ['trackEvent', ['e', 'u', { model: { name: 'x' } }], /broken down/],
      ['trackEvent', ['e', 'u', { model: 'x'.repeat(201) }], /at most 200/],
      ['trackMany', ['e'], /array/],
      [
        'trackMany',
        [
          [
            { name: 'e', userId: 'u' },
            { name: '', userId: 'u' },
          ],
        ],
        /non-empty string/,
      ],
      ['trackMany', [[{ name: 'e', userId: 'u', at: 'yesterday' }]], /Date or milliseconds/],
      ['getStats', ['e', { days: 0 }], /from 1 to 90/],
      ['getStats', ['e', { days: 91 }], /retention/],
      ['getStats', ['', {}], /non-empty string/],
      ['activeUsers', ['e', { days: 1.5 }], /whole number/],
      ['getBreakdown', ['e', 'model', { limit: 0 }], /limit/],
    ]
    for (const [method, args, message] of refusals) {
      const error = await bad[method]!(...args).then(
        () => undefined,
        (err: unknown) => err,
      )
      expect(isKitError(error, 'INVALID_ARGUMENT'), `${method} ${JSON.stringify(args)}`).toBe(true)
      expect((error as Error).message).toMatch(message)
    }
    expect(await keys()).toEqual([])
  })

  it('refuses bad options with INVALID_OPTIONS', () => {
    const invalid = [
      { timeZone: 'Mars/Olympus_Mons' },
      { retention: '12h' },
      { retention: 'forever' },
      { breakdown: ['a=b'] },
      { breakdown: 'model' },
      { prefix: 'a*' },
      { now: 'today' },
      { unknown: 1 },
    ]
    for (const options of invalid) {
      let error: unknown
      try {
        createAnalytics(store, options as never)
      } catch (err) {
        error = err
      }
      expect(isKitError(error, 'INVALID_OPTIONS'), JSON.stringify(options)).toBe(true)
    }
  })
})
