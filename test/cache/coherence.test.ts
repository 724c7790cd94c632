/**
 * Coherence of the L1 across two caches on two store instances ("two processes"): a set, delete,
 * tag invalidation or pattern clear in one is seen by the other's next read once the bus
 * delivers; in the process that made the change, no read that starts after it resolved sees the
 * old value, even when a store read from before is still in flight. L1 entries never outlive
 * their TTL in the store.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createCache } from '../../src/cache/index.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'
import { type Pair, pair, spy, until } from './helpers.js'

describe.each(storeMatrix())('cache coherence on $name', (c) => {
  let p: Pair | undefined
  afterEach(async () => {
    await p?.close()
    p = undefined
  })

  /**
   * B holds `key` in its L1: a read is an L1 hit (remote stores). The bus message of A's write may
   * still arrive after B's first read and drop it, so B reads until one is an L1 hit.
   */
  async function warm(key: string, expected: unknown) {
    await until(`B holds ${key} in its L1`, async () => {
      const before = p!.b.stats().l1Hits
      expect(await p!.b.get(key)).toEqual(expected)
      return c.name === 'memory' || p!.b.stats().l1Hits === before + 1
    })
  }

  it('a set in one process reaches the other once the bus delivers', async () => {
    p = await pair(c)
    await p.a.set('k', 'v1')
    await warm('k', 'v1')
    await p.a.set('k', 'v2')
    await until('B reads v2', async () => (await p!.b.get('k')) === 'v2')
    expect(await p.a.get('k')).toBe('v2')
  })

  it('a delete in one process reaches the other', async () => {
    p = await pair(c)
    await p.a.set('k', { n: 1 })
    await warm('k', { n: 1 })
    await p.a.delete('k')
    await until('B misses', async () => (await p!.b.get('k')) === undefined)
  })

  it('a tag invalidation in one process reaches the other', async () => {
    p = await pair(c)
    await p.a.set('k', 'tagged', { tags: ['group'] })
    await warm('k', 'tagged')
    await p.b.invalidateTags(['group'])
    expect(await p.b.get('k')).toBeUndefined() // at once in the invalidating process
    await until('A misses', async () => (await p!.a.get('k')) === undefined)
  })

  it('a pattern clear in one process reaches the other', async () => {
    p = await pair(c)
    await p.a.setMany([
      { key: 'user:1:a', value: 1 },
      { key: 'user:2:a', value: 2 },
    ])
    await warm('user:1:a', 1)
    await warm('user:2:a', 2)
    expect(await p.a.clear('user:1:*')).toBe(1)
    await until('B misses user:1:a', async () => (await p!.b.get('user:1:a')) === undefined)
    expect(await p.b.get('user:2:a')).toBe(2)
  })

  it('never serves the old value after set resolved, even with a store read from before in flight', async () => {
    const s = spy(c.create())
    const prefix = testPrefix('race')
    const writer = createCache(s.store, { prefix })
    const cache = createCache(s.store, { prefix })
    try {
      await Promise.all([writer.ready(), cache.ready()])
      await writer.set('k', 'old')
      s.hold('getBuffer')
      const inFlight = cache.get('k') // misses the L1, reads the store, waits with 'old' in hand
      await until('the read reached the store', () => (s.calls.getBuffer ?? 0) >= 1)
      await cache.set('k', 'new')
      s.release()
      expect(await inFlight).toBe('old') // it started before the set: either answer is right
      expect(await cache.get('k')).toBe('new') // but what it read must not stick in the L1
      expect(await cache.get('k')).toBe('new')
    } finally {
      await Promise.all([writer.close(), cache.close()])
      await deletePrefix(s.store, prefix)
      await s.store.close()
    }
  })

  it('a getOrSet load that an invalidation overtook does not write its (older) value', async () => {
    p = await pair(c)
    let release!: () => void
    const loading = p.a.getOrSet(
      'k',
      () => new Promise<string>((resolve) => (release = () => resolve('loaded'))),
    )
    await until('the loader runs', () => release !== undefined)
    await p.a.set('k', 'newer')
    release()
    expect(await loading).toBe('loaded') // its caller asked before the set
    expect(await p.a.get('k')).toBe('newer')
    expect(await p.b.get('k')).toBe('newer')
  })
})

describe.each(storeMatrix(['redis', 'cluster', 'failover']))('the L1 on $name', (c) => {
  it('an L1 entry never outlives the TTL of its store copy', async () => {
    let clock = Date.now()
    const store = c.create()
    const prefix = testPrefix('ttl')
    const cache = createCache(store, { prefix, now: () => clock, l1: { maxAge: '1h' } })
    try {
      await cache.ready()
      await cache.set('k', 'v', { ttl: 30 })
      expect(await cache.get('k')).toBe('v')
      expect(cache.stats().l1Hits).toBe(1)
      clock += 31_000
      expect(await cache.get('k')).toBeUndefined()
      expect(cache.stats().l1Hits).toBe(1)
    } finally {
      await cache.close()
      await deletePrefix(store, prefix)
      await store.close()
    }
  })

  it('an L1 entry is re-read from the store after l1.maxAge', async () => {
    let clock = Date.now()
    const s = spy(c.create())
    const prefix = testPrefix('age')
    const cache = createCache(s.store, { prefix, now: () => clock, l1: { maxAge: '10s' } })
    try {
      await cache.ready()
      await cache.set('k', 'v')
      expect(await cache.get('k')).toBe('v')
      const reads = s.calls.getBuffer ?? 0
      clock += 11_000
      expect(await cache.get('k')).toBe('v')
      expect(s.calls.getBuffer).toBe(reads + 1)
      expect(await cache.get('k')).toBe('v')
      expect(s.calls.getBuffer).toBe(reads + 1)
    } finally {
      await cache.close()
      await deletePrefix(s.store, prefix)
      await s.store.close()
    }
  })

  it('invalidating an unrelated tag keeps tagged L1 hits; invalidating theirs ends them', async () => {
    const s = spy(c.create())
    const prefix = testPrefix('epoch')
    const cache = createCache(s.store, { prefix })
    try {
      await cache.ready()
      await cache.set('k', 'v', { tags: ['mine'] })
      expect(await cache.get('k')).toBe('v')
      await cache.invalidateTags(['other'])
      s.reset()
      expect(await cache.get('k')).toBe('v')
      expect(s.calls).toEqual({}) // still an L1 hit: no store call
      await cache.invalidateTags(['mine'])
      expect(await cache.get('k')).toBeUndefined()
      expect(cache.stats().l1Hits).toBe(2)
    } finally {
      await cache.close()
      await deletePrefix(s.store, prefix)
      await s.store.close()
    }
  })
})
