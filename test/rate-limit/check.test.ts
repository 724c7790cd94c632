/**
 * The seeds' call, `rateLimit.check(key, limit, windowSeconds)`: an exact sliding window, on every
 * store. On Redis the clock is the server's (short windows, counts asserted); the boundary cases
 * run on a memory store whose clock the test moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RateLimit } from '../../src/rate-limit/index.js'
import type { Store } from '../../src/stores/types.js'
import { storeMatrix } from '../support/stores.js'
import { limiterOn, manualClock, maxInAnyWindow, sleep } from './helpers.js'

describe.each(storeMatrix())('check on $name', ({ create }) => {
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

  it('answers the seed shape and admits exactly the limit', async () => {
    const userId = 'u1'
    const results = []
    for (let i = 0; i < 4; i++) results.push(await rateLimit.check(`chat:${userId}`, 3, 60))
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false])
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0])
    const [first, , , denied] = results
    expect(first).toMatchObject({ limit: 3, retryAfter: 0, window: 60, reason: 'ok', source: 'store' })
    expect(first!.resetAt).toBeGreaterThan(Date.now() - 5000)
    expect(denied).toMatchObject({ allowed: false, limit: 3, remaining: 0, reason: 'limit' })
    expect(denied!.retryAfter).toBeGreaterThanOrEqual(59)
    expect(denied!.retryAfter).toBeLessThanOrEqual(60)
  })

  it('keys are separate, and limits on one window share its log', async () => {
    expect((await rateLimit.check('a', 1, 60)).allowed).toBe(true)
    expect((await rateLimit.check('b', 1, 60)).allowed).toBe(true)
    expect((await rateLimit.check('a', 1, 60)).allowed).toBe(false)
    // the same key under a larger limit on the same window sees the request already counted
    expect(await rateLimit.check('a', 2, 60)).toMatchObject({ allowed: true, remaining: 0 })
    // another window is another log
    expect((await rateLimit.check('a', 1, 30)).allowed).toBe(true)
  })

  it('500 concurrent callers: exactly the limit admitted, nothing more', async () => {
    const results = await Promise.all(Array.from({ length: 500 }, () => rateLimit.check('burst', 37, 60)))
    expect(results.every((r) => r.source === 'store' || r.source === 'block-list')).toBe(true)
    expect(results.filter((r) => r.allowed)).toHaveLength(37)
    const remaining = results.filter((r) => r.allowed).map((r) => r.remaining)
    expect(new Set(remaining).size).toBe(37) // each admission saw its own count
  })

  it('a cost takes several units; a rejected cost is not charged', async () => {
    expect(await rateLimit.check('cost', 10, 60, { cost: 7 })).toMatchObject({ allowed: true, remaining: 3 })
    expect(await rateLimit.check('cost', 10, 60, { cost: 4 })).toMatchObject({ allowed: false, remaining: 3 })
    expect(await rateLimit.check('cost', 10, 60, { cost: 3 })).toMatchObject({ allowed: true, remaining: 0 })
  })

  it('the window slides on the store clock: admissions free up one by one', async () => {
    const times: number[] = []
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 6; i++) {
        const r = await rateLimit.check('slide', 4, 1)
        if (r.allowed) times.push(r.resetAt - 1000)
      }
      await sleep(600)
    }
    // 3 rounds 600 ms apart: at most 4 in any second, and more than one window's worth in all
    expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(4)
    expect(times.length).toBeGreaterThan(4)
  })
})

// The block list runs on the real clock: with a clock moved by hand it is turned off.
describe('check: the sliding window at its edges (memory, manual clock)', () => {
  it('a burst across a window boundary admits at most the limit in any window', async () => {
    const clock = manualClock(1_700_000_000_000)
    const rateLimit = limiterOn(clock.store, { blockList: false })
    const admitted: number[] = []
    const at = async (offset: number, n: number) => {
      clock.set(1_700_000_000_000 + offset)
      for (let i = 0; i < n; i++) if ((await rateLimit.check('edge', 100, 1)).allowed) admitted.push(offset)
    }
    await at(0, 1) // the opener
    await at(950, 99)
    await at(1050, 100) // fixed windows admit 200 here; upstash's approximation 107
    expect(admitted).toHaveLength(100 + 1) // the opener left the window at 1000
    expect(maxInAnyWindow(admitted, 1000)).toBe(100)
  })

  it('retryAfter and resetAt come from the oldest entries', async () => {
    const clock = manualClock(1_700_000_000_000)
    const rateLimit = limiterOn(clock.store, { blockList: false })
    await rateLimit.check('r', 2, 10)
    clock.advance(4000)
    await rateLimit.check('r', 2, 10)
    clock.advance(1000)
    const denied = await rateLimit.check('r', 2, 10)
    expect(denied).toMatchObject({ allowed: false, retryAfter: 5, resetAfter: 9 })
    expect(denied.resetAt).toBe(1_700_000_000_000 + 4000 + 10_000)
    clock.advance(4999)
    expect((await rateLimit.check('r', 2, 10)).allowed).toBe(false)
    clock.advance(1)
    expect(await rateLimit.check('r', 2, 10)).toMatchObject({ allowed: true, remaining: 0 })
  })

  it('a clock that steps back never lets more through', async () => {
    const clock = manualClock(1_700_000_010_000)
    const rateLimit = limiterOn(clock.store, { blockList: false })
    for (let i = 0; i < 3; i++) await rateLimit.check('back', 3, 5)
    clock.advance(-3000)
    expect((await rateLimit.check('back', 3, 5)).allowed).toBe(false)
    clock.advance(3000 + 5000)
    expect((await rateLimit.check('back', 3, 5)).allowed).toBe(true)
  })
})
