/**
 * Options and arguments of the rate limiter. Factory and `define` options are zod schemas
 * (INVALID_OPTIONS); per-call arguments are checked by hand, cheaply, and fail with
 * INVALID_ARGUMENT naming the fix.
 */
import { z } from 'zod'
import { invalidArgument } from '../errors.js'
import { type Duration, toMs } from '../internal/duration.js'
import { describe } from '../internal/keys.js'
import { durationSchema } from '../internal/options.js'
import { prefixSchema } from '../internal/primitive.js'
import { LETTER } from './keys.js'
import type { RateLimitAlgorithm, RateLimitSpec } from './types.js'

export const ALGORITHMS = ['sliding', 'gcra', 'token-bucket', 'fixed'] as const
const MAX_LIMIT = 1_000_000_000
const MAX_WINDOW_MS = 10 * 365 * 86_400_000
const MAX_ID_LENGTH = 1024

const policy = z.enum(['local', 'open', 'closed'])

export const rateLimitOptionsSchema = z
  .object({
    /** Prefix of every key (`<prefix>rate-limit:…`). @default 'kit:' (the kit's) */
    prefix: prefixSchema(),
    /** What checks do while the store cannot answer. @default 'local' */
    onStoreError: policy.default('local'),
    /** With 'local': how many processes share each limit (each enforces limit / instances). */
    instances: z.number().int().min(1).default(1),
    /** Deadline of each check's round trip. @default '250ms' */
    timeout: durationSchema().default('250ms'),
    /** Consecutive store failures after which checks stop waiting on the store. @default 3 */
    failureThreshold: z.number().int().min(1).default(3),
    /** Count rejected requests too. @default false */
    chargeRejected: z.boolean().default(false),
    /** The in-process list of identifiers known to be over their limit (false: off). */
    blockList: z
      .union([z.literal(false), z.object({ maxSize: z.number().int().min(1).default(10_000) }).strict()])
      .default({ maxSize: 10_000 }),
  })
  .strict()

export type RateLimitOptions = z.input<typeof rateLimitOptionsSchema>
export type ResolvedOptions = z.output<typeof rateLimitOptionsSchema>

const analyticsSchema = z
  .object({
    bucket: durationSchema().default('1h'),
    retention: durationSchema().default('1d'),
    shards: z.number().int().min(1).max(1024).default(64),
  })
  .strict()

export const limiterOptionsSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . or -')
      .optional(),
    limit: z.number().int().min(1).max(MAX_LIMIT),
    window: durationSchema(),
    algorithm: z.enum(ALGORITHMS).default('sliding'),
    burst: z.number().int().min(1).max(MAX_LIMIT).optional(),
    onStoreError: policy.optional(),
    instances: z.number().int().min(1).optional(),
    chargeRejected: z.boolean().optional(),
    analytics: z.union([z.boolean(), analyticsSchema]).default(false),
  })
  .strict()
  .refine((o) => o.burst === undefined || o.algorithm === 'gcra' || o.algorithm === 'token-bucket', {
    message: "burst only applies to algorithm 'gcra' or 'token-bucket'; remove it or change the algorithm",
    path: ['burst'],
  })

export type ResolvedLimiterOptions = z.output<typeof limiterOptionsSchema>

/** A limit ready for the script. */
export interface Policy {
  algorithm: RateLimitAlgorithm
  limit: number
  windowMs: number
  /** The capacity: burst for gcra and token-bucket, the limit otherwise. */
  burst: number
  name: string
  /** A per-limit cost (checkAll), else the call's. */
  cost?: number
  /** Its ARGV (algorithm letter, limit, window ms, burst), built once. */
  wire: [string, string, string, string]
  /** Identifies the policy in the block list. */
  signature: string
}

export function makePolicy(
  algorithm: RateLimitAlgorithm,
  limit: number,
  windowMs: number,
  burst: number,
  name: string,
): Policy {
  const wire: Policy['wire'] = [LETTER[algorithm], String(limit), String(windowMs), String(burst)]
  return { algorithm, limit, windowMs, burst, name, wire, signature: wire.join(':') }
}

export function windowMs(window: unknown, what = 'window'): number {
  if (typeof window !== 'number' && typeof window !== 'string') {
    throw invalidArgument(
      `${what} must be seconds (e.g. 60) or a duration like '1m' (got ${describe(window)})`,
    )
  }
  const ms = toMs(window as Duration, what)
  if (ms < 1 || ms > MAX_WINDOW_MS) {
    throw invalidArgument(`${what} must be between 1 ms and 10 years (got ${describe(window)})`)
  }
  return ms
}

function integer(n: unknown, what: string, max: number, fix: string): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > max) {
    throw invalidArgument(`${what} must be a whole number from 1 to ${max} (got ${describe(n)}); ${fix}`)
  }
  return n
}

/** Checks one limit of `check`/`checkAll` and resolves it. */
export function toPolicy(spec: RateLimitSpec, what = 'limit'): Policy {
  if (typeof spec !== 'object' || spec === null) {
    throw invalidArgument(`${what} must be { limit, window } (got ${describe(spec)})`)
  }
  const algorithm = spec.algorithm ?? 'sliding'
  if (!ALGORITHMS.includes(algorithm)) {
    throw invalidArgument(
      `${what}.algorithm must be one of ${ALGORITHMS.join(', ')} (got ${describe(algorithm)})`,
    )
  }
  const limit = integer(spec.limit, `${what}.limit`, MAX_LIMIT, 'pass how many requests a window admits')
  const ms = windowMs(spec.window, `${what}.window`)
  let burst = limit
  if (spec.burst !== undefined) {
    if (algorithm !== 'gcra' && algorithm !== 'token-bucket') {
      throw invalidArgument(`${what}.burst only applies to 'gcra' or 'token-bucket'; remove it`)
    }
    burst = integer(spec.burst, `${what}.burst`, MAX_LIMIT, 'pass how many units may be spent at once')
  }
  const policy = makePolicy(algorithm, limit, ms, burst, spec.name ?? `${limit}-per-${ms / 1000}s`)
  if (spec.cost !== undefined) policy.cost = checkCost(spec.cost, policy, `${what}.cost`)
  return policy
}

/** A cost must fit the policy's capacity: a request that could never pass is a bug, not a 429. */
export function checkCost(cost: unknown, policy: Policy, what = 'cost'): number {
  integer(cost, what, MAX_LIMIT, 'pass the units this request uses')
  if ((cost as number) > policy.burst) {
    throw invalidArgument(
      `${what} (${cost}) exceeds the ${policy.algorithm === 'gcra' || policy.algorithm === 'token-bucket' ? 'burst' : 'limit'} (${policy.burst}): such a request could never be allowed; raise the limit or lower the cost`,
    )
  }
  return cost as number
}

/** An identifier: a non-empty string (at most 1024 characters) or a safe integer. */
export function identifier(id: unknown, what = 'id'): string {
  if (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH) return id
  if (typeof id === 'number' && Number.isSafeInteger(id)) return String(id)
  throw invalidArgument(
    `${what} must be a non-empty string of at most ${MAX_ID_LENGTH} characters or an integer (got ${describe(id)}); hash longer identifiers first`,
  )
}
