/**
 * @module redis-kit/analytics
 * Event counts, unique users, daily series, breakdowns and active users, in one round trip each.
 */
export { type Estimate, HLL_STANDARD_ERROR } from '../internal/primitive.js'
export { createAnalytics } from './analytics.js'
export type {
  ActiveUsers,
  Analytics,
  AnalyticsOptions,
  AnalyticsStats,
  BreakdownEntry,
  DailyStats,
  EventProps,
  EventStats,
  TrackedEvent,
} from './types.js'
