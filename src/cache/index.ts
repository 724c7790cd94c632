/**
 * @module redis-kit/cache
 * A two-tier cache (in-process L1 + the store) with a coherence bus, single flight across
 * processes, grace, timeouts and O(1) tag invalidation. See docs/cache.md.
 */
export { createCache } from './cache.js'
export type { CacheOptions } from './options.js'
export type {
  Cache,
  CacheEntryInput,
  CacheEvents,
  CacheSetOptions,
  CacheStats,
  GetOrSetOptions,
  Loader,
  LoaderContext,
  Ttl,
} from './types.js'
