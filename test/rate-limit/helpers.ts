/** Shared pieces of the rate-limit tests: a limiter per test on a store, a manual clock, windows. */
import { createRateLimit, type RateLimit, type RateLimitOptions } from '../../src/rate-limit/index.js'
import { createMemoryStore, type MemoryStore } from '../../src/stores/memory/index.js'
import type { Store } from '../../src/stores/types.js'
import { testPrefix } from '../support/stores.js'

/**
 * A limiter with its own key prefix (tests never flush the shared Redis). Its deadline is long
 * (5 s): on a loaded test machine a slow answer is not an outage, and a policy answer must not
 * slip into a count. Outage tests pass their own short timeout.
 */
export function limiterOn(store: Store, options: RateLimitOptions = {}): RateLimit {
  return createRateLimit(store, { prefix: testPrefix('rl'), timeout: '5s', ...options })
}

/** A memory store on a clock the test moves by hand (ms since the epoch). */
export function manualClock(start = 1_700_000_000_000): {
  store: MemoryStore
  now(): number
  advance(ms: number): void
  set(ms: number): void
} {
  let t = start
  return {
    store: createMemoryStore({ now: () => t }),
    now: () => t,
    advance: (ms) => {
      t += ms
    },
    set: (ms) => {
      t = ms
    },
  }
}

/** The most admissions inside any window (t - windowMs, t] of the admission times given. */
export function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let max = 0
  let from = 0
  for (let to = 0; to < sorted.length; to++) {
    while (sorted[from]! <= sorted[to]! - windowMs) from++
    max = Math.max(max, to - from + 1)
  }
  return max
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
