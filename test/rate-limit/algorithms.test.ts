/**
 * Every algorithm of `define()`: the same counting contract on every store (limit admitted, then
 * denied; peek charges nothing; rejected requests charged only when asked), and each algorithm's
 * own timing on a memory store whose clock the test moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RateLimit, RateLimitAlgorithm } from '../../src/rate-limit/index.js'
import type { Store } from '../../src/stores/types.js'
import { storeMatrix } from '../support/stores.js'
import { limiterOn, manualClock, maxInAnyWindow } from './helpers.js'

const ALGORITHMS: RateLimitAlgorithm[] = ['sliding', 'gcra', 'token-bucket', 'fixed']

describe.each(storeMatrix())('algorithms on $name', ({ create }) => {
  let store: Store
  let rateLimit: RateLimit
  beforeAll(() => {
    store = create()
    rateLimit = limiterOn(store)
  })
  afterAll(async () => {
    await rateLimit.close()
    await store.close()
  })

  it.each(ALGORITHMS)('%s: admits the limit, then denies; peek charges nothing', async (algorithm) => {
    // fixed windows are aligned to the epoch: a window of a day is not crossed during the test
    const limiter = rateLimit.define({ name: `count-${algorithm}`, limit: 5, window: 86_400, algorithm })
    const peeked = await limiter.peek('id')
    expect(peeked).toMatchObject({ allowed: true, remaining: 5, limit: 5 })
    const results = []
    for (let i = 0; i < 7; i++) results.push(await limiter.check('id'))
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false, false])
    expect(results.slice(0, 5).map((r) => r.remaining)).toEqual([4, 3, 2, 1, 0])
    expect(results[5]!.retryAfter).toBeGreaterThan(0)
    expect(await limiter.peek('id')).toMatchObject({ allowed: false, remaining: 0 })
    expect(await limiter.peek('other')).toMatchObject({ allowed: true, remaining: 5 })
    await limiter.reset('id')
    expect(await limiter.check('id')).toMatchObject({ allowed: true, remaining: 4 })
  })

  it.each(ALGORITHMS)('%s: a rejected request is charged only with chargeRejected', async (algorithm) => {
    const spec = { limit: 3, window: 86_400, algorithm } as const
    const free = rateLimit.define({ name: `free-${algorithm}`, ...spec })
    const charged = rateLimit.define({ name: `charged-${algorithm}`, ...spec, chargeRejected: true })
    for (const limiter of [free, charged]) {
      expect((await limiter.check('id', { cost: 2 })).allowed).toBe(true)
      expect((await limiter.check('id', { cost: 2 })).allowed).toBe(false)
    }
    expect((await free.check('id')).allowed).toBe(true)
    expect((await charged.check('id')).allowed).toBe(false)
  })

  it('gcra with a burst: the burst at once, then the rate', async () => {
    const limiter = rateLimit.define({ name: 'burst', limit: 2, window: 86_400, algorithm: 'gcra', burst: 4 })
    const allowed = []
    for (let i = 0; i < 6; i++) allowed.push((await limiter.check('id')).allowed)
    expect(allowed).toEqual([true, true, true, true, false, false])
  })
})

describe('algorithms on their own clock (memory, manual clock)', () => {
  const setup = (algorithm: RateLimitAlgorithm, limit: number, window: number, burst?: number) => {
    const clock = manualClock(1_700_000_000_000) // a multiple of every window used here
    const limiter = limiterOn(clock.store, { blockList: false }).define({
      limit,
      window,
      algorithm,
      ...(burst ? { burst } : {}),
    })
    return { clock, limiter }
  }

  it('gcra: one unit per window/limit after the burst; exact retryAfter', async () => {
    const { clock, limiter } = setup('gcra', 10, 10, 3)
    for (let i = 0; i < 3; i++) expect((await limiter.check('id')).allowed).toBe(true)
    const denied = await limiter.check('id')
    expect(denied).toMatchObject({ allowed: false, retryAfter: 1 })
    clock.advance(999)
    expect((await limiter.check('id')).allowed).toBe(false)
    clock.advance(1)
    expect((await limiter.check('id')).allowed).toBe(true)
    clock.advance(10_000)
    expect(await limiter.peek('id')).toMatchObject({ remaining: 3, resetAfter: 0 })
  })

  it('gcra under steady pressure: never more than burst + limit in a window', async () => {
    const { clock, limiter } = setup('gcra', 10, 10, 3)
    const admitted: number[] = []
    for (let t = 0; t < 40_000; t += 100) {
      clock.set(1_700_000_000_000 + t)
      if ((await limiter.check('id')).allowed) admitted.push(t)
    }
    expect(maxInAnyWindow(admitted, 10_000)).toBeLessThanOrEqual(13)
    expect(admitted.length).toBeGreaterThanOrEqual(40) // one a second, as promised
  })

  it('token-bucket: `limit` tokens every window, up to the burst', async () => {
    const { clock, limiter } = setup('token-bucket', 5, 10, 8)
    let allowed = 0
    for (let i = 0; i < 10; i++) if ((await limiter.check('id')).allowed) allowed++
    expect(allowed).toBe(8)
    expect((await limiter.check('id')).retryAfter).toBe(10)
    clock.advance(9_999)
    expect((await limiter.check('id')).allowed).toBe(false)
    clock.advance(1)
    allowed = 0
    for (let i = 0; i < 10; i++) if ((await limiter.check('id')).allowed) allowed++
    expect(allowed).toBe(5)
  })

  it('fixed: windows aligned to the epoch; a burst across the boundary gets twice the limit', async () => {
    const { clock, limiter } = setup('fixed', 10, 1)
    let allowed = 0
    clock.set(1_700_000_000_950)
    for (let i = 0; i < 15; i++) if ((await limiter.check('id')).allowed) allowed++
    expect((await limiter.check('id')).retryAfter).toBe(1)
    clock.set(1_700_000_001_050)
    for (let i = 0; i < 15; i++) if ((await limiter.check('id')).allowed) allowed++
    expect(allowed).toBe(20) // documented: use 'sliding' when this matters
  })

  it('sliding under steady pressure: exactly the limit in every window', async () => {
    const { clock, limiter } = setup('sliding', 10, 1)
    const admitted: number[] = []
    for (let t = 0; t < 5000; t += 7) {
      clock.set(1_700_000_000_000 + t)
      if ((await limiter.check('id')).allowed) admitted.push(t)
    }
    expect(maxInAnyWindow(admitted, 1000)).toBe(10)
    expect(admitted.length).toBeGreaterThanOrEqual(50)
  })
})
