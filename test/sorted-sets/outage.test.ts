/**
 * Sorted-set increments and trending bumps across a Redis outage, through the FailoverStore
 * createKit builds: made while Redis is unreachable or while replies were lost, each reaches Redis
 * exactly once, in the bucket and epoch of the moment it was made.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createSortedSets } from '../../src/sorted-sets/index.js'
import { createRedisStore, type RedisStore } from '../../src/stores/index.js'
import { failoverOver, type Harness, uniquePrefix, until } from '../faults/helpers.js'
import { redisUrl } from '../support/env.js'
import { cleanup, proxy } from '../support/fault-proxy-clients.js'

describe('sorted sets across an outage', () => {
  let h: Harness | undefined
  let direct: RedisStore | undefined
  afterEach(async () => {
    await h?.close()
    await direct?.close()
    await cleanup()
  })

  it('replays increments and bumps exactly once', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl())
    const prefix = uniquePrefix('zsets')
    let t = Date.UTC(2025, 0, 10, 12, 30)
    const options = { prefix, now: () => t }
    const zsets = createSortedSets(h.store, options)
    await zsets.increment('themes', 'dreams', 1)
    await zsets.trending.bump('themes', 'dreams', 1)
    await zsets.decaying.bump('themes', 'dreams', 1)

    p.refuse(true)
    p.cut('rst')
    await zsets.increment('themes', 'dreams', 2)
    await zsets.increment('themes', 'music', 5)
    await zsets.trending.bump('themes', 'music', 4)
    await zsets.decaying.bump('themes', 'music', 4)
    expect(h.events.failover).toBe(1)
    t += 3_600_000 // the next hour: the replayed bumps still go to the hour they were made in
    p.refuse(false)
    p.pass()
    await until('recovered', () => h!.events.recovered === 1, 8000)

    p.latency(750, 0, 'down') // they run on Redis; their replies come after the deadline
    await Promise.all([zsets.increment('themes', 'dreams', 10), zsets.trending.bump('themes', 'dreams', 10)])
    p.pass()
    p.cut('rst')
    await until('recovered again', () => h!.events.recovered === 2, 8000)

    direct = createRedisStore(redisUrl())
    const onRedis = createSortedSets(direct, options)
    expect(await onRedis.getTop('themes', 5)).toEqual([
      { member: 'dreams', score: 13 },
      { member: 'music', score: 5 },
    ])
    expect(await onRedis.trending.top('themes', 5, { window: '2h' })).toEqual([
      { member: 'dreams', score: 11 },
      { member: 'music', score: 4 },
    ])
    const decayed = await onRedis.decaying.top('themes', 5)
    expect(decayed.map((m) => m.member)).toEqual(['music', 'dreams'])
    expect(decayed[0]!.score).toBeCloseTo(4 * 2 ** (-1 / 6), 10)
    expect(h.store.stats().uncertain).toBe(0)
  })
})
