/**
 * The primitives a kit carries, each built on first use with the kit's store and prefix (a
 * primitive that is never touched costs nothing). kit.stats() gathers their figures and
 * kit.close() closes the ones that hold resources, before the store.
 */
import { type Analytics, type AnalyticsOptions, createAnalytics } from './analytics/index.js'
import { type Bitmaps, type BitmapsOptions, createBitmaps } from './bitmaps/index.js'
import { type Cache, type CacheOptions, createCache } from './cache/index.js'
import { createHyperLogLog, type HyperLogLog, type HyperLogLogOptions } from './hyperloglog/index.js'
import {
  createLLMCache,
  type LLMCache,
  type LLMCacheDelegates,
  type LLMCacheOptions,
  withLLMDelegates,
} from './llm-cache/index.js'
import { createPubSub, type PubSub, type PubSubOptions } from './pubsub/index.js'
import { createRateLimit, type RateLimit, type RateLimitOptions } from './rate-limit/index.js'
import { createSessions, type Sessions, type SessionsOptions } from './sessions/index.js'
import { createSmartCache, type SmartCache } from './smart-cache/index.js'
import { createSortedSets, type SortedSets, type SortedSetsOptions } from './sorted-sets/index.js'
import type { Store } from './stores/types.js'
import { createStreams, type Streams, type StreamsOptions } from './streams/index.js'

/** Per-primitive options of createKit (the kit supplies the store and the prefix). */
export interface KitPrimitiveOptions {
  /** Options of kit.cache (kit.smartCache shares it: same L1, bus and tags). */
  cache?: Omit<CacheOptions, 'prefix'>
  /** Options of kit.llm (over kit.cache); `analytics: true` tracks hits and misses in kit.analytics. */
  llm?: Omit<LLMCacheOptions, 'store' | 'analytics'> & { analytics?: boolean }
  analytics?: Omit<AnalyticsOptions, 'prefix'>
  sortedSets?: Omit<SortedSetsOptions, 'prefix'>
  hyperloglog?: Omit<HyperLogLogOptions, 'prefix'>
  bitmaps?: Omit<BitmapsOptions, 'prefix'>
  rateLimit?: Omit<RateLimitOptions, 'prefix'>
  sessions?: Omit<SessionsOptions, 'prefix'>
  streams?: Omit<StreamsOptions, 'prefix'>
  pubsub?: Omit<PubSubOptions, 'prefix'>
}

export interface KitPrimitives {
  /** The cache, with the seeds' getCachedLLMResponse / cacheLLMResponse (delegating to kit.llm). */
  readonly cache: Cache & LLMCacheDelegates
  readonly llm: LLMCache
  readonly smartCache: SmartCache
  readonly analytics: Analytics
  readonly sortedSets: SortedSets
  readonly hyperloglog: HyperLogLog
  readonly bitmaps: Bitmaps
  readonly rateLimit: RateLimit
  readonly sessions: Sessions
  readonly streams: Streams
  readonly pubsub: PubSub
}

export const PRIMITIVE_NAMES = [
  'cache',
  'smartCache',
  'llm',
  'analytics',
  'sortedSets',
  'hyperloglog',
  'bitmaps',
  'rateLimit',
  'sessions',
  'streams',
  'pubsub',
] as const

type Built = { stats?(): unknown; close?(): Promise<void> }

type Factory<K extends keyof KitPrimitives> = (
  store: Store,
  options: object,
  kit: KitPrimitives,
) => KitPrimitives[K]

const FACTORIES: { [K in keyof KitPrimitives]: Factory<K> } = {
  cache: (store, options, kit) => withLLMDelegates(createCache(store, options), () => kit.llm),
  llm: (store, options, kit) => {
    const {
      prefix: _prefix,
      analytics,
      ...rest
    } = options as KitPrimitiveOptions['llm'] & { prefix?: string }
    return createLLMCache(kit.cache, {
      ...rest,
      store,
      analytics: analytics === true ? kit.analytics : undefined,
    })
  },
  smartCache: (_store, _options, kit) => createSmartCache(kit.cache),
  analytics: createAnalytics,
  sortedSets: createSortedSets,
  hyperloglog: createHyperLogLog,
  bitmaps: createBitmaps,
  rateLimit: createRateLimit,
  sessions: (store, options) => createSessions(store, options),
  streams: createStreams,
  pubsub: createPubSub,
}

/** Defines the lazy primitive getters on `kit`; returns what stats() and close() need. */
export function attachPrimitives(
  kit: object,
  store: Store,
  prefix: string,
  options: KitPrimitiveOptions,
): { stats(): Record<string, unknown>; close(): Promise<void> } {
  const built = new Map<string, Built>()
  for (const name of PRIMITIVE_NAMES) {
    Object.defineProperty(kit, name, {
      enumerable: true,
      get() {
        let primitive = built.get(name)
        if (!primitive) {
          const own = name === 'smartCache' ? {} : options[name]
          primitive = FACTORIES[name](store, { ...own, prefix }, kit as KitPrimitives) as Built
          built.set(name, primitive)
        }
        return primitive
      },
    })
  }
  return {
    stats() {
      const out: Record<string, unknown> = {}
      for (const [name, primitive] of built)
        if (typeof primitive.stats === 'function') out[name] = primitive.stats()
      return out
    },
    async close() {
      await Promise.allSettled([...built.values()].map((primitive) => primitive.close?.()))
      built.clear()
    },
  }
}
