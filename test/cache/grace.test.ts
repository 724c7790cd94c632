/**
 * Grace, timeouts and early refresh, on an injected clock (expiry) and vitest's fake timers
 * (the soft and hard timeouts): a stale value is served while one background refresh runs and
 * while the loader fails (with a backoff); the soft timeout answers stale when the loader is
 * slower and lets it finish; the hard timeout rejects with TIMEOUT; XFetch refreshes early.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type Cache, createCache } from '../../src/cache/index.js'
import { isKitError } from '../../src/errors.js'
import type { Store } from '../../src/stores/types.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'
import { deferred, until } from './helpers.js'

describe.each(storeMatrix())('grace and timeouts on $name', ({ create }) => {
  let store: Store
  let prefix: string
  let clock: number
  let cache: Cache
  beforeEach(async () => {
    store = create()
    prefix = testPrefix('grace')
    clock = Date.now()
    cache = createCache(store, { prefix, now: () => clock, grace: '1h' })
    await cache.ready()
    await cache.getOrSet('k', () => 'v1', { ttl: 10 })
    clock += 11_000 // stale: past its TTL, within its grace
  })
  afterEach(async () => {
    vi.useRealTimers()
    await cache.close()
    await deletePrefix(store, prefix)
    await store.close()
  })

  it('serves the stale value while one background refresh runs', async () => {
    const gate = deferred<string>()
    let calls = 0
    let seen: unknown
    const refresh = (ctx: { stale: unknown }) => {
      calls++
      seen = ctx.stale
      return gate.promise
    }
    expect(await cache.getOrSet('k', refresh)).toBe('v1')
    await until('the refresh runs', () => calls === 1)
    expect(await cache.getOrSet('k', refresh)).toBe('v1')
    expect(calls).toBe(1) // one refresh at a time
    expect(seen).toBe('v1')
    expect(await cache.get('k')).toBeUndefined() // get() answers fresh values only
    gate.resolve('v2')
    await cache.settle()
    expect(await cache.getOrSet('k', refresh)).toBe('v2')
    expect(calls).toBe(1)
    expect(cache.stats().stale).toBe(2)
  })

  it('keeps serving the stale value while the loader fails, retrying after graceBackoff', async () => {
    const errors: string[] = []
    cache.on('cache:error', ({ operation, error }) => errors.push(`${operation}: ${error.message}`))
    let calls = 0
    const failing = () => {
      calls++
      return Promise.reject(new Error('source down'))
    }
    expect(await cache.getOrSet('k', failing)).toBe('v1')
    await cache.settle()
    expect(errors).toEqual(['refresh: source down'])
    expect(await cache.getOrSet('k', failing)).toBe('v1')
    await cache.settle()
    expect(calls).toBe(1) // within the 10 s backoff: not retried
    clock += 10_001
    expect(await cache.getOrSet('k', () => 'v2')).toBe('v1')
    await cache.settle()
    expect(await cache.getOrSet('k', failing)).toBe('v2')
  })

  it('past its grace period the value is gone: the loader runs in the foreground', async () => {
    clock += 3_600_000
    expect(await cache.getOrSet('k', () => 'v2')).toBe('v2')
    expect(cache.stats().stale).toBe(0)
  })

  it('without grace on the call, a stale value is not served', async () => {
    expect(await cache.getOrSet('k', () => 'v2', { grace: false })).toBe('v2')
  })

  it('soft timeout: a fast loader answers fresh; a slow one gets the stale value and finishes later', async () => {
    expect(await cache.getOrSet('k', () => 'fast', { timeout: '1s', ttl: 10 })).toBe('fast')
    clock += 11_000
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const gate = deferred<string>()
    let called = false
    const answer = cache.getOrSet(
      'k',
      () => {
        called = true
        return gate.promise
      },
      { timeout: '1s' },
    )
    await until('the loader runs', () => called)
    await vi.advanceTimersByTimeAsync(999)
    let settled = false
    void answer.then(() => {
      settled = true
    })
    await until('a turn passes', () => true)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await answer).toBe('fast') // the stale value
    vi.useRealTimers()
    gate.resolve('slow')
    await cache.settle()
    expect(await cache.get('k')).toBe('slow')
  })

  it('hard timeout: rejects with TIMEOUT when no value is there in time; the load goes on', async () => {
    // reach the key's node first: on a cluster, connecting to a node runs on real timers
    expect(await cache.get('cold')).toBeUndefined()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const gate = deferred<string>()
    let called = false
    const answer = cache.getOrSet(
      'cold',
      () => {
        called = true
        return gate.promise
      },
      { hardTimeout: '2s' },
    )
    const outcome = answer.then(
      () => 'resolved',
      (err: unknown) => (isKitError(err, 'TIMEOUT') ? `TIMEOUT: ${(err as Error).message}` : String(err)),
    )
    await until('the loader runs', () => called)
    await vi.advanceTimersByTimeAsync(2000)
    expect(await outcome).toMatch(/^TIMEOUT: .*hardTimeout \(2000 ms\)/)
    vi.useRealTimers()
    gate.resolve('late')
    await until('the late value is stored', async () => (await cache.get('cold')) === 'late')
  })

  it('early refresh (XFetch) refreshes a fresh value before expiry, at random', async () => {
    const early = createCache(store, { prefix: `${prefix}x:`, now: () => clock, earlyRefresh: true })
    try {
      await early.getOrSet(
        'e',
        () => {
          clock += 2000 // a loader that takes 2 s
          return 'first'
        },
        { ttl: 60 },
      )
      clock += 30_000 // 30 s before expiry
      const random = vi.spyOn(Math, 'random').mockReturnValue(0.99) // -ln(0.99) * 2 s ≈ 20 ms: too early
      let calls = 0
      const second = () => {
        calls++
        return 'second'
      }
      try {
        expect(await early.getOrSet('e', second)).toBe('first')
        random.mockReturnValue(1e-9) // -ln(1e-9) * 2 s ≈ 41 s: refresh now
        expect(await early.getOrSet('e', second)).toBe('first')
      } finally {
        random.mockRestore()
      }
      await early.settle()
      expect(calls).toBe(1)
      expect(await early.get('e')).toBe('second')
    } finally {
      await early.close()
    }
  })
})
