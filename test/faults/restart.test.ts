/**
 * A Redis restart: the server process is killed and started again on the same port. Calls keep
 * answering from memory meanwhile; what was written during the outage reaches Redis once.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type RedisServer, startRedisServer } from '../support/redis.js'
import { failoverOver, type Harness, uniquePrefix, until } from './helpers.js'

describe('Redis killed and restarted', () => {
  let server: RedisServer | undefined
  let h: Harness | undefined
  afterEach(async () => {
    await h?.close()
    await server?.stop()
  })

  it('serves from memory while down, replays increments exactly once, and recovers', async () => {
    server = await startRedisServer()
    h = failoverOver(server.url)
    const p = uniquePrefix('restart')
    expect(await h.store.incrby(`${p}count`, 5)).toBe(5)
    expect(h.store.state()).toBe('closed')

    server.kill('SIGKILL')
    const started = performance.now()
    const during = await Promise.all(Array.from({ length: 50 }, () => h!.store.incrby(`${p}count`, 1)))
    expect(performance.now() - started).toBeLessThan(1500)
    expect(during.length).toBe(50)
    await h.store.set(`${p}session`, 'kept')
    await h.store.sadd(`${p}members`, ['a', 'b'])
    expect(h.events.failover).toBe(1)
    expect(h.store.state()).not.toBe('closed')
    expect(await h.store.get(`${p}session`)).toBe('kept') // served by memory

    await server.restart() // data is gone (no persistence): Redis starts empty
    await until('recovered', () => h!.events.recovered === 1)
    expect(h.store.state()).toBe('closed')
    expect(await h.direct.get(`${p}count`)).toBe('50') // the 5 from before died with the process
    expect(await h.direct.get(`${p}session`)).toBe('kept')
    expect((await h.direct.smembers(`${p}members`)).sort()).toEqual(['a', 'b'])
    expect(h.store.stats().journal.size).toBe(0)
    expect(await h.store.incrby(`${p}count`, 1)).toBe(51) // back on Redis
  })
})
