/**
 * The cache through a FailoverStore whose Redis goes away (fault proxy: connections cut and
 * refused) and comes back: calls keep answering (L1, then memory); values written or loaded
 * during the outage are never written to Redis; deletes, tag invalidations and pattern clears
 * made during the outage reach Redis on recovery, and reach the other processes' L1 too.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type Cache, createCache } from '../../src/cache/index.js'
import { createRedisStore } from '../../src/stores/redis.js'
import { failoverOver, type Harness } from '../faults/helpers.js'
import { redisUrl } from '../support/env.js'
import type { FaultProxy } from '../support/fault-proxy.js'
import { cleanup, proxy } from '../support/fault-proxy-clients.js'
import { deletePrefix, testPrefix } from '../support/stores.js'
import { until } from './helpers.js'

describe('the cache during a Redis outage (FailoverStore)', () => {
  let h: Harness | undefined
  let p: FaultProxy
  let prefix: string
  let cache: Cache
  /** Another process, on Redis directly (not behind the proxy). */
  let other: Cache
  const otherStore = () => createRedisStore(redisUrl())
  let otherStoreInstance: ReturnType<typeof createRedisStore>

  async function setup() {
    p = await proxy()
    h = failoverOver(p.url, redisUrl())
    prefix = testPrefix('outage')
    cache = createCache(h.store, { prefix })
    otherStoreInstance = otherStore()
    other = createCache(otherStoreInstance, { prefix })
    await Promise.all([cache.ready(), other.ready()])
  }

  async function outage() {
    p.refuse(true)
    p.cut('rst')
    await until('the circuit opens', async () => {
      await cache.get('probe')
      return h!.store.state() === 'open'
    })
  }

  async function recover() {
    p.refuse(false)
    p.pass()
    await until('the store recovers', () => h!.events.recovered >= 1, 20_000)
  }

  afterEach(async () => {
    await cache?.close()
    await other?.close()
    await h?.close()
    h = undefined
    await cleanup()
    const direct = otherStore()
    await deletePrefix(direct, prefix)
    await direct.close()
    await otherStoreInstance?.close()
  })

  it('answers from the L1 and memory meanwhile; what it loaded then never reaches Redis', async () => {
    await setup()
    await cache.set('before', 'v0')
    expect(await cache.get('before')).toBe('v0')
    await outage()
    expect(await cache.get('before')).toBe('v0') // the L1
    await cache.set('during', 'written in the outage')
    expect(await cache.get('during')).toBe('written in the outage') // memory (and L1)
    expect(await cache.getOrSet('loaded', () => 'loaded in the outage')).toBe('loaded in the outage')
    await recover()
    expect(h!.events.replayed).toBe(0) // nothing durable happened: nothing replayed
    expect(await h!.direct.exists(`${prefix}cache:v:during`, `${prefix}cache:v:loaded`)).toBe(0)
    expect(await h!.direct.exists(`${prefix}cache:v:before`)).toBe(1)
    expect(await other.getMany(['before', 'during', 'loaded'])).toEqual(['v0', undefined, undefined])
  })

  it('deletes and tag invalidations made meanwhile reach Redis and the other processes on recovery', async () => {
    await setup()
    await cache.set('doomed', 'v', { tags: ['t'] })
    await cache.set('tagged', 'v', { tags: ['t'] })
    await cache.set('kept', 'v')
    for (const key of ['doomed', 'tagged', 'kept']) {
      await until(`the other process holds ${key} in its L1`, async () => {
        const hits = other.stats().l1Hits
        await other.get(key)
        return other.stats().l1Hits === hits + 1
      })
    }
    await outage()
    await cache.delete('doomed')
    await cache.invalidateTags(['t'])
    expect(await cache.getMany(['doomed', 'tagged'])).toEqual([undefined, undefined]) // at once, here
    expect(await other.get('tagged')).toBe('v') // the other process has not heard yet
    await recover()
    expect(h!.events.replayed).toBe(2)
    expect(await h!.direct.exists(`${prefix}cache:v:doomed`)).toBe(0)
    // the replayed scripts published their bus messages: the other process's L1 hears them
    await until('the other process drops them', async () => {
      const [doomed, tagged] = await other.getMany(['doomed', 'tagged'])
      return doomed === undefined && tagged === undefined
    })
    expect(await other.get('kept')).toBe('v')
  })

  it('a pattern clear made meanwhile is made again on Redis on recovery', async () => {
    await setup()
    await cache.setMany([
      { key: 'user:1:a', value: 1 },
      { key: 'user:1:b', value: 2 },
      { key: 'user:2:a', value: 3 },
    ])
    await outage()
    expect(await cache.clear('user:1:*')).toBe(0) // memory holds none of them
    expect(await cache.getMany(['user:1:a', 'user:2:a'])).toEqual([undefined, 3])
    await recover()
    // the clear is replayed as SCAN + UNLINK batches: wait for both keys, whichever batch has them
    await until(
      'Redis lost user:1:*',
      async () => (await h!.direct.exists(`${prefix}cache:v:user:1:a`, `${prefix}cache:v:user:1:b`)) === 0,
    )
    expect(await h!.direct.exists(`${prefix}cache:v:user:2:a`)).toBe(1)
    await until('the other process misses user:1:a', async () => (await other.get('user:1:a')) === undefined)
    expect(await other.get('user:2:a')).toBe(3)
  })
})
