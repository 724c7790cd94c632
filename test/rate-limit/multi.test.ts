/**
 * checkAll: several limits in one atomic step — all charged or none, one round trip, on every
 * store (the cluster proves the keys share a slot).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { isKitError } from '../../src/errors.js'
import type { RateLimit } from '../../src/rate-limit/index.js'
import { COMMANDS } from '../../src/stores/commands.js'
import { createFailoverStore } from '../../src/stores/failover/index.js'
import { createMemoryStore } from '../../src/stores/memory/index.js'
import { createRedisStore } from '../../src/stores/redis.js'
import type { Store } from '../../src/stores/types.js'
import { redisUrl } from '../support/env.js'
import { storeMatrix } from '../support/stores.js'
import { limiterOn } from './helpers.js'

describe.each(storeMatrix())('checkAll on $name', ({ create }) => {
  let store: Store
  let rateLimit: RateLimit
  beforeAll(() => {
    store = create()
    rateLimit = limiterOn(store)
  })
  afterAll(async () => {
    await rateLimit.close()
    await store.close()
  })

  it('all limits charged or none; the result speaks for the one that decided', async () => {
    const limits = [
      { limit: 2, window: 60, name: 'minute' },
      { limit: 5, window: 3600, name: 'hour' },
    ]
    const first = await rateLimit.checkAll('u', limits)
    expect(first).toMatchObject({ allowed: true, remaining: 1, policy: 'minute' })
    expect(first.policies!.map((p) => p.remaining)).toEqual([1, 4])
    await rateLimit.checkAll('u', limits)
    const denied = await rateLimit.checkAll('u', limits)
    expect(denied).toMatchObject({ allowed: false, policy: 'minute', reason: 'limit' })
    // the hour was not charged for the denied call
    expect(denied.policies!.map((p) => [p.allowed, p.remaining])).toEqual([
      [false, 0],
      [true, 3],
    ])
  })

  it('requests and tokens: per-limit costs, nothing charged when the tokens run out', async () => {
    const limits = [
      { limit: 10, window: 60, name: 'requests' },
      { limit: 100, window: 60, algorithm: 'gcra' as const, cost: 40, name: 'tokens' },
    ]
    const results = []
    for (let i = 0; i < 3; i++) results.push(await rateLimit.checkAll('llm', limits))
    expect(results.map((r) => r.allowed)).toEqual([true, true, false])
    expect(results[2]).toMatchObject({ policy: 'tokens' })
    expect(results[2]!.policies![0]).toMatchObject({ allowed: true, remaining: 8 })
  })

  it('under 300 concurrent callers no limit is charged for a denied call', async () => {
    const limits = [
      { limit: 50, window: 60 },
      { limit: 30, window: 86_400, algorithm: 'token-bucket' as const },
    ]
    const direct = limiterOn(store, { blockList: false }) // every answer from the store
    const results = await Promise.all(Array.from({ length: 300 }, () => direct.checkAll('race', limits)))
    expect(new Set(results.map((r) => r.source))).toEqual(new Set(['store']))
    expect(results.filter((r) => r.allowed)).toHaveLength(30)
    const after = await direct.checkAll('race', limits)
    expect(after.allowed).toBe(false)
    expect(after.policies![0]!.remaining).toBe(20) // 30 of 50: the 270 denied calls took nothing
  })

  it('refuses limits that would share one key, and bad limits, before any round trip', async () => {
    const same = rateLimit.checkAll('x', [
      { limit: 1, window: 60 },
      { limit: 5, window: 60 },
    ])
    await expect(same).rejects.toSatisfy((err) => isKitError(err, 'INVALID_ARGUMENT'))
    await expect(rateLimit.checkAll('x', [])).rejects.toThrow(/1 to 8 limits/)
    await expect(rateLimit.checkAll('x', [{ limit: 0, window: 1 }])).rejects.toThrow(/limits\[0\]\.limit/)
  })
})

/** What reaches Redis: every command of the contract, batches, scans and scripts. */
const REQUESTS = new Set<string | symbol>([...Object.keys(COMMANDS), 'batch', 'scan', 'eval'])

/** A store that counts the requests that reach it (scripts, and everything else). */
function counting(inner: Store): { store: Store; calls: { eval: number; other: number } } {
  const calls = { eval: 0, other: 0 }
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (typeof value !== 'function' || !REQUESTS.has(prop)) return value
      return (...args: unknown[]) => {
        if (prop === 'eval') calls.eval++
        else calls.other++
        return value.apply(target, args)
      }
    },
  })
  return { store, calls }
}

describe('one round trip per check', () => {
  const cases: [
    string,
    () => { store: Store; calls: { eval: number; other: number }; close(): Promise<void> },
  ][] = [
    ['memory', () => ({ ...counting(createMemoryStore()), close: async () => {} })],
    [
      'redis',
      () => {
        const c = counting(createRedisStore(redisUrl()))
        return { ...c, close: () => c.store.close() }
      },
    ],
    [
      'failover (its primary)',
      () => {
        const c = counting(createRedisStore(redisUrl()))
        const failover = createFailoverStore({ primary: c.store })
        return { store: failover, calls: c.calls, close: () => failover.close() }
      },
    ],
  ]
  it.each(cases)('%s: check, checkAll and peek are one script call each', async (_name, make) => {
    const { store, calls, close } = make()
    const rateLimit = limiterOn(store)
    await rateLimit.check('a', 5, 60)
    await rateLimit.checkAll('a', [
      { limit: 5, window: 1 },
      { limit: 50, window: 60, algorithm: 'gcra' },
      { limit: 500, window: 3600, algorithm: 'fixed' },
    ])
    const limiter = rateLimit.define({ name: 'api', limit: 3, window: 60, algorithm: 'token-bucket' })
    await limiter.check('a')
    await limiter.peek('a')
    expect(calls).toEqual({ eval: 4, other: 0 })
    await rateLimit.close()
    await close()
  })
})

// which Lua a check sends does not depend on the store (the scripts' parity tests run each on Redis)
describe('the Lua a check sends', () => {
  it('sends only the Lua of the algorithm its limits share (all of it for a mix)', async () => {
    const store = createMemoryStore()
    const rateLimit = limiterOn(store)
    const evals = vi.spyOn(store, 'eval')
    try {
      const gcra = rateLimit.define({ limit: 5, window: 60, algorithm: 'gcra' })
      await gcra.check('v')
      await rateLimit.checkAll('v', [
        { limit: 2, window: 60 },
        { limit: 5, window: 3600 },
      ])
      await rateLimit.checkAll('v', [
        { limit: 2, window: 60, algorithm: 'fixed' },
        { limit: 5, window: 3600, algorithm: 'token-bucket' },
      ])
      const sent = evals.mock.calls.map(([script]) => script.lua)
      expect(sent).toHaveLength(3)
      expect(sent[0]).toContain('function read.g')
      expect(sent[0]).not.toMatch(/function read\.[stf]|log_read/)
      expect(sent[1]).toContain('function read.s')
      expect(sent[1]).not.toMatch(/function read\.[gtf]/)
      for (const algorithm of ['s', 'g', 't', 'f']) expect(sent[2]).toContain(`function read.${algorithm}`)
    } finally {
      await rateLimit.close()
      await store.close()
    }
  })
})
