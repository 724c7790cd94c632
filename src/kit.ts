/**
 * createKit: one store, one key prefix and one codec shared by every primitive. With Redis
 * configured (options or environment) the store is Redis; otherwise the embedded memory store.
 * Creating a kit connects nothing until the first call, and starts no timer.
 */
import type { Cluster, Redis } from 'ioredis'
import { z } from 'zod'
import { isKitError, type RedisKitError } from './errors.js'
import { configFromEnv } from './internal/env.js'
import { Emitter } from './internal/events.js'
import { parseOptions } from './internal/options.js'
import { INSPECT } from './internal/redact.js'
import { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from './stores/memory/index.js'
import { createRedisStore, type RedisStore, type RedisStoreOptions } from './stores/redis.js'
import type { Store } from './stores/types.js'

export interface KitOptions {
  /**
   * Redis: a URL, connection options, or an existing ioredis client. `false` forces the memory
   * store even when the environment configures Redis. @default from REDIS_URL / REDIS_HOST …
   */
  redis?: string | RedisStoreOptions | Redis | Cluster | false
  /** A Store of your own (see `redis-kit/testing` to prove it). Not closed by kit.close(). */
  store?: Store
  /** Prefix of every key the kit writes. @default REDIS_KEY_PREFIX or 'kit:' */
  prefix?: string
  /** Options of the memory store used when there is no Redis. */
  memory?: MemoryStoreOptions
  /** Where configuration is read from. @default process.env */
  env?: Readonly<Record<string, string | undefined>>
}

export interface KitHealth {
  status: 'ok' | 'degraded' | 'down'
  store: string
  latencyMs: number | null
  error?: string
}

export interface KitStats {
  store: string
  memory?: ReturnType<MemoryStore['stats']>
}

export interface KitEvents {
  error: [error: RedisKitError]
  [event: string]: unknown[]
}

export interface Kit {
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
    env: z.record(z.string(), z.string().optional()).optional(),
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
  if (opts.store) {
    store = opts.store
    owned = false
  } else if (opts.redis !== false && (opts.redis ?? env.redis) !== undefined) {
    store = createRedisStore((opts.redis ?? env.redis) as RedisStoreOptions)
  } else {
    store = createMemoryStore(opts.memory as MemoryStoreOptions | undefined)
  }
  const withEvents = store as Partial<RedisStore>
  withEvents.on?.('error', (err: RedisKitError) => events.emit('error', err))

  const kit: Kit = {
    store,
    prefix,
    async health() {
      try {
        const latencyMs = await store.ping()
        return { status: 'ok', store: store.name, latencyMs }
      } catch (err) {
        const message = isKitError(err) ? err.message : String(err)
        return { status: 'down', store: store.name, latencyMs: null, error: message }
      }
    },
    stats() {
      const stats: KitStats = { store: store.name }
      if (store.name === 'memory' && typeof (store as MemoryStore).stats === 'function') {
        stats.memory = (store as MemoryStore).stats()
      }
      return stats
    },
    on: (event, listener) => events.on(event, listener as never),
    async close() {
      events.removeAllListeners()
      if (owned) await store.close()
    },
  }
  Object.defineProperty(kit, INSPECT, { value: () => `Kit { store: ${store.name === 'redis' ? String(store) : store.name}, prefix: '${prefix}' }` })
  return kit
}
