/**
 * @module redis-kit/sorted-sets
 * Leaderboards and rankings, and trending over a time window (bucketed) or by decay.
 */
export type { ScoredMember } from '../stores/types.js'
export type { Decaying, DecayOptions } from './decaying.js'
export {
  createSortedSets,
  type SortedSets,
  type SortedSetsOptions,
  type SortedSetsStats,
} from './sorted-sets.js'
export type { Trending, TrendingOptions } from './trending.js'
