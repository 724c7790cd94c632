/**
 * @module redis-kit/rate-limit
 * Exact, cluster-safe rate limiting in one round trip, with outage policies, a local block list,
 * HTTP headers and a spoof-proof client identifier. See docs/rate-limit.md.
 */

export type { RateLimitAnalyticsRange } from './analytics.js'
export { type ClientIdentifierOptions, type ClientRequestLike, clientIdentifier } from './client-ip.js'
export { type RateLimitHeaderOptions, rateLimitHeaders } from './headers.js'
export {
  createRateLimit,
  type RateLimit,
  type RateLimitCheckAllOptions,
  type RateLimitOptions,
} from './rate-limit.js'
export type {
  RateLimitAlgorithm,
  RateLimitAnalyticsOptions,
  RateLimitCheckOptions,
  RateLimitEvents,
  RateLimiter,
  RateLimiterAnalytics,
  RateLimiterOptions,
  RateLimitReason,
  RateLimitResult,
  RateLimitSource,
  RateLimitSpec,
  RateLimitStats,
  RateLimitStoreErrorPolicy,
} from './types.js'
