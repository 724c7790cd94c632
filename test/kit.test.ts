import { afterEach, describe, expect, it } from 'vitest'
import { createKit, createMemoryStore, isKitError, type Kit } from '../src/index.js'
import { redisUrl } from './support/env.js'

const kits: Kit[] = []
const make = (options?: Parameters<typeof createKit>[0]) => {
  const kit = createKit(options)
  kits.push(kit)
  return kit
}
afterEach(async () => {
  await Promise.all(kits.splice(0).map((kit) => kit.close()))
})

describe('createKit', () => {
  it('uses the memory store when no Redis is configured', async () => {
    const kit = make({ env: {} })
    expect(kit.store.name).toBe('memory')
    expect(kit.prefix).toBe('kit:')
    expect(await kit.health()).toMatchObject({ status: 'ok', store: 'memory' })
    expect(kit.stats()).toMatchObject({ store: 'memory', memory: { keys: 0 } })
  })

  it('uses Redis from the environment, with its key prefix', async () => {
    const kit = make({ env: { REDIS_URL: redisUrl(), REDIS_KEY_PREFIX: 'envapp:' } })
    expect(kit.store.name).toBe('redis')
    expect(kit.prefix).toBe('envapp:')
    const health = await kit.health()
    expect(health.status).toBe('ok')
    expect(health.latencyMs).toBeGreaterThanOrEqual(0)
  })

  it('redis: false forces memory even when the environment sets Redis', () => {
    expect(make({ redis: false, env: { REDIS_URL: redisUrl() } }).store.name).toBe('memory')
  })

  it('closes at once when Redis never answered, even with a subscription still waiting for it', async () => {
    const kit = createKit({ redis: { url: 'redis://127.0.0.1:1', connectTimeout: '200ms' } })
    await kit.cache.set('k', 'v') // the fallback answers; the cache's bus keeps trying to subscribe
    expect(await kit.cache.get('k')).toBe('v')
    await new Promise((resolve) => setTimeout(resolve, 300))
    const started = performance.now()
    await kit.close()
    // the subscriber waits up to 5 s for a ready connection: close must not wait for it
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('reports degraded (memory serves) or down (no failover) when Redis is unreachable, never hanging', async () => {
    for (const [failover, status] of [
      [undefined, 'degraded'],
      [false, 'down'],
    ] as const) {
      const kit = make({ redis: { url: 'redis://127.0.0.1:1', connectTimeout: '200ms' }, failover })
      const started = performance.now()
      const health = await kit.health()
      expect(health.status).toBe(status)
      expect(health.error).toMatch(/unavailable|not ready|ECONNREFUSED/i)
      expect(performance.now() - started).toBeLessThan(5000)
    }
  })

  it('does not close a store it was given; closes its own; close is idempotent', async () => {
    const store = createMemoryStore()
    const kit = createKit({ store })
    await kit.close()
    await kit.close()
    expect(await store.set('still', 'open')).toBe(true)
    await store.close()
    const own = createKit({ env: {} })
    await own.close()
    await expect(own.store.get('x')).rejects.toMatchObject({ code: 'CLOSED' })
  })

  it('forwards connection errors as events instead of throwing them', async () => {
    const kit = make({ redis: { url: 'redis://127.0.0.1:1', connectTimeout: '200ms' } })
    const errors: unknown[] = []
    kit.on('error', (err) => errors.push(err))
    await kit.store.get('x').catch(() => {})
    expect(errors.length).toBeGreaterThan(0)
    expect(isKitError(errors[0])).toBe(true)
  })

  it.each([
    [{ prefix: 'a*' }, /prefix: must not contain glob characters/],
    [{ nope: 1 }, /Unrecognized key/],
    [{ store: {} }, /store: must be a Store/],
    [{ redis: 'http://host:6379' }, /url: must be a URL like redis:\/\//],
    [{ redis: { url: 'redis://h', commandTimeout: -1 } }, /commandTimeout: must be a number of seconds/],
    [{ env: { REDIS_PORT: 'x' } }, /REDIS_PORT must be a whole number/],
  ])('refuses bad options with a typed error naming the fix: %j', (options, message) => {
    let caught: unknown
    try {
      make(options as never)
    } catch (err) {
      caught = err
    }
    expect(isKitError(caught, 'INVALID_OPTIONS')).toBe(true)
    expect(String((caught as Error).message)).toMatch(message)
  })
})
