/**
 * block(id), reset(id), the in-process block list, and analytics, on every store. A second
 * limiter on the same store and prefix plays another process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRateLimit, type RateLimit } from '../../src/rate-limit/index.js'
import type { Store } from '../../src/stores/types.js'
import { storeMatrix, testPrefix } from '../support/stores.js'
import { sleep } from './helpers.js'

describe.each(storeMatrix())('block, reset, block list and analytics on $name', ({ create }) => {
  let store: Store
  let prefix: string
  let here: RateLimit
  let elsewhere: RateLimit // another process: no block list, every answer from the store
  beforeAll(() => {
    store = create()
    prefix = testPrefix('rl-block')
    here = createRateLimit(store, { prefix, timeout: '5s' })
    elsewhere = createRateLimit(store, { prefix, blockList: false, timeout: '5s' })
  })
  afterAll(async () => {
    await here.close()
    await elsewhere.close()
    await store.close()
  })

  it('block(id) denies every request of id, here and in other processes, until reset', async () => {
    const spec = { name: 'login', limit: 100, window: 60 }
    const a = here.define(spec)
    const b = elsewhere.define(spec)
    await a.block('mallory', 30)
    expect(await a.check('mallory')).toMatchObject({
      allowed: false,
      reason: 'blocked',
      source: 'block-list',
    })
    const remote = await b.check('mallory')
    expect(remote).toMatchObject({ allowed: false, reason: 'blocked', source: 'store', remaining: 0 })
    expect(remote.retryAfter).toBeGreaterThanOrEqual(29)
    expect(remote.retryAfter).toBeLessThanOrEqual(30)
    expect((await b.check('alice')).allowed).toBe(true)
    await a.reset('mallory')
    expect(await a.check('mallory')).toMatchObject({ allowed: true, source: 'store' })
    expect(await b.check('mallory')).toMatchObject({ allowed: true, remaining: 98 })
  })

  it('the block list answers an identifier over its limit without a round trip, until a unit frees', async () => {
    const limiter = here.define({ name: 'list', limit: 2, window: 1 })
    await limiter.check('id')
    await limiter.check('id')
    const before = here.stats().blockListHits
    expect(await limiter.check('id')).toMatchObject({ allowed: false, source: 'store' })
    for (let i = 0; i < 5; i++) {
      expect(await limiter.check('id')).toMatchObject({ allowed: false, source: 'block-list', limit: 2 })
    }
    expect(here.stats().blockListHits - before).toBe(5)
    await sleep(1100) // the window slid past both admissions
    expect(await limiter.check('id')).toMatchObject({ allowed: true, source: 'store' })
  })

  it('the block list is bounded: the oldest identifiers are dropped', async () => {
    const small = createRateLimit(store, { prefix, blockList: { maxSize: 2 }, timeout: '5s' })
    const limiter = small.define({ name: 'bounded', limit: 1, window: 60 })
    for (const id of ['a', 'b', 'c']) {
      await limiter.check(id)
      await limiter.check(id)
    }
    expect(small.stats().blockList).toEqual({ size: 2, dropped: 1 })
    expect((await limiter.check('a')).source).toBe('store') // dropped: asked again, still denied
    expect((await limiter.check('c')).source).toBe('block-list')
    await small.close()
  })

  it('analytics counts allowed and blocked per bucket, and the most blocked identifiers', async () => {
    const limiter = here.define({
      name: 'search',
      limit: 2,
      window: 3600,
      analytics: { bucket: '1h', retention: '2h', shards: 4 },
    })
    for (const id of ['u1', 'u1', 'u1', 'u1', 'u2', 'u2', 'u2', 'u3']) await limiter.check(id)
    await limiter.peek('u1') // not a request: not counted
    const stats = await limiter.analytics()
    expect(stats).toMatchObject({ allowed: 5, blocked: 3 })
    expect(stats.topBlocked).toEqual([
      { id: 'u1', count: 2 },
      { id: 'u2', count: 1 },
    ])
    expect(stats.buckets).toHaveLength(1)
    expect(stats.buckets[0]!.start % 3_600_000).toBe(0)
    expect(
      await limiter.analytics({ from: Date.now() - 10 * 3_600_000, to: Date.now() - 5 * 3_600_000 }),
    ).toEqual({
      allowed: 0,
      blocked: 0,
      buckets: [],
      topBlocked: [],
    })
  })
})
