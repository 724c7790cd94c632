/**
 * Results: the check script's reply turned into RateLimitResults (one per policy, and the
 * deciding one on top), and the results of the outage policies and of the block list.
 */
import type { BlockEntry } from './block-list.js'
import type { Policy } from './options.js'
import type { RateLimitReason, RateLimitResult, RateLimitSource } from './types.js'

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000))

function policyResult(
  p: Policy,
  allowed: boolean,
  remaining: number,
  now: number,
  resetMs: number,
  retryMs: number,
  reason: RateLimitReason,
  source: RateLimitSource,
): RateLimitResult {
  return {
    allowed,
    limit: p.limit,
    remaining,
    resetAt: now + resetMs,
    resetAfter: seconds(resetMs),
    retryAfter: allowed ? 0 : Math.max(1, seconds(retryMs)),
    window: p.windowMs / 1000,
    policy: p.name,
    reason,
    source,
  }
}

/** The result that speaks for several: the denial that lasts longest, else the tightest quota. */
export function combine(results: RateLimitResult[], withPolicies: boolean): RateLimitResult {
  if (results.length === 1 && !withPolicies) return results[0]!
  let top = results[0]!
  for (const r of results) {
    const wins = top.allowed
      ? !r.allowed || r.remaining < top.remaining
      : !r.allowed && r.retryAfter > top.retryAfter
    if (wins) top = r
  }
  const out = { ...top }
  if (withPolicies) out.policies = results
  return out
}

export interface Decoded {
  result: RateLimitResult
  /** The store's clock when it answered (epoch ms). */
  now: number
  /** ms until a one-unit request could pass (for the block list), when denied. */
  retryMs?: number
  reason: RateLimitReason
}

/** Reads the check script's reply (see check-lua.ts). */
export function decode(
  reply: number[],
  policies: Policy[],
  source: RateLimitSource,
  withPolicies: boolean,
): Decoded {
  const [status, now] = reply as [number, number]
  if (status === 2) {
    const blockMs = reply[2]!
    const results = policies.map((p) => policyResult(p, false, 0, now, blockMs, blockMs, 'blocked', source))
    return { result: combine(results, withPolicies), now, retryMs: blockMs, reason: 'blocked' }
  }
  if (policies.length === 1 && !withPolicies) {
    // one limit (check(), a named limiter): no arrays, no combining
    const allowed = reply[2] === 1
    const retry = reply[5]!
    const reason = allowed ? 'ok' : 'limit'
    const result = policyResult(policies[0]!, allowed, reply[3]!, now, reply[4]!, retry, reason, source)
    return status === 0 ? { result, now, reason, retryMs: retry } : { result, now, reason }
  }
  let retryMs = 0
  const results = policies.map((p, i) => {
    const [allowed, remaining, resetMs, retry] = reply.slice(2 + i * 4, 6 + i * 4) as number[]
    if (!allowed) retryMs = Math.max(retryMs, retry!)
    const reason = allowed ? 'ok' : 'limit'
    return policyResult(p, allowed === 1, remaining!, now, resetMs!, retry!, reason, source)
  })
  // one limit may allow while another denies: the denying one speaks for the call
  const result = combine(results, withPolicies)
  return { result, now, reason: result.reason, ...(status === 0 ? { retryMs } : {}) }
}

/** What block(id) caches: a denial of `ms` on every policy. */
export function blockedResult(p: Policy, now: number, ms: number): RateLimitResult {
  return policyResult(p, false, 0, now, ms, ms, 'blocked', 'block-list')
}

/** 'open' and 'closed': the store could not answer, nothing was counted. */
export function unavailable(policies: Policy[], allow: boolean, withPolicies: boolean): RateLimitResult {
  const now = Date.now()
  const source = allow ? 'open' : 'closed'
  const results = policies.map((p) =>
    policyResult(p, allow, allow ? p.limit : 0, now, allow ? 0 : 1000, 1000, 'unavailable', source),
  )
  return combine(results, withPolicies)
}

/** A denial answered by the block list: the store's last answer, with the time left. */
export function fromBlockList(entry: BlockEntry, now: number): RateLimitResult {
  const retryAfter = Math.max(1, seconds(entry.until - now))
  const cached = entry.result
  const out: RateLimitResult = {
    ...cached,
    retryAfter,
    resetAfter: Math.max(retryAfter, seconds(entry.resetUntil - now)),
    source: 'block-list',
  }
  if (cached.policies) out.policies = cached.policies.map((p) => ({ ...p, source: 'block-list' }))
  return out
}
