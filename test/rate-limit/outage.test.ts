/**
 * Outage policies, on a raw RedisStore and under a FailoverStore, with Redis cut off or silent
 * (blackhole) through the fault proxy, and with the store closed: 'local' enforces the limit in
 * this process (divided by `instances`), 'open' allows, 'closed' denies — never an exception,
 * never a replay of a check, and Redis counts again once it answers.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { RateLimit } from '../../src/rate-limit/index.js'
import { createFailoverStore } from '../../src/stores/failover/index.js'
import { createRedisStore } from '../../src/stores/redis.js'
import type { Store } from '../../src/stores/types.js'
import { until } from '../faults/helpers.js'
import { cleanup, proxy } from '../support/fault-proxy-clients.js'
import { storeMatrix } from '../support/stores.js'
import { limiterOn } from './helpers.js'

function limiters(rateLimit: RateLimit) {
  const spec = { limit: 6, window: 3600 } as const
  return {
    local: rateLimit.define({ name: 'local', ...spec, onStoreError: 'local', instances: 2 }),
    open: rateLimit.define({ name: 'open', ...spec, onStoreError: 'open' }),
    closed: rateLimit.define({ name: 'closed', ...spec, onStoreError: 'closed' }),
  }
}

const overProxy = {
  redis: (url: string): Store => createRedisStore({ url, commandTimeout: '1s', connectTimeout: '300ms' }),
  failover: (url: string): Store =>
    createFailoverStore({
      primary: createRedisStore({ url, commandTimeout: '1s', connectTimeout: '300ms' }),
      timeout: '250ms',
    }),
}

describe.each([
  ['redis', 'cut'],
  ['redis', 'blackhole'],
  ['failover', 'cut'],
  ['failover', 'blackhole'],
] as const)('%s store, Redis %s', (kind, fault) => {
  let store: Store | undefined
  let rateLimit: RateLimit | undefined
  afterEach(async () => {
    await rateLimit?.close()
    await store?.close()
    await cleanup()
  })

  it('each policy is honoured during the outage, and Redis counts again after it', async () => {
    const p = await proxy()
    store = overProxy[kind](p.url)
    rateLimit = limiterOn(store, { timeout: '250ms' })
    const events = { degraded: 0, recovered: 0 }
    rateLimit.on('degraded', () => events.degraded++)
    rateLimit.on('recovered', () => events.recovered++)
    const { local, open, closed } = limiters(rateLimit)
    for (const limiter of [local, open, closed]) {
      expect(await limiter.check('id')).toMatchObject({ allowed: true, remaining: 5, source: 'store' })
    }

    if (fault === 'cut') {
      p.refuse(true)
      p.cut('rst')
    } else p.blackhole()

    // local: 6 / 2 instances = 3 in this process, counted from zero (Redis's count is out of reach)
    const localRun = []
    for (let i = 0; i < 5; i++) localRun.push(await local.check('id'))
    expect(localRun.map((r) => [r.allowed, r.source])).toEqual([
      [true, 'local'],
      [true, 'local'],
      [true, 'local'],
      [false, 'local'],
      [false, 'local'],
    ])
    for (let i = 0; i < 5; i++) {
      expect(await open.check('id')).toMatchObject({ allowed: true, source: 'open', reason: 'unavailable' })
      const denied = await closed.check('id')
      expect(denied).toMatchObject({ allowed: false, source: 'closed', reason: 'unavailable' })
      expect(denied.retryAfter).toBeGreaterThanOrEqual(1)
    }
    // admin writes during the outage do not throw either
    await expect(open.block('someone', 10)).resolves.toBeUndefined()
    await expect(closed.reset('id')).resolves.toBeUndefined()
    expect(events.degraded).toBe(1)
    const stats = rateLimit.stats()
    expect(stats).toMatchObject({ local: 5, open: 5, closed: 5, degraded: true })

    p.pass()
    p.refuse(false)
    if (fault === 'blackhole') p.cut() // clients stuck behind the blackhole reconnect
    await until(
      'checks reach Redis again',
      async () => (await open.check('probe')).source === 'store',
      15_000,
    )
    expect(events.recovered).toBe(1)
    // nothing local reached Redis: its count is the one it had (1 before the outage)
    expect(await local.check('id')).toMatchObject({ allowed: true, remaining: 4, source: 'store' })
    expect(await open.check('id')).toMatchObject({ remaining: 4, source: 'store' })
    if (kind === 'failover') {
      const failover = store as ReturnType<typeof createFailoverStore>
      await until('the failover store recovered', () => failover.state() === 'closed', 15_000)
      expect(failover.stats().journal.size).toBe(0)
    }
  }, 40_000)
})

describe.each(storeMatrix())('closed store ($name): the policies answer', ({ create }) => {
  it('local, open and closed answer; nothing throws', async () => {
    const store = create()
    const rateLimit = limiterOn(store)
    const { local, open, closed } = limiters(rateLimit)
    expect((await local.check('id')).source).toBe('store')
    await store.close()
    expect(await local.check('id')).toMatchObject({ allowed: true, source: 'local', remaining: 2 })
    expect(await open.check('id')).toMatchObject({ allowed: true, source: 'open' })
    expect(await closed.check('id')).toMatchObject({ allowed: false, source: 'closed' })
    expect(await rateLimit.check('seed', 1, 60)).toMatchObject({ allowed: true, source: 'local' })
    expect(await rateLimit.check('seed', 1, 60)).toMatchObject({ allowed: false, source: 'local' })
    expect(rateLimit.stats().storeErrors).toBeGreaterThanOrEqual(5)
    await rateLimit.close()
  })
})

describe('a FailoverStore: checks never run on its fallback', () => {
  afterEach(() => cleanup())

  it('while its circuit is open, checks follow the limiter policy, not the shared memory', async () => {
    const p = await proxy()
    const store = createFailoverStore({
      primary: createRedisStore({ url: p.url, commandTimeout: '1s', connectTimeout: '300ms' }),
      timeout: '250ms',
      failureThreshold: 1,
    })
    const rateLimit = limiterOn(store)
    const closed = rateLimit.define({ name: 'strict', limit: 100, window: 60, onStoreError: 'closed' })
    p.refuse(true)
    p.cut('rst')
    await store.set('rl-test-probe', '1').catch(() => {}) // another primitive's write opens the circuit
    await until('the circuit opened', () => store.state() !== 'closed')
    const before = store.stats().fallback
    expect(await closed.check('id')).toMatchObject({ allowed: false, source: 'closed' })
    expect(store.stats().fallback).toBe(before) // the fallback memory was not asked
    await rateLimit.close()
    await store.close()
  })
})
