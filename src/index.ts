/**
 * @module redis-kit
 * createKit and every public name. Importing this module connects nothing and starts no timer.
 */

export {
  type ActiveUsers,
  type Analytics,
  type AnalyticsOptions,
  type AnalyticsStats,
  createAnalytics,
  type DailyStats,
  type EventStats,
} from './analytics/index.js'
export { type Bitmaps, type BitmapsOptions, createBitmaps, type Flags } from './bitmaps/index.js'
export * from './cache/index.js'
export { ERROR_CODES, type ErrorCode, isKitError, RedisKitError } from './errors.js'
export { evictionWarning } from './health.js'
export { createHyperLogLog, type HyperLogLog, type HyperLogLogOptions } from './hyperloglog/index.js'
export type { Duration } from './internal/duration.js'
export { configFromEnv, type EnvConfig } from './internal/env.js'
export { escapeGlob } from './internal/keys.js'
export { type Estimate, HLL_STANDARD_ERROR } from './internal/primitive.js'
export { createKit, type Kit, type KitEvents, type KitHealth, type KitOptions, type KitStats } from './kit.js'
export type { KitPrimitiveOptions, KitPrimitives } from './kit-primitives.js'
export * from './llm-cache/index.js'
export * from './pubsub/index.js'
export * from './rate-limit/index.js'
export * from './sessions/index.js'
export * from './smart-cache/index.js'
export {
  createSortedSets,
  type Decaying,
  type SortedSets,
  type SortedSetsOptions,
  type Trending,
} from './sorted-sets/index.js'
export * from './sse/index.js'
export * from './stores/index.js'
export * from './streams/index.js'
