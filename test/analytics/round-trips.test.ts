/**
 * trackEvent is one round trip, counted by Redis itself on a redis-server of its own (no other
 * client): INFO's total_reads_processed counts the reads of client sockets (one per round trip),
 * and MONITOR shows every command clients send and every command their scripts run (source
 * "lua"). A steady-state trackEvent is exactly one EVALSHA, which does all the writes.
 */
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Analytics, createAnalytics } from '../../src/analytics/index.js'
import { createFailoverStore, createRedisStore, type RedisStore } from '../../src/stores/index.js'
import { type RedisServer, startRedisServer } from '../support/redis.js'

interface Seen {
  source: string
  args: string[]
}

describe('analytics round trips (MONITOR on a dedicated redis-server)', () => {
  let server: RedisServer
  let store: RedisStore
  let admin: Redis
  let analytics: Analytics

  beforeAll(async () => {
    server = await startRedisServer()
    store = createRedisStore(server.url)
    admin = new Redis(server.url)
    analytics = createAnalytics(store, { prefix: 'rt:', breakdown: ['model'] })
    // warm up: connect, load the script, register the event name
    await analytics.trackEvent('chat_message', 'warm-up', { model: 'gpt' })
  })
  afterAll(async () => {
    admin?.disconnect()
    await store?.close()
    await server?.stop()
  })

  /** Runs `work` under MONITOR; returns what the server executed meanwhile, in order. */
  async function monitored(work: () => Promise<unknown>): Promise<Seen[]> {
    const clients = Number(/connected_clients:(\d+)/.exec(await admin.info('clients'))![1])
    const monitor = await admin.monitor()
    const seen: Seen[] = []
    const marker = `end-${Math.random()}`
    let ended = false
    const done = new Promise<void>((resolve) => {
      monitor.on('monitor', (_time: string, args: string[], source: string) => {
        if (ended) return
        if (args[0]?.toLowerCase() === 'echo' && args[1] === marker) {
          ended = true
          resolve()
        } else seen.push({ source, args })
      })
    })
    try {
      await work()
      await admin.echo(marker) // MONITOR reports in execution order: after this, nothing is missing
      await done
    } finally {
      monitor.disconnect()
      // until the server has closed it: its last read (the EOF) must not land in a later count
      while (Number(/connected_clients:(\d+)/.exec(await admin.info('clients'))![1]) > clients) {
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    }
    return seen
  }

  const readsProcessed = async () => Number(/total_reads_processed:(\d+)/.exec(await admin.info('stats'))![1])

  /** How many times the server read a client socket during `work` (one per round trip). */
  async function roundTrips(work: () => Promise<unknown>): Promise<number> {
    const before = await readsProcessed()
    await work()
    return (await readsProcessed()) - before - 1 // the second INFO's own read
  }

  const fromClients = (seen: Seen[]) =>
    seen.filter((s) => s.source !== 'lua').map((s) => s.args[0]!.toLowerCase())

  it('a trackEvent is one round trip', async () => {
    expect(await roundTrips(() => analytics.trackEvent('chat_message', 'user-1', { model: 'gpt' }))).toBe(1)
    expect(await roundTrips(async () => {})).toBe(0)
    expect(
      await roundTrips(async () => {
        await admin.ping()
        await admin.ping()
      }),
    ).toBe(2) // the counter counts: two round trips
  })

  it('a trackEvent is one EVALSHA, which does all the writes', async () => {
    const seen = await monitored(async () => {
      await analytics.trackEvent('chat_message', 'user-1', { conversationId: 'c1', model: 'claude' })
    })
    expect(fromClients(seen)).toEqual(['evalsha'])
    const inside = seen.filter((s) => s.source === 'lua').map((s) => s.args[0]!.toLowerCase())
    expect(inside).toEqual(['incrby', 'pfadd', 'incrby', 'expire', 'pfadd', 'expire', 'hincrby', 'expire'])
  })

  it('ten trackEvents are ten EVALSHAs, and nothing else', async () => {
    const seen = await monitored(async () => {
      for (let i = 0; i < 10; i++) await analytics.trackEvent('chat_message', `user-${i}`)
    })
    expect(fromClients(seen)).toEqual(Array(10).fill('evalsha'))
  })

  it('the first event of a new name in a process also registers the name, sent alongside', async () => {
    const seen = await monitored(() => analytics.trackEvent('signup', 'user-1'))
    expect(fromClients(seen).sort()).toEqual(['evalsha', 'sadd'])
    const again = await monitored(() => analytics.trackEvent('signup', 'user-2'))
    expect(fromClients(again)).toEqual(['evalsha'])
  })

  it('trackMany sends one EVALSHA per event name and day', async () => {
    const seen = await monitored(() =>
      analytics.trackMany([
        { name: 'chat_message', userId: 'a' },
        { name: 'chat_message', userId: 'b', props: { model: 'gpt' } },
        { name: 'signup', userId: 'c' },
        { name: 'chat_message', userId: 'd', at: Date.now() - 3 * 86_400_000 },
      ]),
    )
    expect(fromClients(seen)).toEqual(['evalsha', 'evalsha', 'evalsha'])
  })

  it('reads are one round trip each: getStats(30 days) one pipeline, activeUsers(30 days) one PFCOUNT', async () => {
    expect(await roundTrips(() => analytics.getStats('chat_message', { days: 30 }))).toBe(1)
    expect(await roundTrips(() => analytics.activeUsers('chat_message', { days: 30 }))).toBe(1)
    expect(await roundTrips(() => analytics.getBreakdown('chat_message', 'model'))).toBe(1)
    const seen = await monitored(() => analytics.getStats('chat_message', { days: 30 }))
    expect(fromClients(seen)).toEqual(['get', 'pfcount', 'mget', ...Array(30).fill('pfcount')])
    const pfcount = await monitored(() => analytics.activeUsers('chat_message', { days: 30 }))
    expect(pfcount.map((s) => s.args.length)).toEqual([31])
  })

  it('through a FailoverStore (what createKit builds) it is still one EVALSHA: the op-id guard runs inside it', async () => {
    const failover = createFailoverStore({ primary: createRedisStore(server.url) })
    try {
      const kitAnalytics = createAnalytics(failover, { prefix: 'rt:' })
      await kitAnalytics.trackEvent('chat_message', 'warm-up')
      expect(await roundTrips(() => kitAnalytics.trackEvent('chat_message', 'user-0'))).toBe(1)
      const seen = await monitored(() => kitAnalytics.trackEvent('chat_message', 'user-1'))
      expect(fromClients(seen)).toEqual(['evalsha'])
      const inside = seen.filter((s) => s.source === 'lua').map((s) => s.args[0]!.toLowerCase())
      expect(inside).toContain('zadd') // the op id, recorded atomically with the counts
      expect(inside).toContain('incrby')
    } finally {
      await failover.close()
    }
  })
})
