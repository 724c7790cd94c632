/**
 * trackEvent across a Redis outage, through the FailoverStore createKit builds: events tracked
 * while Redis is unreachable, and events whose replies were lost after they ran, all reach Redis
 * exactly once (the script is journaled and guarded by an op id).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createAnalytics } from '../../src/analytics/index.js'
import { createRedisStore, type RedisStore } from '../../src/stores/index.js'
import { failoverOver, type Harness, uniquePrefix, until } from '../faults/helpers.js'
import { redisUrl } from '../support/env.js'
import { cleanup, proxy } from '../support/fault-proxy-clients.js'

describe('analytics across an outage', () => {
  let h: Harness | undefined
  let direct: RedisStore | undefined
  afterEach(async () => {
    await h?.close()
    await direct?.close()
    await cleanup()
  })

  it('counts every event once: tracked while down, and tracked while replies were lost', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl())
    const prefix = uniquePrefix('analytics')
    const analytics = createAnalytics(h.store, { prefix, breakdown: ['model'] })
    for (const user of ['a', 'b', 'c']) await analytics.trackEvent('chat_message', user, { model: 'gpt' })

    p.refuse(true)
    p.cut('rst')
    for (const user of ['c', 'd', 'e']) await analytics.trackEvent('chat_message', user, { model: 'claude' })
    await analytics.trackMany([
      { name: 'chat_message', userId: 'f' },
      { name: 'signup', userId: 'f' },
    ])
    expect(h.events.failover).toBe(1)
    p.refuse(false)
    p.pass()
    await until('recovered', () => h!.events.recovered === 1, 8000)

    p.latency(750, 0, 'down') // the scripts run on Redis, their replies come after the deadline
    await Promise.all(['g', 'h'].map((user) => analytics.trackEvent('chat_message', user)))
    p.pass()
    p.cut('rst')
    await until('recovered again', () => h!.events.recovered === 2, 8000)

    direct = createRedisStore(redisUrl())
    const onRedis = createAnalytics(direct, { prefix, breakdown: ['model'] })
    const stats = await onRedis.getStats('chat_message', { days: 1 })
    expect(stats.total).toBe(9)
    expect(stats.unique).toBe(8)
    expect(stats.daily[0]).toMatchObject({ count: 9, unique: 8 })
    expect(await onRedis.getBreakdown('chat_message', 'model')).toEqual([
      { value: 'claude', count: 3 },
      { value: 'gpt', count: 3 },
    ])
    expect(await onRedis.getEvents()).toEqual(['chat_message', 'signup'])
    expect(h.store.stats().uncertain).toBe(0)
  })
})
