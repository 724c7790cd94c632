// next.config `cacheHandlers.default`: the entries of 'use cache' in kit.cache (the cache under
// kit.smartCache), shared by every instance. cacheTag() tags are cache tags, so revalidateTag /
// updateTag invalidate them with one write per tag. Soft tags (revalidatePath) are kept as
// timestamps in a hash, read once per request (refreshTags).
import { getKit } from '../lib/kit.mjs'
import { decode, encode } from './codec.mjs'

const NAMESPACE = 'next-use-cache'
const ALL = '_all'

function cache() {
  return getKit().cache.namespace(NAMESPACE)
}

/** Local copy of the soft tags' revalidation times, refreshed once per request. */
const softTagTimes = new Map()
const tagTimeKey = () => `${getKit().prefix}next:tag-times`

/** @param {Uint8Array} bytes */
function streamOf(bytes) {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes)
      controller.close()
    },
  })
}

/** @type {import('next/dist/server/lib/cache-handlers/types').CacheHandler} */
const handler = {
  async get(cacheKey, softTags) {
    try {
      const text = await cache().get(cacheKey)
      if (typeof text !== 'string') return undefined
      const entry = /** @type {any} */ (decode(text))
      const invalidatedAt = Math.max(0, ...softTags.map((tag) => softTagTimes.get(tag) ?? 0))
      if (invalidatedAt > entry.timestamp) return undefined
      return { ...entry, value: streamOf(entry.value) }
    } catch {
      return undefined // Next does not catch errors of get(): a miss re-renders
    }
  },

  async set(cacheKey, pendingEntry) {
    try {
      const entry = await pendingEntry
      const value = Buffer.from(await new Response(entry.value).arrayBuffer())
      const ttl = Math.max(1, Math.min(entry.expire, 365 * 24 * 60 * 60))
      const tags = [ALL, ...entry.tags]
      await cache().set(cacheKey, encode({ ...entry, value }), { ttl, tags })
    } catch (error) {
      console.warn('[use-cache handler] set failed:', /** @type {Error} */ (error).message)
    }
  },

  async refreshTags() {
    try {
      const times = await getKit().store.hgetall(tagTimeKey())
      for (const [tag, at] of Object.entries(times)) softTagTimes.set(tag, Number(at))
    } catch {
      // keep the last known times
    }
  },

  async getExpiration() {
    return Number.POSITIVE_INFINITY // soft tags are checked in get()
  },

  async updateTags(tags) {
    if (tags.length === 0) return
    const now = Date.now()
    await cache().invalidateTags(tags)
    const soft = tags.filter((tag) => tag.startsWith('_N_T_'))
    for (const tag of soft) softTagTimes.set(tag, now)
    if (soft.length > 0)
      await getKit().store.hset(tagTimeKey(), Object.fromEntries(soft.map((t) => [t, now])))
  },
}

export default handler
