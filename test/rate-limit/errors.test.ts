/**
 * Bad input fails before anything is sent: INVALID_ARGUMENT for call arguments and
 * INVALID_OPTIONS for factory and define() options, each message naming the fix.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { type ErrorCode, isKitError } from '../../src/errors.js'
import { createRateLimit } from '../../src/rate-limit/index.js'
import { createMemoryStore } from '../../src/stores/memory/index.js'

const store = createMemoryStore()
const rateLimit = createRateLimit(store)
const limiter = rateLimit.define({ name: 'api', limit: 5, window: 60 })
afterAll(() => store.close())

async function failure(run: () => unknown): Promise<{ code?: ErrorCode; message: string }> {
  try {
    await run()
  } catch (err) {
    return { code: isKitError(err) ? err.code : undefined, message: (err as Error).message }
  }
  throw new Error('expected a failure')
}

describe('bad input', () => {
  it.each([
    ['a missing key', () => rateLimit.check('', 5, 60), /key must be a non-empty string/],
    ['a key object', () => rateLimit.check({} as never, 5, 60), /or an integer/],
    ['an over-long key', () => rateLimit.check('k'.repeat(2000), 5, 60), /hash longer identifiers/],
    ['a zero limit', () => rateLimit.check('k', 0, 60), /check\.limit must be a whole number from 1/],
    ['a fractional limit', () => rateLimit.check('k', 2.5, 60), /whole number/],
    ['a negative window', () => rateLimit.check('k', 5, -1), /window must be/],
    ['a NaN window', () => rateLimit.check('k', 5, Number.NaN), /window must be/],
    ['a window in an unknown unit', () => rateLimit.check('k', 5, '5 weeks' as never), /'250ms'/],
    ['a zero cost', () => rateLimit.check('k', 5, 60, { cost: 0 }), /cost must be a whole number/],
    ['a cost over the limit', () => rateLimit.check('k', 5, 60, { cost: 6 }), /could never be allowed/],
    [
      'a limiter cost over the limit',
      () => limiter.check('k', { cost: 9 }),
      /raise the limit or lower the cost/,
    ],
    ['a limiter id that is null', () => limiter.check(null as never), /id must be/],
    ['checkAll with no limits', () => rateLimit.checkAll('k', []), /1 to 8 limits/],
    [
      'checkAll with nine limits',
      () => rateLimit.checkAll('k', Array(9).fill({ limit: 1, window: 1 })),
      /1 to 8/,
    ],
    [
      'checkAll with a bad algorithm',
      () => rateLimit.checkAll('k', [{ limit: 1, window: 1, algorithm: 'leaky' as never }]),
      /one of sliding, gcra/,
    ],
    [
      'checkAll with a burst on sliding',
      () => rateLimit.checkAll('k', [{ limit: 1, window: 1, burst: 3 }]),
      /burst only applies/,
    ],
    [
      'checkAll with a bad name',
      () => rateLimit.checkAll('k', [{ limit: 1, window: 1 }], { name: 'a b' }),
      /name must be/,
    ],
    ['a block of zero seconds', () => limiter.block('k', 0), /use reset\(id\) to unblock/],
    ['analytics that were not enabled', () => limiter.analytics(), /analytics: true/],
  ])('%s → INVALID_ARGUMENT naming the fix', async (_what, run, message) => {
    const error = await failure(run)
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toMatch(message)
  })

  it.each([
    [
      'an unknown algorithm',
      () => rateLimit.define({ limit: 1, window: 1, algorithm: 'leaky' as never }),
      /algorithm/,
    ],
    [
      'a burst on fixed',
      () => rateLimit.define({ limit: 1, window: 1, algorithm: 'fixed', burst: 2 }),
      /burst only applies/,
    ],
    ['a name with a colon', () => rateLimit.define({ name: 'a:b', limit: 1, window: 1 }), /letters, digits/],
    ['an unknown option', () => rateLimit.define({ limit: 1, window: 1, limt: 2 } as never), /limt/],
    ['a bad policy', () => createRateLimit(store, { onStoreError: 'retry' as never }), /onStoreError/],
    ['zero instances', () => createRateLimit(store, { instances: 0 }), /instances/],
    ['a prefix with a glob', () => createRateLimit(store, { prefix: 'a*' }), /glob/],
    ['no store', () => createRateLimit(undefined as never), /needs a Store/],
  ])('%s → INVALID_OPTIONS', async (_what, run, message) => {
    const error = await failure(run)
    expect(error.code).toBe('INVALID_OPTIONS')
    expect(error.message).toMatch(message)
  })

  it('a closed limiter refuses calls with CLOSED', async () => {
    const own = createRateLimit(store)
    await own.close()
    expect((await failure(() => own.check('k', 1, 1))).code).toBe('CLOSED')
  })

  it('a key someone else wrote with another type is a bug, not an outage: WRONGTYPE is thrown', async () => {
    const own = createRateLimit(store, { prefix: 'wrongtype:' })
    await store.hset('wrongtype:rate-limit:{:k}:s60000', { x: '1' })
    expect((await failure(() => own.check('k', 5, 60))).code).toBe('WRONGTYPE')
  })
})
