/**
 * Bad input fails before anything is written, on every store, with a RedisKitError whose code is
 * INVALID_ARGUMENT (methods) or INVALID_OPTIONS (factories) and whose message names the fix.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Cache, createCache } from '../../src/cache/index.js'
import { isKitError } from '../../src/errors.js'
import { createSmartCache, glob } from '../../src/smart-cache/index.js'
import type { Store } from '../../src/stores/types.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

/** The error a call failed with: its code and message (or 'no error'). */
async function failure(call: () => unknown): Promise<string> {
  try {
    await call()
    return 'no error'
  } catch (err) {
    if (!isKitError(err)) throw err
    return `${err.code}: ${err.message.replace('[redis-kit] ', '')}`
  }
}

const circular: Record<string, unknown> = {}
circular.self = circular

describe.each(storeMatrix())('bad input on $name', ({ create }) => {
  let store: Store
  let prefix: string
  let cache: Cache
  beforeEach(() => {
    store = create()
    prefix = testPrefix('bad')
    cache = createCache(store, { prefix })
  })
  afterEach(async () => {
    await cache.close()
    await deletePrefix(store, prefix)
    await store.close()
  })

  it('refuses values JSON would corrupt, and undefined, naming the fix', async () => {
    expect(await failure(() => cache.set('k', () => 1))).toMatch(
      /^INVALID_ARGUMENT: .*only data can be cached/,
    )
    expect(await failure(() => cache.set('k', { n: Number.NaN }))).toMatch(/^INVALID_ARGUMENT: .*NaN.*null/)
    expect(await failure(() => cache.set('k', new Map()))).toMatch(
      /^INVALID_ARGUMENT: .*convert it to an array/,
    )
    expect(await failure(() => cache.set('k', { big: 10n }))).toMatch(
      /^INVALID_ARGUMENT: .*BigInt.*convert it/,
    )
    expect(await failure(() => cache.set('k', circular))).toMatch(
      /^INVALID_ARGUMENT: cannot store this value/,
    )
    expect(await failure(() => cache.set('k', undefined))).toMatch(
      /^INVALID_ARGUMENT: .*use delete\(\) instead/,
    )
    expect(
      await failure(() =>
        cache.setMany([
          { key: 'ok', value: 1 },
          { key: 'k', value: Symbol('s') },
        ]),
      ),
    ).toMatch(/^INVALID_ARGUMENT/)
    expect(await failure(() => cache.getOrSet('k', () => new Set([1])))).toMatch(/^INVALID_ARGUMENT: .*Set/)
    expect(await store.exists([`${prefix}cache:v:k`, `${prefix}cache:v:ok`])).toBe(0)
  })

  it('refuses negative, zero and malformed TTLs and durations', async () => {
    expect(await failure(() => cache.set('k', 1, { ttl: -5 }))).toMatch(
      /^INVALID_ARGUMENT: ttl must be seconds \(a positive number\), a duration like '30s'.*got -5/,
    )
    expect(await failure(() => cache.set('k', 1, { ttl: 0 }))).toMatch(/use delete\(\) to remove an entry/)
    expect(await failure(() => cache.set('k', 1, { ttl: 'forever' as never }))).toMatch(
      /^INVALID_ARGUMENT: ttl/,
    )
    expect(await failure(() => cache.set('k', 1, { ttl: Number.NaN }))).toMatch(/^INVALID_ARGUMENT: ttl/)
    expect(await failure(() => cache.set('k', 1, { grace: -1 }))).toMatch(/^INVALID_ARGUMENT: grace must be/)
    expect(await failure(() => cache.getOrSet('k', () => 1, { hardTimeout: '-1s' as never }))).toMatch(
      /^INVALID_ARGUMENT: hardTimeout/,
    )
    const setsBadTtl = ({ setTtl }: { setTtl(ttl: number): void }) => {
      setTtl(-1)
      return 1
    }
    expect(await failure(() => cache.getOrSet('k', setsBadTtl))).toMatch(/^INVALID_ARGUMENT: setTtl/)
    expect(await store.exists([`${prefix}cache:v:k`])).toBe(0)
  })

  it('refuses empty tags, naming the fix', async () => {
    expect(await failure(() => cache.set('k', 1, { tags: [] }))).toMatch(
      /^INVALID_ARGUMENT: tags must be a non-empty array.*omit it for an entry without tags/,
    )
    expect(await failure(() => cache.set('k', 1, { tags: [''] }))).toMatch(
      /each of tags must be a non-empty string/,
    )
    expect(await failure(() => cache.set('k', 1, { tags: 'user:1' as never }))).toMatch(
      /tags must be a non-empty array/,
    )
    expect(await failure(() => cache.invalidateTags([]))).toMatch(/^INVALID_ARGUMENT: tags/)
    expect(await failure(() => cache.invalidateTags(undefined as never))).toMatch(/^INVALID_ARGUMENT: tags/)
    const smart = createSmartCache(cache)
    expect(await failure(() => smart.setWithTags('k', 1, 60, []))).toMatch(
      /use cache.set\(\) for an entry without tags/,
    )
    expect(await failure(() => smart.invalidateTag(''))).toMatch(
      /^INVALID_ARGUMENT: invalidateTag needs a non-empty/,
    )
    expect(await failure(() => smart.setWithTags('k', 1, -1, ['t']))).toMatch(/^INVALID_ARGUMENT: ttl/)
    expect(await store.exists([`${prefix}cache:v:k`])).toBe(0)
  })

  it('refuses bad keys, loaders, namespaces and patterns', async () => {
    expect(await failure(() => cache.get(''))).toMatch(
      /^INVALID_ARGUMENT: cache key must be a non-empty string/,
    )
    expect(await failure(() => cache.get(42 as never))).toMatch(/got 42/)
    expect(await failure(() => cache.set(undefined as never, 1))).toMatch(/cache key/)
    expect(await failure(() => cache.getOrSet('k', 'not a function' as never))).toMatch(
      /needs a loader function/,
    )
    expect(await failure(() => cache.getMany('k' as never))).toMatch(/getMany takes an array/)
    expect(await failure(() => cache.setMany({} as never))).toMatch(/setMany takes an array/)
    expect(await failure(() => cache.namespace(''))).toMatch(/namespace must be a non-empty string/)
    expect(await failure(() => cache.clear(''))).toMatch(/clear pattern must be a non-empty glob/)
    expect(await failure(() => glob`user:${{}}:*`)).toMatch(/interpolated values must be strings or numbers/)
  })

  it('refuses bad options with INVALID_OPTIONS', async () => {
    expect(await failure(() => createCache(store, { ttl: -1 }))).toMatch(
      /^INVALID_OPTIONS: createCache: .*ttl/,
    )
    expect(await failure(() => createCache(store, { jitter: 2 }))).toMatch(/^INVALID_OPTIONS: .*jitter/)
    expect(await failure(() => createCache(store, { l1: { maxEntries: 0 } }))).toMatch(
      /^INVALID_OPTIONS: .*l1/,
    )
    expect(await failure(() => createCache(store, { prefix: 'a*' }))).toMatch(/glob characters/)
    expect(await failure(() => createCache(store, { colour: 'red' } as never))).toMatch(/^INVALID_OPTIONS/)
    expect(await failure(() => createCache({} as never))).toMatch(
      /^INVALID_ARGUMENT: createCache needs a Store/,
    )
    expect(await failure(() => createSmartCache(cache, { ttl: 5 }))).toMatch(/configure the Cache you pass/)
  })
})
