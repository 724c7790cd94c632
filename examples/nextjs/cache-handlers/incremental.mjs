// next.config `cacheHandler`: Next's ISR / route / fetch cache in kit.cache (the cache under
// kit.smartCache), shared by every instance. Entries carry Next's cache tags (x-next-cache-tags,
// fetch tags) as cache tags, so revalidateTag / revalidatePath map onto invalidateTags (what
// smartCache.invalidateTag does): one write per tag, whatever the number of entries. While Redis
// is down the kit answers from its memory fallback.
import { getKit } from '../lib/kit.mjs'
import { decode, encode } from './codec.mjs'

const NAMESPACE = 'next-isr'
const YEAR = 365 * 24 * 60 * 60
const ALL = '_all' // every entry carries it, so setWithTags always has a tag

function cache() {
  return getKit().cache.namespace(NAMESPACE)
}

/** @param {any} data @param {any} ctx @returns {string[]} */
function tagsOf(data, ctx) {
  const header = data?.headers?.['x-next-cache-tags']
  const fromHeader = typeof header === 'string' ? header.split(',').filter(Boolean) : []
  const fromFetch = Array.isArray(ctx?.tags) ? ctx.tags : Array.isArray(data?.tags) ? data.tags : []
  return [...new Set([ALL, ...fromHeader, ...fromFetch])]
}

/** Next constructs it many times (per request, and during the build): it holds no state of its own. */
export default class RedisKitIncrementalCache {
  /** @param {string} key */
  async get(key) {
    try {
      const text = await cache().get(key)
      return typeof text === 'string' ? /** @type {any} */ (decode(text)) : null
    } catch {
      return null // Next does not catch errors of get(): a miss re-renders
    }
  }

  /** @param {string} key @param {any} data @param {any} ctx */
  async set(key, data, ctx) {
    try {
      if (data === null) return void (await cache().delete(key))
      const expire = ctx?.cacheControl?.expire ?? ctx?.revalidate ?? data?.revalidate
      const ttl = typeof expire === 'number' && expire > 0 ? Math.min(expire, YEAR) : YEAR
      const entry = { lastModified: Date.now(), value: data, cacheControl: ctx?.cacheControl }
      await cache().set(key, encode(entry), { ttl, tags: tagsOf(data, ctx) })
    } catch (error) {
      console.warn('[cache-handler] set failed:', /** @type {Error} */ (error).message)
    }
  }

  /** @param {string | string[]} tags */
  async revalidateTag(tags) {
    const list = (Array.isArray(tags) ? tags : [tags]).filter(Boolean)
    if (list.length > 0) await cache().invalidateTags(list)
  }

  resetRequestCache() {}
}
