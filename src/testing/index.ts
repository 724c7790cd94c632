/**
 * @module redis-kit/testing
 * The Store conformance suite: proves that a Store (yours, or one of redis-kit's) behaves like
 * Redis. Runner-agnostic: pass `{ describe, it, expect, beforeAll, afterAll }` from vitest or jest.
 */
export { storeConformance } from './suite.js'
export type {
  Assertion,
  ConformanceFeature,
  ConformanceOptions,
  Expect,
  ItFunction,
  StoreLimits,
  TestApi,
  TestBody,
} from './types.js'
