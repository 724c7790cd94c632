/**
 * The caches compared by bench/cache.ts behind one small interface, each configured as its docs
 * recommend for "memory in front of Redis", on the same Redis: redis-kit (the kit's default
 * store: a FailoverStore over a RedisStore), bentocache 1.6.1 (memory L1 + Redis L2 + Redis bus),
 * cacheable 2.5.0 (CacheableMemory + @keyv/redis), cache-manager 7.2.9 ([memory Keyv, Redis Keyv]).
 * `l2Only` builds the same library with Redis alone (for the L2-hit rows).
 *
 * redis-kit is measured compiled as it ships (esbuild, as tsup builds dist/: ESM, dependencies
 * external), like the peers' published JavaScript. Run through tsx instead, every named closure
 * pays esbuild's keepNames helper (Object.defineProperty per creation), which only tsx adds.
 */
import { rmSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import KeyvRedis from '@keyv/redis'
import { BentoCache, bentostore } from 'bentocache'
import { memoryDriver } from 'bentocache/drivers/memory'
import { redisBusDriver, redisDriver } from 'bentocache/drivers/redis'
import { createCache as createCacheManager } from 'cache-manager'
import { Cacheable, CacheableMemory } from 'cacheable'
import { build } from 'esbuild'
import { Redis } from 'ioredis'
import { Keyv } from 'keyv'
import type { createCache as CreateCache } from '../src/cache/index.js'
import type {
  createFailoverStore as CreateFailover,
  createRedisStore as CreateRedis,
} from '../src/stores/index.js'

const compiled = fileURLToPath(new URL(`../.tmp/bench-build/redis-kit-${process.pid}.mjs`, import.meta.url))
await build({
  stdin: {
    contents: `export { createCache } from './src/cache/index.ts'
export { createFailoverStore, createRedisStore } from './src/stores/index.ts'`,
    resolveDir: fileURLToPath(new URL('..', import.meta.url)),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: compiled,
  logLevel: 'error',
})
const kit = (await import(pathToFileURL(compiled).href)) as {
  createCache: typeof CreateCache
  createFailoverStore: typeof CreateFailover
  createRedisStore: typeof CreateRedis
}
rmSync(compiled)
const { createCache, createFailoverStore, createRedisStore } = kit

export interface Lib {
  name: string
  get(key: string): Promise<unknown>
  set(key: string, value: unknown, ttlMs: number, tags?: string[]): Promise<unknown>
  getOrSet(key: string, loader: () => Promise<unknown>, ttlMs: number): Promise<unknown>
  invalidateTag?(tag: string): Promise<unknown>
  /** Connected and listening (bus), so that the in-process tier fills from the first read. */
  ready(): Promise<void>
  close(): Promise<void>
}

export interface LibOptions {
  url: string
  prefix: string
  /** Redis alone (no in-process tier). */
  l2Only?: boolean
  /** Enable tags where the library needs it switched on. */
  tags?: boolean
  /** redis-kit only: without the cross-process lease (one round trip less on a miss). */
  noLease?: boolean
}

export type LibName = 'redis-kit' | 'bentocache' | 'cacheable' | 'cache-manager'
export const LIBS: LibName[] = ['redis-kit', 'bentocache', 'cacheable', 'cache-manager']

export function makeLib(name: LibName, o: LibOptions): Lib {
  if (name === 'redis-kit') return redisKit(o)
  if (name === 'bentocache') return bento(o)
  if (name === 'cacheable') return cacheable(o)
  return cacheManager(o)
}

function redisKit(o: LibOptions): Lib {
  const store = createFailoverStore({ primary: createRedisStore(o.url) })
  // the L1 holds as many entries as the peers' memory tiers (100,000)
  const cache = createCache(store, {
    prefix: o.prefix,
    l1: o.l2Only ? false : { maxEntries: 100_000 },
    ...(o.noLease ? { lease: false as const } : {}),
  })
  return {
    name: 'redis-kit',
    get: (key) => cache.get(key),
    set: (key, value, ttlMs, tags) => cache.set(key, value, { ttl: `${ttlMs}ms`, ...(tags ? { tags } : {}) }),
    getOrSet: (key, loader, ttlMs) => cache.getOrSet(key, loader, { ttl: `${ttlMs}ms` }),
    invalidateTag: (tag) => cache.invalidateTags([tag]),
    ready: () => cache.ready(),
    async close() {
      await cache.close()
      await store.close()
    },
  }
}

function bento(o: LibOptions): Lib {
  const connection = new Redis(o.url)
  connection.on('error', () => {})
  const url = new URL(o.url)
  const store = o.l2Only
    ? bentostore().useL2Layer(redisDriver({ connection, prefix: o.prefix }))
    : bentostore()
        .useL1Layer(memoryDriver({ maxItems: 100_000 }))
        .useL2Layer(redisDriver({ connection, prefix: o.prefix }))
        .useBus(redisBusDriver({ connection: { host: url.hostname, port: Number(url.port || 6379) } }))
  const cache = new BentoCache({ default: 'cache', stores: { cache: store } })
  return {
    name: 'bentocache',
    get: (key) => cache.get({ key }),
    set: (key, value, ttlMs, tags) => cache.set({ key, value, ttl: ttlMs, ...(tags ? { tags } : {}) }),
    getOrSet: (key, loader, ttlMs) => cache.getOrSet({ key, factory: loader, ttl: ttlMs }),
    invalidateTag: (tag) => cache.deleteByTag({ tags: [tag] }),
    ready: async () => {
      await cache.has({ key: 'warm-up' })
    },
    async close() {
      await cache.disconnectAll()
      connection.disconnect()
    },
  }
}

function cacheable(o: LibOptions): Lib {
  const redis = new Keyv({ store: new KeyvRedis(o.url), namespace: o.prefix, useKeyPrefix: false })
  redis.on('error', () => {})
  const cache = o.l2Only
    ? new Cacheable({ primary: redis, tags: o.tags === true })
    : new Cacheable({
        primary: new Keyv({ store: new CacheableMemory({ lruSize: 100_000 }) }),
        secondary: redis,
        tags: o.tags === true,
      })
  cache.on('error', () => {})
  return {
    name: 'cacheable',
    get: (key) => cache.get(key),
    set: (key, value, ttlMs, tags) => cache.set(key, value, tags ? { ttl: ttlMs, tags } : ttlMs),
    getOrSet: (key, loader, ttlMs) => cache.getOrSet(key, loader, { ttl: ttlMs }),
    invalidateTag: (tag) => cache.tags.invalidateTag(tag),
    ready: async () => {
      await cache.get('warm-up')
    },
    async close() {
      await cache.disconnect().catch(() => {})
    },
  }
}

function cacheManager(o: LibOptions): Lib {
  const redis = new Keyv({ store: new KeyvRedis(o.url), namespace: o.prefix, useKeyPrefix: false })
  redis.on('error', () => {})
  const memory = new Keyv({ store: new CacheableMemory({ lruSize: 100_000 }) })
  const cache = createCacheManager({ stores: o.l2Only ? [redis] : [memory, redis] })
  return {
    name: 'cache-manager',
    get: (key) => cache.get(key),
    set: (key, value, ttlMs) => cache.set(key, value, ttlMs),
    getOrSet: (key, loader, ttlMs) => cache.wrap(key, loader, ttlMs),
    ready: async () => {
      await cache.get('warm-up')
    },
    async close() {
      await cache.disconnect().catch(() => {})
    },
  }
}
