/**
 * Bits and feature flags across a Redis outage, through the FailoverStore createKit builds. The
 * flag script runs again on Redis at replay, so a user first seen during the outage gets its
 * offset from Redis's map, never the memory store's (which would collide with Redis's users).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createBitmaps } from '../../src/bitmaps/index.js'
import { createRedisStore, type RedisStore } from '../../src/stores/index.js'
import { failoverOver, type Harness, uniquePrefix, until } from '../faults/helpers.js'
import { redisUrl } from '../support/env.js'
import { cleanup, proxy } from '../support/fault-proxy-clients.js'

describe('bitmaps across an outage', () => {
  let h: Harness | undefined
  let direct: RedisStore | undefined
  afterEach(async () => {
    await h?.close()
    await direct?.close()
    await cleanup()
  })

  it('replays bits and flags, mapping new users on Redis', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl())
    const prefix = uniquePrefix('bitmaps')
    const bitmaps = createBitmaps(h.store, { prefix })
    await bitmaps.flags.enable('beta', 'alice') // alice: offset 0 on Redis
    await bitmaps.flags.enable('beta', 'bob') // bob: offset 1
    await bitmaps.setBit('features:beta', 7, 1)

    p.refuse(true)
    p.cut('rst')
    await bitmaps.flags.enable('beta', 'carol') // memory would give carol offset 0: alice's
    await bitmaps.flags.disable('beta', 'bob')
    await bitmaps.setBit('features:beta', 9, 1)
    expect(await bitmaps.flags.isEnabled('beta', 'carol')).toBe(true)
    expect(h.events.failover).toBe(1)
    p.refuse(false)
    p.pass()
    await until('recovered', () => h!.events.recovered === 1, 8000)

    direct = createRedisStore(redisUrl())
    const onRedis = createBitmaps(direct, { prefix })
    expect(await direct.hgetall(`${prefix}flags:{flags}:ids`)).toEqual({ alice: '0', bob: '1', carol: '2' })
    expect(await onRedis.flags.getAll('alice')).toEqual({ beta: true })
    expect(await onRedis.flags.isEnabled('beta', 'bob')).toBe(false)
    expect(await onRedis.flags.isEnabled('beta', 'carol')).toBe(true)
    expect(await onRedis.flags.enabledCount('beta')).toBe(2)
    expect(await onRedis.count('features:beta')).toBe(2)
  })
})
