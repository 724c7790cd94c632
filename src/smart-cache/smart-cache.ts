/**
 * createSmartCache: the seeds' tag-based cache names over a Cache — setWithTags(key, data,
 * ttlSeconds, tags), get, invalidateTag(s), clearPattern — sharing the cache's L1, bus and
 * stats when given one. Tag invalidation is one write per tag whatever the number of entries;
 * a getOrSet whose loader reads tagged entries inherits their tags (cascade). See docs/smart-cache.md.
 */

import { createCache } from '../cache/cache.js'
import type { CacheOptions } from '../cache/options.js'
import type { Cache, CacheStats, GetOrSetOptions, Loader, Ttl } from '../cache/types.js'
import { invalidArgument } from '../errors.js'
import { describe, escapeGlob } from '../internal/keys.js'
import type { Store } from '../stores/types.js'

export type SmartCacheOptions = CacheOptions

export interface SmartCache {
  /**
   * Stores `data` for `ttl` (seconds, a duration, or 'short' | 'medium' | 'long') under `tags`.
   * @example await smartCache.setWithTags('user:123:memories', data, 3600, ['user:123', 'memories'])
   */
  setWithTags(key: string, data: unknown, ttl: Ttl, tags: readonly string[]): Promise<void>
  get<T = unknown>(key: string): Promise<T | undefined>
  getMany<T = unknown>(keys: readonly string[]): Promise<(T | undefined)[]>
  /** The cached value or the loader's; tags of entries the loader reads are inherited (cascade). */
  getOrSet<T>(key: string, loader: Loader<T>, options?: GetOrSetOptions): Promise<T>
  delete(key: string): Promise<void>
  /**
   * Every entry tagged `tag` (and every entry derived from one) reads as missing from now on,
   * in this process at once and in the others when the bus delivers. One write, O(1).
   * @example await smartCache.invalidateTag('user:123')
   */
  invalidateTag(tag: string): Promise<void>
  invalidateTags(tags: readonly string[]): Promise<void>
  /**
   * Deletes the entries whose key matches a Redis glob (SCAN + UNLINK on every master, in
   * bounded batches, only under this cache). Build patterns from user input with the `glob`
   * template, which escapes what it interpolates. Resolves with the number deleted.
   * @example await smartCache.clearPattern(glob`session:${userId}:*`)
   */
  clearPattern(pattern: string): Promise<number>
  /** The Cache underneath (its namespaces, getMany, events…). */
  readonly cache: Cache
  stats(): CacheStats
  /** Closes the cache it created (not one it was given). */
  close(): Promise<void>
}

function isCache(input: unknown): input is Cache {
  return typeof input === 'object' && input !== null && typeof (input as Cache).getOrSet === 'function'
}

/** A smart cache over a Cache (sharing it), or over a Store (with a cache of its own). */
export function createSmartCache(storeOrCache: Store | Cache, options?: SmartCacheOptions): SmartCache {
  const given = isCache(storeOrCache)
  if (given && options !== undefined) {
    throw invalidArgument(
      'createSmartCache: options apply only when it creates the cache; configure the Cache you pass',
    )
  }
  const cache = given ? storeOrCache : createCache(storeOrCache as Store, options)
  return {
    cache,
    async setWithTags(key, data, ttl, tags) {
      if (!Array.isArray(tags) || tags.length === 0) {
        throw invalidArgument(
          `setWithTags needs a non-empty array of tags (got ${describe(tags)}); use cache.set() for an entry without tags`,
        )
      }
      await cache.set(key, data, { ttl, tags })
    },
    get: (key) => cache.get(key),
    getMany: (keys) => cache.getMany(keys),
    getOrSet: (key, loader, options) => cache.getOrSet(key, loader, options),
    delete: (key) => cache.delete(key),
    async invalidateTag(tag) {
      if (typeof tag !== 'string' || tag.length === 0) {
        throw invalidArgument(`invalidateTag needs a non-empty string (got ${describe(tag)})`)
      }
      await cache.invalidateTags([tag])
    },
    invalidateTags: (tags) => cache.invalidateTags(tags),
    clearPattern: (pattern) => cache.clear(pattern),
    stats: () => cache.stats(),
    async close() {
      if (!given) await cache.close()
    },
  }
}

/**
 * glob`…`: a Redis glob whose literal parts are yours and whose interpolated values are escaped,
 * so user input never becomes a wildcard: glob`user:${id}:*` with id = '*' matches only keys of
 * the user literally named '*'.
 */
export function glob(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? ''
  values.forEach((value, i) => {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw invalidArgument(`glob: interpolated values must be strings or numbers (got ${describe(value)})`)
    }
    out += escapeGlob(String(value)) + (strings[i + 1] ?? '')
  })
  return out
}
