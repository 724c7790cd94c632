/**
 * HTTP headers for a rate-limit result, on a Fetch `Headers` (Next.js, Hono, Bun, Deno, Workers;
 * Node's `res.setHeaders(headers)` takes one too):
 *
 * - draft-8 (draft-ietf-httpapi-ratelimit-headers-08, named policies, structured fields):
 *     RateLimit-Policy: "60-per-60s";q=60;w=60
 *     RateLimit: "60-per-60s";r=59;t=60
 * - draft-7 (one combined field, as express-rate-limit sends it):
 *     RateLimit-Policy: 60;w=60
 *     RateLimit: limit=60, remaining=59, reset=60
 * - legacy: X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset (epoch seconds).
 * - Retry-After (seconds) on every denial.
 *
 * A checkAll result lists every policy in RateLimit-Policy (and, for draft-8, in RateLimit);
 * draft-7's RateLimit describes the policy that decided. `reset`/`t` is `resetAfter`: the
 * seconds until the quota is fully replenished.
 */
import { createHash } from 'node:crypto'
import { invalidArgument } from '../errors.js'
import type { RateLimitResult } from './types.js'

export interface RateLimitHeaderOptions {
  /** Which draft of the IETF RateLimit fields; false for none. @default 'draft-8' */
  standard?: 'draft-7' | 'draft-8' | false
  /** Also X-RateLimit-Limit, -Remaining and -Reset. @default false */
  legacy?: boolean
  /** draft-8: the client's partition key; sent hashed (12 bytes of SHA-256) as `pk`. */
  partitionKey?: string
  /** Write into these headers instead of a new Headers object. */
  headers?: Headers
}

const STANDARDS = new Set(['draft-7', 'draft-8', false])

/** A structured-field String: "…" with \ and " escaped (printable ASCII only). */
function sfString(s: string): string {
  return `"${s.replace(/[^\x20-\x7e]/g, '?').replace(/[\\"]/g, '\\$&')}"`
}

const windowSeconds = (r: RateLimitResult) => Math.max(1, Math.ceil(r.window))

export function rateLimitHeaders(result: RateLimitResult, options: RateLimitHeaderOptions = {}): Headers {
  if (typeof result !== 'object' || result === null || typeof result.allowed !== 'boolean') {
    throw invalidArgument('rateLimitHeaders needs the result of a rate-limit check')
  }
  const { standard = 'draft-8', legacy = false, partitionKey } = options
  if (!STANDARDS.has(standard)) {
    throw invalidArgument(
      `rateLimitHeaders: standard must be 'draft-7', 'draft-8' or false (got ${String(standard)})`,
    )
  }
  const headers = options.headers ?? new Headers()
  const policies = result.policies ?? [result]
  if (standard === 'draft-7') {
    headers.set('RateLimit-Policy', policies.map((p) => `${p.limit};w=${windowSeconds(p)}`).join(', '))
    headers.set(
      'RateLimit',
      `limit=${result.limit}, remaining=${result.remaining}, reset=${result.resetAfter}`,
    )
  } else if (standard === 'draft-8') {
    const pk =
      partitionKey === undefined
        ? ''
        : `;pk=:${createHash('sha256').update(partitionKey).digest().subarray(0, 12).toString('base64')}:`
    headers.set(
      'RateLimit-Policy',
      policies.map((p) => `${sfString(p.policy)};q=${p.limit};w=${windowSeconds(p)}${pk}`).join(', '),
    )
    headers.set(
      'RateLimit',
      policies.map((p) => `${sfString(p.policy)};r=${p.remaining};t=${p.resetAfter}`).join(', '),
    )
  }
  if (legacy) {
    headers.set('X-RateLimit-Limit', String(result.limit))
    headers.set('X-RateLimit-Remaining', String(result.remaining))
    headers.set('X-RateLimit-Reset', String(Math.ceil(result.resetAt / 1000)))
  }
  if (!result.allowed) headers.set('Retry-After', String(Math.max(1, result.retryAfter)))
  return headers
}
