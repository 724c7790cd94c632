/**
 * createKit: one store, one key prefix and one codec shared by every primitive. With Redis
 * configured (options or environment) the store is Redis; otherwise the embedded memory store.
 * Creating a kit connects nothing until the first call, and starts no timer.
 */
import type { Cluster, Redis } from 'ioredis'
import { z } from 'zod'
import type { RedisKitError } from './errors.js'
import { evictionWarning, type KitHealth, storeHealth } from './health.js'
import { configFromEnv } from './internal/env.js'
import { Emitter } from './internal/events.js'
import { parseOptions } from './internal/options.js'
import { INSPECT } from './internal/redact.js'
import {
  attachPrimitives,
  type KitPrimitiveOptions,
  type KitPrimitives,
  PRIMITIVE_NAMES,
} from './kit-primitives.js'
import { createSse, type Sse, type SseOptions } from './sse/index.js'
import {
  createFailoverStore,
  type FailoverEvents,
  type FailoverStats,
  type FailoverStore,
  type FailoverStoreOptions,
} from './stores/failover/index.js'
import { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from './stores/memory/index.js'
import { createRedisStore, type RedisStore, type RedisStoreOptions } from './stores/redis.js'
import type { Store } from './stores/types.js'

export interface KitOptions extends KitPrimitiveOptions {
  /**
   * Redis: a URL, connection options, or an existing ioredis client. `false` forces the memory
   * store even when the environment configures Redis. @default from REDIS_URL / REDIS_HOST …
   */
  redis?: string | RedisStoreOptions | Redis | Cluster | false
  /** A Store of your own (see `redis-kit/testing` to prove it). Not closed by kit.close(). */
  store?: Store
  /** Prefix of every key the kit writes. @default REDIS_KEY_PREFIX or 'kit:' */
  prefix?: string
  /** Options of the memory store (the store when there is no Redis, the fallback otherwise). */
  memory?: MemoryStoreOptions
  /**
   * With Redis: fall back to memory while Redis is unavailable (deadline, circuit breaker,
   * journal replayed on recovery). `false` surfaces Redis errors instead. @default {}
   */
  failover?: false | Omit<FailoverStoreOptions, 'primary' | 'fallback' | 'memory'>
  /** Where configuration is read from. @default process.env */
  env?: Readonly<Record<string, string | undefined>>
}

export interface KitStats {
  store: string
  /** The memory store's figures (the store itself, or the failover fallback). */
  memory?: ReturnType<MemoryStore['stats']>
  /** Calls served by Redis and by the fallback, failovers, journal (with Redis and failover). */
  failover?: FailoverStats
  /** The figures of each primitive used so far (cache hits, events tracked, checks …). */
  primitives: Record<string, unknown>
}

export interface KitEvents extends FailoverEvents {
  error: [error: RedisKitError]
  [event: string]: unknown[]
}

export type { KitHealth } from './health.js'

export interface Kit extends KitPrimitives {
  /**
   * A Server-Sent Events endpoint over this kit's pub/sub (live) and streams (durable).
   * `authorize(request, channel)` is required: nobody listens to a channel you did not allow.
   */
  sse(options: Omit<SseOptions, 'pubsub' | 'streams'>): Sse
  /** The store every primitive of this kit runs on. */
  readonly store: Store
  /** The key prefix (`<prefix><module>:…`). */
  readonly prefix: string
  health(): Promise<KitHealth>
  stats(): KitStats
  on<K extends keyof KitEvents>(event: K, listener: (...args: KitEvents[K]) => void): () => void
  /** Closes what the kit created (connections, timers). Idempotent. */
  close(): Promise<void>
}

const kitOptionsSchema = z
  .object({
    redis: z.any().optional(),
    store: z
      .custom<Store>((v) => typeof v === 'object' && v !== null && typeof (v as Store).get === 'function', {
        message: 'must be a Store (createMemoryStore(), createRedisStore(), or your own)',
      })
      .optional(),
    prefix: z
      .string()
      .max(256)
      .refine((p) => !/[*?[\]\\]/.test(p), { message: 'must not contain glob characters * ? [ ] \\' })
      .optional(),
    memory: z.record(z.string(), z.unknown()).optional(),
    failover: z.union([z.literal(false), z.record(z.string(), z.unknown())]).optional(),
    env: z.record(z.string(), z.string().optional()).optional(),
    ...Object.fromEntries(
      PRIMITIVE_NAMES.filter((name) => name !== 'smartCache').map((name) => [
        name,
        z.record(z.string(), z.unknown()).optional(),
      ]),
    ),
  })
  .strict()

/** Creates a kit. No options: Redis from the environment if configured, else the memory store. */
export function createKit(options: KitOptions = {}): Kit {
  const opts = parseOptions(kitOptionsSchema, options, 'createKit')
  const env = configFromEnv(opts.env ?? process.env)
  const prefix = opts.prefix ?? env.prefix ?? 'kit:'
  const events = new Emitter<KitEvents>()
  let owned = true
  let store: Store
  const memory = opts.memory as MemoryStoreOptions | undefined
  const redis = opts.redis === false ? undefined : (opts.redis ?? env.redis)
  if (opts.store) {
    store = opts.store
    owned = false
  } else if (redis !== undefined) {
    const primary = createRedisStore(redis as RedisStoreOptions)
    primary.on('ready', () => warnAboutEviction(primary, events))
    store =
      opts.failover === false
        ? primary
        : createFailoverStore({ opLog: { key: `${prefix}ops` }, ...opts.failover, primary, memory })
  } else {
    store = createMemoryStore(memory)
  }
  const forward = store as Partial<FailoverStore>
  for (const event of ['error', 'failover', 'recovered', 'replayed', 'dropped', 'warning'] as const) {
    forward.on?.(event, ((...args: unknown[]) => events.emit(event, ...(args as never))) as never)
  }

  const kit = {
    store,
    prefix,
    health: () => storeHealth(store),
    sse: (sseOptions: Omit<SseOptions, 'pubsub' | 'streams'>) =>
      createSse({ ...sseOptions, pubsub: kit.pubsub, streams: kit.streams }),
    stats() {
      const stats: KitStats = { store: store.name, primitives: primitives.stats() }
      const failover = store as Partial<FailoverStore>
      if (typeof failover.state === 'function') stats.failover = failover.stats!()
      const memoryStore = (failover.fallback ?? store) as Partial<MemoryStore>
      if (memoryStore.name === 'memory' && typeof memoryStore.stats === 'function')
        stats.memory = memoryStore.stats()
      return stats
    },
    on: (event, listener) => events.on(event, listener as never),
    async close() {
      events.removeAllListeners()
      await primitives.close()
      if (owned) await store.close()
    },
  } as Kit
  const primitives = attachPrimitives(kit, store, prefix, opts as KitPrimitiveOptions)
  Object.defineProperty(kit, INSPECT, {
    value: () => `Kit { store: ${store.name}, prefix: '${prefix}' }`,
  })
  return kit
}

const warned = new WeakSet<object>()

/** Emits one warning per Redis store when its maxmemory-policy would evict the kit's data. */
function warnAboutEviction(primary: RedisStore, events: Emitter<KitEvents>): void {
  if (warned.has(primary)) return
  warned.add(primary)
  primary
    .info()
    .then((info) => {
      const warning = evictionWarning(info)
      if (warning) events.emit('warning', warning)
    })
    .catch(() => {
      warned.delete(primary) // try again on the next connection
    })
}
