/**
 * @module redis-kit/bitmaps
 * Bitmaps for integer ids, and feature flags (explicit and percentage rollouts) for string ids.
 */
export {
  type Bitmaps,
  type BitmapsOptions,
  type BitmapsStats,
  type BitRange,
  createBitmaps,
} from './bitmaps.js'
export { type FlagInfo, type Flags, rolloutPosition } from './flags.js'
