/**
 * smartCache on every store: the seeds' snippets as written, tag invalidation across two
 * processes, cascade through getOrSet, and sharing a Cache (L1, bus, stats) when given one.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createCache } from '../../src/cache/index.js'
import { createSmartCache, type SmartCache } from '../../src/smart-cache/index.js'
import type { Store } from '../../src/stores/types.js'
import { until } from '../cache/helpers.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

describe.each(storeMatrix())('smartCache on $name', ({ name, create }) => {
  const stores: Store[] = []
  const smarts: SmartCache[] = []
  let prefix = ''
  afterEach(async () => {
    await Promise.all(smarts.splice(0).map((s) => s.close()))
    for (const store of stores.splice(0)) {
      await deletePrefix(store, prefix)
      await store.close()
    }
  })

  /** A smart cache in a "process" of its own (on memory: the one shared store). */
  async function process(): Promise<SmartCache> {
    prefix ||= testPrefix('smart')
    const store = name === 'memory' && stores[0] ? stores[0] : create()
    if (!stores.includes(store)) stores.push(store)
    const smartCache = createSmartCache(store, { prefix })
    smarts.push(smartCache)
    await smartCache.cache.ready()
    return smartCache
  }

  it("runs the seeds' snippets as written", async () => {
    const smartCache = await process()
    const data = { memories: ['likes tea', 'lives in Lyon'], updatedAt: new Date(0) }
    await smartCache.setWithTags('user:123:memories', data, 3600, ['user:123', 'memories'])
    expect(await smartCache.get('user:123:memories')).toEqual(data)
    await smartCache.invalidateTag('user:123')
    expect(await smartCache.get('user:123:memories')).toBeUndefined()
  })

  it('an invalidated tag reaches the other process; other tags are untouched', async () => {
    const one = await process()
    const two = await process()
    await one.setWithTags('user:1:memories', ['a'], 3600, ['user:1', 'memories'])
    await one.setWithTags('user:2:memories', ['b'], 3600, ['user:2', 'memories'])
    await one.setWithTags('user:1:profile', { n: 1 }, '1h', ['user:1'])
    expect(await two.get('user:1:profile')).toEqual({ n: 1 })
    await one.invalidateTags(['user:1'])
    await until('the other process drops user:1', async () => (await two.get('user:1:profile')) === undefined)
    expect(await two.get('user:1:memories')).toBeUndefined()
    expect(await two.get('user:2:memories')).toEqual(['b'])
    await two.invalidateTag('memories')
    await until(
      'the first process drops memories',
      async () => (await one.get('user:2:memories')) === undefined,
    )
  })

  it('getOrSet inherits the tags of what its loader read (cascade)', async () => {
    const smartCache = await process()
    await smartCache.setWithTags('user:1:memories', ['likes tea'], 3600, ['user:1', 'memories'])
    const analysis = await smartCache.getOrSet(
      'user:1:analysis',
      async () => `summary of ${(await smartCache.get<string[]>('user:1:memories'))!.join(', ')}`,
      { ttl: '2h' },
    )
    expect(analysis).toBe('summary of likes tea')
    expect(await smartCache.get('user:1:analysis')).toBe(analysis)
    await smartCache.invalidateTag('memories')
    expect(await smartCache.get('user:1:analysis')).toBeUndefined()
  })

  it('over a Cache it shares that cache (L1, bus, stats); over a store it owns its own', async () => {
    prefix ||= testPrefix('smart')
    const store = create()
    stores.push(store)
    const cache = createCache(store, { prefix })
    const smartCache = createSmartCache(cache)
    await smartCache.setWithTags('k', 1, 60, ['t'])
    expect(await cache.get('k')).toBe(1)
    expect(smartCache.stats()).toEqual(cache.stats())
    await smartCache.close() // not its cache: stays open
    expect(await cache.get('k')).toBe(1)
    await cache.close()
  })
})
