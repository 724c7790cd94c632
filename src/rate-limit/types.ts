/**
 * The public shapes of redis-kit/rate-limit: what a check answers, how a limit is described,
 * and what a named limiter offers. Times are seconds where a person reads them (`window`,
 * `retryAfter`, `resetAfter`) and epoch milliseconds of the Redis clock for `resetAt`.
 */
import type { Duration } from '../internal/duration.js'

/** How a limit counts. See docs/rate-limit.md for the bound each one guarantees. */
export type RateLimitAlgorithm = 'sliding' | 'gcra' | 'token-bucket' | 'fixed'

/** What a limiter does when its store cannot answer (Redis down, timed out, or closed). */
export type RateLimitStoreErrorPolicy = 'local' | 'open' | 'closed'

/** Who answered a check. */
export type RateLimitSource =
  /** The store (Redis, or the memory store when that is the kit's store). */
  | 'store'
  /** This process's block list: the identifier was known to be over its limit, no round trip. */
  | 'block-list'
  /** The store was unavailable: this process enforced the limit alone (`onStoreError: 'local'`). */
  | 'local'
  /** The store was unavailable: allowed without counting (`onStoreError: 'open'`). */
  | 'open'
  /** The store was unavailable: denied (`onStoreError: 'closed'`). */
  | 'closed'

/** Why a check was answered the way it was. */
export type RateLimitReason = 'ok' | 'limit' | 'blocked' | 'unavailable'

export interface RateLimitResult {
  /** Whether the request may proceed. A denied request is not counted unless `chargeRejected`. */
  allowed: boolean
  /** The limit of the policy that decided (the tightest one for `checkAll`). */
  limit: number
  /** Units still available in the window after this request. */
  remaining: number
  /** Epoch ms (Redis clock) at which the quota is fully replenished. */
  resetAt: number
  /** Whole seconds until `resetAt` (what the RateLimit header sends as `reset` / `t`). */
  resetAfter: number
  /** Whole seconds until this request would be allowed; 0 when allowed. */
  retryAfter: number
  /** The policy's window in seconds (for RateLimit-Policy). */
  window: number
  /** The policy's name (for draft-8 headers). */
  policy: string
  reason: RateLimitReason
  source: RateLimitSource
  /** With `checkAll`: every policy's own result, in the order given. */
  policies?: RateLimitResult[]
}

/** One limit: at most `limit` units per `window`. */
export interface RateLimitSpec {
  limit: number
  /** Seconds, or a duration string ('500ms', '1m', '1d'). */
  window: Duration
  /** @default 'sliding' */
  algorithm?: RateLimitAlgorithm
  /** gcra and token-bucket only: how many units may be spent at once. @default limit */
  burst?: number
  /** Units this request costs against this limit (overrides the call's cost). */
  cost?: number
  /** Name for the draft-8 headers. @default `<limit>-per-<window>s` */
  name?: string
}

export interface RateLimitCheckOptions {
  /** Units this request costs (a positive integer, at most the limit). @default 1 */
  cost?: number
}

export interface RateLimitAnalyticsOptions {
  /** Size of a time bucket. @default '1h' */
  bucket?: Duration
  /** How long buckets are kept. @default '1d' */
  retention?: Duration
  /** Shards the limiter's identifiers are spread over (cluster slots). @default 64 */
  shards?: number
}

export interface RateLimiterOptions {
  /** Namespace of this limiter's keys (letters, digits, `_ . -`). @default derived from the limit */
  name?: string
  limit: number
  window: Duration
  /** @default 'sliding' */
  algorithm?: RateLimitAlgorithm
  burst?: number
  /** @default the factory's ('local') */
  onStoreError?: RateLimitStoreErrorPolicy
  /** With `local`: processes sharing the limit; each enforces limit / instances. @default the factory's (1) */
  instances?: number
  /** Count rejected requests too (a client that keeps sending stays limited). @default false */
  chargeRejected?: boolean
  /** Count allowed/blocked requests per time bucket, in the same round trip. @default false */
  analytics?: boolean | RateLimitAnalyticsOptions
}

export interface RateLimiterAnalytics {
  allowed: number
  blocked: number
  buckets: { start: number; allowed: number; blocked: number }[]
  /** The most blocked identifiers in the range, most first. */
  topBlocked: { id: string; count: number }[]
}

export interface RateLimiter {
  readonly name: string
  readonly algorithm: RateLimitAlgorithm
  readonly limit: number
  /** The window in seconds. */
  readonly window: number
  /** Charges `cost` units to `id` when they fit; one round trip (none when the block list knows). */
  check(id: string | number, options?: RateLimitCheckOptions): Promise<RateLimitResult>
  /** The state for a request of one unit, without charging it. */
  peek(id: string | number): Promise<RateLimitResult>
  /** Forgets `id`'s usage and block (in the store and in this process). */
  reset(id: string | number): Promise<void>
  /** Denies every request of `id` for `seconds` (whatever its usage). */
  block(id: string | number, seconds: Duration): Promise<void>
  /** Allowed/blocked counts (needs `analytics`). */
  analytics(range?: { from?: number; to?: number; top?: number }): Promise<RateLimiterAnalytics>
}

export interface RateLimitStats {
  allowed: number
  denied: number
  /** Denials answered by the block list without a round trip. */
  blockListHits: number
  /** Checks answered by a store-error policy. */
  local: number
  open: number
  closed: number
  /** Store errors seen by checks (each answered by the policy). */
  storeErrors: number
}

export interface RateLimitEvents {
  /** A store error answered by a policy (not thrown). */
  error: [error: Error]
  /** Checks stopped reaching the store; policies answer until it is back. */
  degraded: [info: { reason: Error }]
  /** Checks reach the store again. */
  recovered: [info: { downtimeMs: number }]
  [event: string]: unknown[]
}
