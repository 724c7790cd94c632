/**
 * One decision, end to end: the block list (no round trip), else one script call to the store,
 * else — when the store cannot answer — the limiter's outage policy. Shared by `check`,
 * `checkAll` and named limiters.
 */
import { type Duration, toMs } from '../internal/duration.js'
import type { Emitter } from '../internal/events.js'
import { parseIntegers } from '../stores/integers-reply.js'
import type { Script, Store } from '../stores/types.js'
import { ANY_POLICY, BlockList } from './block-list.js'
import { StoreCaller } from './caller.js'
import { ALL_ALGORITHMS } from './check-lua.js'
import type { IdKeys, KeyLayout } from './keys.js'
import { LocalLimits, share } from './local.js'
import type { Policy, ResolvedOptions } from './options.js'
import { decode, fromBlockList, unavailable } from './result.js'
import { checkScript } from './scripts.js'
import { slidingScript } from './sliding-script.js'
import type { RateLimitEvents, RateLimitResult, RateLimitStats, RateLimitStoreErrorPolicy } from './types.js'

export interface AnalyticsConfig {
  shards: number
  bucketMs: number
  retentionMs: number
}

export interface Decision {
  /** Namespace ('' for check/checkAll, the limiter's name for define). */
  ns: string
  id: string
  policies: Policy[]
  cost: number
  peek: boolean
  onStoreError: RateLimitStoreErrorPolicy
  instances: number
  chargeRejected: boolean
  analytics?: AnalyticsConfig
  /** Report every policy's result (checkAll). */
  withPolicies?: boolean
}

export class Engine {
  readonly caller: StoreCaller
  readonly local = new LocalLimits()
  readonly blockList: BlockList | undefined
  readonly stats: RateLimitStats = {
    allowed: 0,
    denied: 0,
    blockListHits: 0,
    local: 0,
    open: 0,
    closed: 0,
    storeErrors: 0,
  }
  readonly #layout: KeyLayout

  constructor(store: Store, layout: KeyLayout, options: ResolvedOptions, events: Emitter<RateLimitEvents>) {
    this.#layout = layout
    this.caller = new StoreCaller(store, toMs(options.timeout as Duration), options.failureThreshold, events)
    this.blockList = options.blockList ? new BlockList(options.blockList.maxSize) : undefined
  }

  keysOf(d: Pick<Decision, 'ns' | 'id' | 'analytics'>): IdKeys {
    const a = d.analytics
    return this.#layout.of(d.ns, d.id, a?.shards ?? 0, a ? Math.floor(Date.now() / a.bucketMs) : 0)
  }

