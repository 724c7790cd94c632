/** createKit with Redis: failover on by default, its events and figures on the kit. */
import { afterEach, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../src/index.js'
import { cleanup, proxy } from '../support/fault-proxy-clients.js'
import { type RedisServer, startRedisServer } from '../support/redis.js'
import { until } from './helpers.js'

describe('createKit with Redis', () => {
  let kit: Kit | undefined
  let server: RedisServer | undefined
  afterEach(async () => {
    await kit?.close()
    await server?.stop()
    await cleanup()
  })

  it('fails over to memory and back, with events and stats on the kit', async () => {
    const p = await proxy()
    kit = createKit({ redis: { url: p.url, connectTimeout: '300ms' }, prefix: `kf${Date.now()}:` })
    const seen: string[] = []
    for (const event of ['failover', 'recovered', 'replayed'] as const) kit.on(event, () => seen.push(event))
    expect((await kit.health()).status).toBe('ok')
    p.refuse(true)
    p.cut('rst')
    for (let i = 0; i < 5; i++) await kit.store.incrby(`${kit.prefix}n`, 1)
    const degraded = await kit.health()
    expect(degraded).toMatchObject({ status: 'degraded', circuit: 'open' })
    // the increments folded into one entry; the first may be a separate, in-doubt one (cut mid-flight)
    expect(degraded.journal!.size).toBeGreaterThanOrEqual(1)
    expect(degraded.journal!.size).toBeLessThanOrEqual(2)
    expect(kit.stats().failover).toMatchObject({ state: 'open', failovers: 1 })
    expect(kit.stats().memory?.keys).toBeGreaterThan(0)
    p.refuse(false)
    await until('recovered', () => seen.includes('recovered'), 8000)
    expect(seen).toEqual(['failover', 'replayed', 'recovered'])
    expect(await kit.health()).toMatchObject({ status: 'ok', circuit: 'closed', journal: { size: 0 } })
  })

  it('warns once when Redis would evict what the kit keeps (maxmemory-policy allkeys-lru)', async () => {
    server = await startRedisServer({ args: ['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru'] })
    kit = createKit({ redis: server.url })
    const warnings: string[] = []
    kit.on('warning', (message) => warnings.push(message))
    await kit.store.get('x')
    await until('warning', () => warnings.length > 0, 5000)
    expect(warnings[0]).toMatch(/allkeys-lru.*sessions, rate-limit counters and streams/)
    const health = await kit.health()
    expect(health.redis).toMatchObject({ maxmemoryPolicy: 'allkeys-lru', maxmemory: 64 * 1024 * 1024 })
    expect(health.warnings).toHaveLength(1)
    expect(warnings).toHaveLength(1)
  })
})
