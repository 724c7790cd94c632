/**
 * createRateLimit(store, options): the rate-limit primitive. `check(key, limit, windowSeconds)`
 * is the seeds' call (an exact sliding window); `checkAll(id, limits)` checks several limits
 * atomically; `define(…)` makes a named limiter with any algorithm. Every check is one script,
 * on the Redis clock, with all its keys in one cluster slot.
 */
import { invalidArgument, RedisKitError } from '../errors.js'
import { Emitter } from '../internal/events.js'
import { parseOptions } from '../internal/options.js'
import type { Store } from '../stores/types.js'
import { type Decision, Engine } from './engine.js'
import { KeyLayout } from './keys.js'
import { createLimiter } from './limiter.js'
import {
  checkCost,
  identifier,
  type Policy,
  type RateLimitOptions,
  rateLimitOptionsSchema,
  toPolicy,
} from './options.js'
import { MAX_LIMITS } from './scripts.js'
import type {
  RateLimitCheckOptions,
  RateLimitEvents,
  RateLimiter,
  RateLimiterOptions,
  RateLimitResult,
  RateLimitSpec,
  RateLimitStats,
} from './types.js'

export type { RateLimitOptions } from './options.js'

export interface RateLimitCheckAllOptions extends RateLimitCheckOptions {
  /** Namespace of these limits' keys, to keep unrelated checkAll calls apart. @default '' */
  name?: string
}

export interface RateLimit {
  /** At most `limit` requests of `key` in any window of `windowSeconds` (exact sliding window). */
  check(
    key: string | number,
    limit: number,
    windowSeconds: number,
    options?: RateLimitCheckOptions,
  ): Promise<RateLimitResult>
  /** All limits charged or none, in one round trip. The result speaks for the tightest limit. */
  checkAll(
    id: string | number,
    limits: RateLimitSpec[],
    options?: RateLimitCheckAllOptions,
  ): Promise<RateLimitResult>
  /** A named limiter (any algorithm, its own outage policy, analytics). */
  define(options: RateLimiterOptions): RateLimiter
  stats(): RateLimitStats & { blockList: { size: number; dropped: number }; degraded: boolean }
  on<K extends keyof RateLimitEvents>(event: K, listener: (...args: RateLimitEvents[K]) => void): () => void
  /** Releases the local outage store. The store itself is the caller's to close. */
  close(): Promise<void>
}

const NAME = /^[A-Za-z0-9_.-]{0,64}$/

export function createRateLimit(store: Store, options: RateLimitOptions = {}): RateLimit {
  if (typeof store !== 'object' || store === null || typeof (store as Store).eval !== 'function') {
    throw new RedisKitError(
      'INVALID_OPTIONS',
      'createRateLimit needs a Store (createRedisStore(), createMemoryStore(), …)',
    )
  }
  const opts = parseOptions(rateLimitOptionsSchema, options, 'createRateLimit')
  const events = new Emitter<RateLimitEvents>()
  const layout = new KeyLayout(opts.prefix)
  const engine = new Engine(store, layout, opts, events)
  let closed = false
  const ensureOpen = () => {
    if (closed) throw new RedisKitError('CLOSED', 'this rate limiter is closed')
  }
  // the seeds call check() with a handful of (limit, window) pairs: resolve each once
  const seedCache = new Map<string, Policy[]>()
  let last: { limit: unknown; window: unknown; policies: Policy[] } | undefined
  const seedPolicies = (limit: number, window: number): Policy[] => {
    if (last && last.limit === limit && last.window === window) return last.policies
    if (typeof limit !== 'number') return [toPolicy({ limit, window }, 'check')] // throws
    const cacheKey = `${limit}|${typeof window}|${window}`
    let policies = seedCache.get(cacheKey)
    if (!policies) {
      policies = [toPolicy({ limit, window }, 'check')]
      if (seedCache.size >= 1000) seedCache.clear()
      seedCache.set(cacheKey, policies)
    }
    last = { limit, window, policies }
    return policies
  }
  const common = {
    onStoreError: opts.onStoreError,
    instances: opts.instances,
    chargeRejected: opts.chargeRejected,
    peek: false,
  }

  return {
    // not async (the hot path: one promise fewer per check); bad arguments still reject
    check(key, limit, windowSeconds, checkOptions) {
      let decision: Decision
      try {
        ensureOpen()
        const id = identifier(key, 'key')
        const policies = seedPolicies(limit, windowSeconds)
        const cost = checkOptions?.cost === undefined ? 1 : checkCost(checkOptions.cost, policies[0]!)
        const { onStoreError, instances, chargeRejected } = opts
        decision = { ns: '', id, policies, cost, peek: false, onStoreError, instances, chargeRejected }
      } catch (err) {
        return Promise.reject(err)
      }
      return engine.decide(decision)
    },
    async checkAll(rawId, limits, checkOptions = {}) {
      ensureOpen()
      const id = identifier(rawId)
      if (!Array.isArray(limits) || limits.length === 0 || limits.length > MAX_LIMITS) {
        throw invalidArgument(`checkAll takes an array of 1 to ${MAX_LIMITS} limits ({ limit, window })`)
      }
      const ns = checkOptions.name ?? ''
      if (typeof ns !== 'string' || !NAME.test(ns)) {
        throw invalidArgument('checkAll: name must be up to 64 letters, digits, _ . or -')
      }
      const policies = limits.map((spec, i) => toPolicy(spec, `limits[${i}]`))
      const keys = new Set(policies.map((p) => `${p.algorithm}:${p.windowMs}`))
      if (keys.size !== policies.length) {
        throw invalidArgument('checkAll: two limits have the same algorithm and window; merge them into one')
      }
      // the call's cost applies to every limit without a cost of its own
      const cost = checkOptions.cost ?? 1
      for (const p of policies) if (p.cost === undefined) checkCost(cost, p)
      return engine.decide({ ...common, ns, id, policies, cost, withPolicies: true })
    },
    define(limiterOptions) {
      ensureOpen()
      return createLimiter({ store, engine, layout, defaults: opts, events, ensureOpen }, limiterOptions)
    },
    stats: () => ({
      ...engine.stats,
      blockList: { size: engine.blockList?.size ?? 0, dropped: engine.blockList?.dropped ?? 0 },
      degraded: engine.caller.degraded,
    }),
    on: (event, listener) => events.on(event, listener as never),
    async close() {
      if (closed) return
      closed = true
      events.removeAllListeners()
      await engine.local.close()
    },
  }
}
