/**
 * The cache's API on every store: values of every kind the codec carries, misses, TTL presets and
 * expiry (on an injected clock), jitter, getMany/setMany, namespaces, stats and events.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type Cache, createCache } from '../../src/cache/index.js'
import type { Store } from '../../src/stores/types.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

describe.each(storeMatrix())('cache basics on $name', ({ name, create }) => {
  let store: Store
  let prefix: string
  let clock: number
  let cache: Cache
  beforeEach(async () => {
    store = create()
    prefix = testPrefix('basics')
    clock = Date.now()
    cache = createCache(store, { prefix, now: () => clock })
    await cache.ready()
  })
  afterEach(async () => {
    await cache.close()
    await deletePrefix(store, prefix)
    await store.close()
  })

  it('round-trips JSON, Dates, raw Buffers and null; a miss is undefined', async () => {
    const value = {
      id: 1,
      name: 'ada',
      at: new Date(5),
      bytes: Buffer.from([0, 255]),
      list: [1, 'two', null],
    }
    await cache.set('obj', value)
    await cache.set('buf', Buffer.from([0, 1, 2, 0xff, 0xfe]))
    await cache.set('null', null)
    await cache.set('text', 'héllo')
    expect(await cache.get('obj')).toEqual(value)
    expect(await cache.get('buf')).toEqual(Buffer.from([0, 1, 2, 0xff, 0xfe]))
    expect(await cache.get('null')).toBeNull()
    expect(await cache.get('text')).toBe('héllo')
    expect(await cache.get('absent')).toBeUndefined()
    expect(await cache.has('null')).toBe(true)
    expect(await cache.has('absent')).toBe(false)
  })

  it('stores Buffers raw in the store (never base64)', async () => {
    await cache.set('raw', Buffer.from([0xde, 0xad, 0xbe, 0xef]))
    const stored = await store.getBuffer(`${prefix}cache:v:raw`)
    expect(stored).not.toBeNull()
    expect(stored!.subarray(stored!.length - 5)).toEqual(Buffer.from([0x00, 0xde, 0xad, 0xbe, 0xef]))
  })

  it('serves the same value from a second read (L1 on remote stores) and counts tiers', async () => {
    await cache.set('k', { v: 1 })
    await cache.get('k')
    await cache.get('k')
    const stats = cache.stats()
    expect(stats.hits).toBe(2)
    if (name === 'memory') {
      expect(stats.l1).toBeNull()
      expect(stats.l2Hits).toBe(2)
    } else {
      expect(stats.l1Hits).toBe(2) // set() filled the L1
      expect(stats.l1?.entries).toBe(1)
    }
  })

  it('expires entries after their TTL; presets are 5 min / 1 h / 24 h', async () => {
    await cache.set('short', 1, { ttl: 'short' })
    await cache.set('medium', 2, { ttl: 'medium' })
    await cache.set('long', 3, { ttl: 'long' })
    await cache.set('secs', 4, { ttl: 10 })
    clock += 11_000
    expect(await cache.getMany(['short', 'medium', 'long', 'secs'])).toEqual([1, 2, 3, undefined])
    clock += 5 * 60_000
    expect(await cache.get('short')).toBeUndefined()
    expect(await cache.get('medium')).toBe(2)
    clock += 60 * 60_000
    expect(await cache.get('medium')).toBeUndefined()
    expect(await cache.get('long')).toBe(3)
    clock += 24 * 60 * 60_000
    expect(await cache.get('long')).toBeUndefined()
  })

  it('jitter shortens TTLs by up to 5% by default, never lengthens them', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.999)
    try {
      await cache.set('j', 'x', { ttl: 100 })
    } finally {
      random.mockRestore()
    }
    clock += 94_000
    expect(await cache.get('j')).toBe('x')
    clock += 1_100 // 95.1 s: past 100 s shortened by 4.995 %
    expect(await cache.get('j')).toBeUndefined()
  })

  it('presets are configurable', async () => {
    const custom = createCache(store, { prefix, presets: { short: 2 }, now: () => clock })
    try {
      await custom.set('p', 'v', { ttl: 'short' })
      clock += 2_001
      expect(await custom.get('p')).toBeUndefined()
    } finally {
      await custom.close()
    }
  })

  it('delete removes the value; set overwrites it', async () => {
    await cache.set('d', 1)
    await cache.set('d', 2)
    expect(await cache.get('d')).toBe(2)
    await cache.delete('d')
    expect(await cache.get('d')).toBeUndefined()
    expect(await store.exists([`${prefix}cache:v:d`])).toBe(0)
  })

  it('getMany and setMany: one call each way, misses in place', async () => {
    await cache.setMany([
      { key: 'm1', value: 1 },
      { key: 'm2', value: { two: 2 }, ttl: 5 },
      { key: 'm3', value: Buffer.from('three'), tags: ['t'] },
    ])
    expect(await cache.getMany(['m1', 'nope', 'm2', 'm3'])).toEqual([
      1,
      undefined,
      { two: 2 },
      Buffer.from('three'),
    ])
    clock += 6_000
    expect(await cache.getMany(['m1', 'm2'])).toEqual([1, undefined])
    await cache.invalidateTags(['t'])
    expect(await cache.getMany(['m3'])).toEqual([undefined])
    expect(await cache.getMany([])).toEqual([])
  })

  it('namespaces keep keys, tags and clears apart', async () => {
    const users = cache.namespace('users')
    const posts = cache.namespace('posts')
    await users.set('1', 'ada', { tags: ['all'] })
    await posts.set('1', 'hello', { tags: ['all'] })
    await cache.set('1', 'root')
    expect([await users.get('1'), await posts.get('1'), await cache.get('1')]).toEqual([
      'ada',
      'hello',
      'root',
    ])
    await users.invalidateTags(['all'])
    expect([await users.get('1'), await posts.get('1')]).toEqual([undefined, 'hello'])
    await users.set('2', 'bob')
    expect(await users.clear()).toBe(2) // users:1 (invalid, still stored until it expires) and users:2
    expect([await users.get('2'), await posts.get('1'), await cache.get('1')]).toEqual([
      undefined,
      'hello',
      'root',
    ])
    expect(users.namespace('admins').keyPrefix).toBe(`${prefix}cache:v:users:admins:`)
  })

  it('emits cache:hit and cache:miss with the key as written (namespace included)', async () => {
    const events: string[] = []
    const offHit = cache.on('cache:hit', ({ key, tier }) => events.push(`hit ${key} ${tier}`))
    cache.on('cache:miss', ({ key }) => events.push(`miss ${key}`))
    const ns = cache.namespace('n')
    await ns.set('a', 1)
    await ns.get('a')
    await ns.get('b')
    offHit()
    await ns.get('a')
    expect(events).toEqual([`hit n:a ${name === 'memory' ? 'l2' : 'l1'}`, 'miss n:b'])
  })

  it('reports a corrupt stored value as cache:error and reads it as a miss', async () => {
    const errors: string[] = []
    cache.on('cache:error', ({ operation, key }) => errors.push(`${operation} ${key}`))
    await store.set(`${prefix}cache:v:bad`, '\u0002123,45x')
    expect(await cache.get('bad')).toBeUndefined()
    expect(errors).toEqual(['decode bad'])
    expect(cache.stats().errors).toBe(1)
  })

  it('reads a plain JSON value written by another client', async () => {
    await store.set(`${prefix}cache:v:foreign`, JSON.stringify({ from: 'elsewhere' }))
    expect(await cache.get('foreign')).toEqual({ from: 'elsewhere' })
  })
})
