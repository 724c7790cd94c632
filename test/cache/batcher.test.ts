/**
 * Store reads are coalesced per tick: concurrent L2 reads leave as one MGET (a lone read as a
 * plain GET), each caller gets its own value, and a failed batch fails only its own reads.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { ReadBatcher } from '../../src/cache/batcher.js'
import { type Cache, createCache } from '../../src/cache/index.js'
import { RedisKitError } from '../../src/errors.js'
import type { Store } from '../../src/stores/types.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'
import { type Spy, spy } from './helpers.js'

describe.each(storeMatrix())('read coalescing on $name', (c) => {
  let s: Spy
  let prefix: string
  let cache: Cache
  afterEach(async () => {
    await cache.close()
    await deletePrefix(s.store, prefix)
    await s.store.close()
  })

  it('concurrent reads of different keys share one MGET; a lone read is a GET', async () => {
    s = spy(c.create())
    prefix = testPrefix('batch')
    cache = createCache(s.store, { prefix, l1: false })
    await cache.ready()
    await cache.setMany(Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, value: { i } })))
    s.reset()
    const values = await Promise.all(Array.from({ length: 300 }, (_, i) => cache.get(`k${i}`)))
    expect(values).toEqual(Array.from({ length: 300 }, (_, i) => ({ i })))
    expect(s.calls.getBuffer ?? 0).toBe(0)
    expect(s.args.mgetBuffer!.map(([keys]) => (keys as string[]).length)).toEqual([256, 44]) // at most 256 per MGET
    s.reset()
    expect(await cache.get('k7')).toEqual({ i: 7 })
    expect(s.calls).toEqual({ getBuffer: 1 })
  })
})

describe('ReadBatcher', () => {
  it('a failed batch fails only its own reads', async () => {
    let fail = true
    const store = {
      getBuffer: async () => null,
      mgetBuffer: async (keys: string[]) => {
        if (fail) throw new RedisKitError('UNAVAILABLE', 'down')
        return keys.map((k) => Buffer.from(k))
      },
    } as unknown as Store
    const batcher = new ReadBatcher(store)
    const first = await Promise.allSettled([batcher.get('a'), batcher.get('b')])
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    fail = false
    expect(await Promise.all([batcher.get('c'), batcher.get('d')])).toEqual([
      Buffer.from('c'),
      Buffer.from('d'),
    ])
  })
})