  limitKeys(root: string, policies: Policy[]): string[] {
    return policies.map((p) => this.#layout.limit(root, p.algorithm, p.windowMs))
  }

  // not async: the store call's deadline promise carries the result (one promise per check)
  decide(d: Decision): Promise<RateLimitResult> {
    const list = d.analytics || d.chargeRejected ? undefined : this.blockList
    const idKey = list ? `${d.ns}\u0000${d.id}` : ''
    const signature = list ? signatureOf(d.policies) : ''
    if (list) {
      const now = Date.now()
      const hit = list.get(idKey, signature, now)
      if (hit) {
        this.stats.blockListHits++
        this.stats.denied++
        return Promise.resolve(fromBlockList(hit, now))
      }
    }
    const sent = Date.now()
    let script: Script<string>
    let scriptKeys: string[]
    let args: string[]
    if (plainSliding(d)) {
      // check(key, limit, window): no block key (only named limiters block), one sliding limit
      const p = d.policies[0]!
      const cost = p.cost ?? d.cost
      script = slidingScript
      scriptKeys = [this.#layout.limit(this.#layout.root('', d.id), p.algorithm, p.windowMs)]
      args = ['', p.wire[1], p.wire[2], cost === 1 ? '1' : String(cost)]
    } else {
      const a = d.analytics
      const keys = this.keysOf(d)
      const limitKeys = this.limitKeys(keys.root, d.policies)
      script = checkScript(d.policies.length, a !== undefined, algorithmsOf(d.policies))
      scriptKeys = a ? [keys.block, keys.stats!, keys.top!, ...limitKeys] : [keys.block, ...limitKeys]
      args = argv(d, a ? a.retentionMs + a.bucketMs : 0, 1)
    }
    // the handlers are inline arrows: a named one per call would cost a defineProperty under tsx
    return this.caller.run(
      script,
      scriptKeys,
      args,
      (reply) => this.#answered(d, parseIntegers(reply), sent, list, idKey, signature),
      () => this.#unanswered(d),
    )
  }

  /** The store's answer; a denial of one unit goes on the block list. */
  #answered(
    d: Decision,
    reply: number[],
    sent: number,
    list: BlockList | undefined,
    idKey: string,
    signature: string,
  ): RateLimitResult {
    const { result, now, retryMs, reason } = decode(reply, d.policies, 'store', d.withPolicies === true)
    this.#count(result)
    if (list && retryMs !== undefined && (reason === 'blocked' || unitCost(d))) {
      // the store's delays, counted from when the call was sent: never later than the store's
      const entry = { until: sent + retryMs, resetUntil: sent + (result.resetAt - now), result }
      list.set(idKey, reason === 'blocked' ? ANY_POLICY : signature, entry)
    }
    return result
  }

  /** The store could not answer: the limiter's outage policy decides. */
  #unanswered(d: Decision): RateLimitResult | Promise<RateLimitResult> {
    this.stats.storeErrors++
    const withPolicies = d.withPolicies === true
    if (d.onStoreError !== 'local') {
      this.stats[d.onStoreError]++
      const result = unavailable(d.policies, d.onStoreError === 'open', withPolicies)
      this.#count(result)
      return result
    }
    this.stats.local++
    const localScript = checkScript(d.policies.length, false, algorithmsOf(d.policies))
    const keys = this.keysOf(d)
    const localKeys = [keys.block, ...this.limitKeys(keys.root, d.policies)]
    return this.local.run(localScript, localKeys, argv(d, 0, d.instances)).then((reply) => {
      const { result } = decode(parseIntegers(reply), d.policies, 'local', withPolicies)
      this.#count(result)
      return result
    })
  }

  #count(result: RateLimitResult): void {
    if (result.allowed) this.stats.allowed++
    else this.stats.denied++
  }
}

/** The algorithm letter shared by every limit, or ALL_ALGORITHMS when they differ. */
function algorithmsOf(policies: readonly Policy[]): string {
  const letter = policies[0]!.wire[0]
  for (let i = 1; i < policies.length; i++) if (policies[i]!.wire[0] !== letter) return ALL_ALGORITHMS
  return letter
}

/** The script's ARGV: header, then per policy its five values (limits shared by `instances`). */
function argv(d: Decision, retention: number, instances: number): string[] {
  const args = [
    '',
    d.peek ? 'p' : 'c',
    d.chargeRejected ? '1' : '0',
    retention === 0 ? '0' : String(retention),
    d.id,
  ]
  for (const p of d.policies) {
    const cost = d.peek ? 1 : (p.cost ?? d.cost)
    const costText = cost === 1 ? '1' : String(cost)
    if (instances === 1) args.push(p.wire[0], p.wire[1], p.wire[2], p.wire[3], costText)
    else {
      const limit = String(share(p.limit, instances, cost))
      args.push(p.wire[0], limit, p.wire[2], String(share(p.burst, instances, cost)), costText)
    }
  }
  return args
}

/**
 * What the sliding script alone decides exactly as the check script would: `check()`'s shape
 * (namespace '' never has a block key), charged, without analytics or charged rejections.
 */
function plainSliding(d: Decision): boolean {
  return (
    d.ns === '' &&
    d.policies.length === 1 &&
    d.policies[0]!.algorithm === 'sliding' &&
    !d.peek &&
    !d.chargeRejected &&
    d.analytics === undefined
  )
}

/** A denial is cached only for one-unit requests: the store's retry time is exact for those. */
function unitCost(d: Decision): boolean {
  return d.peek || d.policies.every((p) => (p.cost ?? d.cost) === 1)
}

function signatureOf(policies: Policy[]): string {
  return policies.length === 1 ? policies[0]!.signature : policies.map((p) => p.signature).join('|')
}
