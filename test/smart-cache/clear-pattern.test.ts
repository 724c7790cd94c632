/**
 * clearPattern on every store (every master of the cluster): SCAN + UNLINK in bounded batches,
 * only under the cache's prefix (and namespace), with user input escaped by the `glob` template
 * so that `* ? [ ] \` in it are literal. A pattern built from `user:*` input never matches another
 * user's keys.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCache } from '../../src/cache/index.js'
import { escapeGlob } from '../../src/internal/keys.js'
import { createSmartCache, glob, type SmartCache } from '../../src/smart-cache/index.js'
import type { Store } from '../../src/stores/types.js'
import { spy } from '../cache/helpers.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

const ADVERSARIAL = ['*', '?', '[', ']', '\\', '[a-z]', 'a*b', '\\*', '[^x]', '?*?', 'plain']

describe.each(storeMatrix())('clearPattern on $name', ({ create }) => {
  let store: Store
  let prefix: string
  let smart: SmartCache
  beforeEach(async () => {
    store = create()
    prefix = testPrefix('clear')
    smart = createSmartCache(store, { prefix })
    await smart.cache.ready()
  })
  afterEach(async () => {
    await smart.close()
    await deletePrefix(store, prefix)
    await store.close()
  })

  it("a user id full of glob characters matches only that user's keys", async () => {
    for (const id of ADVERSARIAL) await smart.setWithTags(`user:${id}:session`, id, 3600, [`user:${id}`])
    for (const id of ADVERSARIAL) {
      expect(await smart.clearPattern(glob`user:${id}:*`)).toBe(1)
      expect(await smart.get(`user:${id}:session`)).toBeUndefined()
      const left = ADVERSARIAL.slice(ADVERSARIAL.indexOf(id) + 1)
      expect(await smart.cache.getMany(left.map((other) => `user:${other}:session`))).toEqual(left)
    }
  })

  it('escapeGlob works the same for patterns written by hand', async () => {
    await smart.setWithTags('files:a*b', 1, 60, ['f'])
    await smart.setWithTags('files:axxb', 2, 60, ['f'])
    expect(await smart.clearPattern(`files:${escapeGlob('a*b')}`)).toBe(1)
    expect(await smart.cache.getMany(['files:a*b', 'files:axxb'])).toEqual([undefined, 2])
    expect(await smart.clearPattern('files:a*')).toBe(1)
  })

  it("never reaches outside the cache's prefix and namespace", async () => {
    const neighbour = createCache(store, { prefix: `${prefix}other:` })
    const ns = smart.cache.namespace('tenant[1]')
    try {
      await neighbour.set('user:1', 'neighbour')
      await store.set(`${prefix}raw:user:1`, 'not a cache key')
      await ns.set('user:1', 'in the namespace')
      await smart.cache.set('user:1', 'root')
      expect(await ns.clear('*')).toBe(1)
      expect(await smart.get('user:1')).toBe('root')
      expect(await smart.clearPattern('*')).toBe(1)
      expect(await neighbour.get('user:1')).toBe('neighbour')
      expect(await store.get(`${prefix}raw:user:1`)).toBe('not a cache key')
    } finally {
      await neighbour.close()
    }
  })

  it('deletes thousands of keys in bounded UNLINK batches', async () => {
    const s = spy(create())
    const cache = createCache(s.store, { prefix: `${prefix}bulk:` })
    try {
      await cache.setMany(Array.from({ length: 1200 }, (_, i) => ({ key: `item:${i}`, value: i })))
      await cache.set('other', 'kept')
      s.reset()
      expect(await cache.clear('item:*')).toBe(1200)
      const batches = s.args.unlink!.map(([keys]) => (keys as string[]).length)
      expect(Math.max(...batches)).toBeLessThanOrEqual(500)
      expect(batches.reduce((a, b) => a + b, 0)).toBe(1200)
      expect(await cache.getMany(['item:0', 'item:1199', 'other'])).toEqual([undefined, undefined, 'kept'])
    } finally {
      await cache.close()
      await s.store.close()
    }
  })
})
