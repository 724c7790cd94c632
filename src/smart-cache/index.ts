/**
 * @module redis-kit/smart-cache
 * The seeds' tag-based cache (setWithTags, invalidateTag, clearPattern) over redis-kit/cache.
 * See docs/smart-cache.md.
 */
export { createSmartCache, glob, type SmartCache, type SmartCacheOptions } from './smart-cache.js'
