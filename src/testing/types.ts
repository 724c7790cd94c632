/**
 * The options of `storeConformance` and the minimal shapes of the test runner it needs. Any
 * runner whose `describe`, `it` and `expect` look like vitest's or jest's fits; nothing of a
 * runner is imported at run time.
 */
import type { Store } from '../stores/types.js'

/** A test body. */
export type TestBody = () => Promise<void> | void

/** `it(name, fn, timeout?)`, with an optional `it.skip` used for features a store opts out of. */
export type ItFunction = ((name: string, fn: TestBody, timeout?: number) => unknown) & {
  skip?: (name: string, fn: TestBody) => unknown
}

/** The matchers the suite uses (a subset shared by vitest and jest). */
export interface Assertion {
  toBe(expected: unknown): void
  toEqual(expected: unknown): void
  toBeNull(): void
  toBeGreaterThan(n: number): void
  toBeGreaterThanOrEqual(n: number): void
  toBeLessThan(n: number): void
  toBeLessThanOrEqual(n: number): void
  toContain(item: unknown): void
  toMatch(pattern: RegExp | string): void
  toHaveLength(length: number): void
  readonly not: Assertion
}

export type Expect = (actual: unknown) => Assertion

/** What the caller passes from its test runner: `{ describe, it, expect, beforeAll, afterAll }`. */
export interface TestApi {
  describe: (name: string, fn: () => void) => unknown
  it: ItFunction
  expect: Expect
  /** Used to create the store once per suite; without it the store is created on first use. */
  beforeAll?: (fn: () => Promise<void> | void, timeout?: number) => unknown
  /** Used to close the store; without it the store is left open. */
  afterAll?: (fn: () => Promise<void> | void, timeout?: number) => unknown
}

/** Limits a test asks `createStore` to apply (a store that has no such option lists it in `skip`). */
export interface StoreLimits {
  /** Largest value accepted; larger ones must fail with VALUE_TOO_LARGE. */
  maxValueBytes?: number
}

/**
 * Features a store may opt out of. Their tests are reported as skipped, never left out silently.
 * - `maxValueBytes`: createStore cannot apply a `{ maxValueBytes }` limit.
 */
export type ConformanceFeature = 'maxValueBytes'

export interface ConformanceOptions {
  /** Shown in the top-level describe: `Store conformance: <name>`. */
  name: string
  /**
   * Creates a store. Called once with no limits for the shared store of the suite, and again
   * for tests that need their own instance (close) or a limit (`{ maxValueBytes }`).
   */
  createStore: (limits?: StoreLimits) => Store | Promise<Store>
  test: TestApi
  /**
   * The store talks to a Redis Cluster: PUBLISH counts only the subscribers of the node it is
   * sent to. Cross-slot tests run on every store either way.
   */
  cluster?: boolean
  /** Features this store does not support; their tests are registered with `it.skip`. */
  skip?: readonly ConformanceFeature[]
  /** Prefix of every key and channel the suite writes. @default 'rk-conformance:' */
  keyPrefix?: string
  /** Per-test timeout passed to `it`. @default the runner's */
  timeoutMs?: number
}
