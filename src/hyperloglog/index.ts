/**
 * @module redis-kit/hyperloglog
 * Unique counts in 12 KB per key (±0.81%), equal on Redis and on the memory store.
 */
export { type Estimate, HLL_STANDARD_ERROR } from '../internal/primitive.js'
export {
  createHyperLogLog,
  type HyperLogLog,
  type HyperLogLogOptions,
  type HyperLogLogStats,
} from './hyperloglog.js'
