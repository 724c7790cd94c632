/**
 * Named limiters: `rateLimit.define({ name, limit, window, algorithm, burst, … })` → check, peek,
 * reset, block and analytics for one policy, with the factory's defaults where it says nothing.
 */
import { invalidArgument } from '../errors.js'
import { type Duration, toMs } from '../internal/duration.js'
import type { Emitter } from '../internal/events.js'
import { parseOptions } from '../internal/options.js'
import type { Store } from '../stores/types.js'
import { readAnalytics } from './analytics.js'
import { ANY_POLICY } from './block-list.js'
import { isOutage } from './caller.js'
import type { AnalyticsConfig, Decision, Engine } from './engine.js'
import type { KeyLayout } from './keys.js'
import { checkCost, identifier, limiterOptionsSchema, makePolicy, type ResolvedOptions } from './options.js'
import { blockedResult } from './result.js'
import { blockScript } from './scripts.js'
import type { RateLimitCheckOptions, RateLimitEvents, RateLimiter, RateLimiterOptions } from './types.js'

export interface LimiterContext {
  store: Store
  engine: Engine
  layout: KeyLayout
  defaults: ResolvedOptions
  events: Emitter<RateLimitEvents>
  ensureOpen(): void
}

function analyticsConfig(option: RateLimiterOptions['analytics']): AnalyticsConfig | undefined {
  if (!option) return undefined
  const o = option === true ? {} : option
  const bucketMs = toMs((o.bucket ?? '1h') as Duration, 'analytics.bucket')
  const retentionMs = toMs((o.retention ?? '1d') as Duration, 'analytics.retention')
  if (bucketMs < 1000) throw invalidArgument("analytics.bucket must be at least '1s'")
  return { shards: o.shards ?? 64, bucketMs, retentionMs: Math.max(retentionMs, bucketMs) }
}

export function createLimiter(ctx: LimiterContext, options: RateLimiterOptions): RateLimiter {
  const o = parseOptions(limiterOptionsSchema, options, 'rateLimit.define')
  const { engine, defaults } = ctx
  const windowMs = toMs(o.window as Duration, 'window')
  if (windowMs < 1) throw invalidArgument('define: window must be at least 1 ms')
  const burst = o.burst ?? o.limit
  const policy = makePolicy(
    o.algorithm,
    o.limit,
    windowMs,
    burst,
    o.name ?? `${o.limit}-per-${windowMs / 1000}s`,
  )
  const ns = o.name ?? `${o.algorithm}.${o.limit}.${windowMs}.${burst}`
  const analytics = analyticsConfig(o.analytics)
  const policies = [policy]
  const onStoreError = o.onStoreError ?? defaults.onStoreError
  const instances = o.instances ?? defaults.instances
  const chargeRejected = o.chargeRejected ?? defaults.chargeRejected

  function decide(id: unknown, cost: number, peek: boolean) {
    ctx.ensureOpen()
    const d: Decision = {
      ns,
      id: identifier(id),
      policies,
      cost,
      peek,
      onStoreError,
      instances,
      chargeRejected,
    }
    if (analytics) d.analytics = analytics
    return engine.decide(d)
  }

  /**
   * An admin write (reset, block) goes through the store as any write does (a FailoverStore
   * journals it for Redis). If the store cannot take it, it is reported and applied locally.
   */
  async function write(run: () => Promise<unknown>, locally: () => Promise<void>): Promise<void> {
    try {
      await run()
    } catch (err) {
      if (!isOutage(err)) throw err
      ctx.events.emit('error', err)
      await locally()
    }
  }

  return {
    name: ns,
    algorithm: policy.algorithm,
    limit: policy.limit,
    window: windowMs / 1000,
    check(id, options?: RateLimitCheckOptions) {
      const cost = options?.cost === undefined ? 1 : checkCost(options.cost, policy)
      return decide(id, cost, false)
    },
    peek: (id) => decide(id, 1, true),
    async reset(id) {
      ctx.ensureOpen()
      const key = identifier(id)
      const keys = engine.keysOf({ ns, id: key, ...(analytics ? { analytics } : {}) })
      const all = [keys.block, ...engine.limitKeys(keys.root, [policy])]
      engine.blockList?.delete(`${ns}\u0000${key}`)
      await engine.local.del(all)
      await write(
        () => ctx.store.del(all),
        async () => {},
      )
    },
    async block(id, seconds) {
      ctx.ensureOpen()
      const key = identifier(id)
      const ms = toMs(seconds, 'block seconds')
      if (ms < 1) throw invalidArgument('block: seconds must be more than 0; use reset(id) to unblock')
      const keys = engine.keysOf({ ns, id: key, ...(analytics ? { analytics } : {}) })
      const now = Date.now()
      const result = blockedResult(policy, now, ms)
      engine.blockList?.set(`${ns}\u0000${key}`, ANY_POLICY, {
        until: now + ms,
        resetUntil: now + ms,
        result,
      })
      await write(
        () => ctx.store.eval(blockScript, [keys.block], ['', ms]),
        () => engine.local.block(blockScript, keys.block, ms),
      )
    },
    async analytics(range = {}) {
      ctx.ensureOpen()
      if (!analytics) throw invalidArgument(`limiter ${ns} has no analytics: define it with analytics: true`)
      return readAnalytics(ctx.store, ctx.layout, ns, analytics, range)
    },
  }
}
