/**
 * Options of createCache (zod, checked once) and the cheap per-call checks (by hand, on every
 * call): TTLs and presets, grace, timeouts, tags. Every failure names the fix.
 */
import { z } from 'zod'
import { invalidArgument } from '../errors.js'
import { type Duration, toMs } from '../internal/duration.js'
import { describe } from '../internal/keys.js'
import { durationSchema, parseOptions } from '../internal/options.js'
import { clockSchema, prefixSchema } from '../internal/primitive.js'
import type { Ttl } from './types.js'

const ttlSchema = z.custom<Ttl>(
  (v) => {
    try {
      return ttlMs(v as Ttl, PRESETS) > 0
    } catch {
      return false
    }
  },
  {
    message:
      "must be seconds (a positive number), a duration like '30s' or '1h', or 'short' | 'medium' | 'long'",
  },
)

const PRESETS = { short: 300_000, medium: 3_600_000, long: 86_400_000 }

const schema = z
  .object({
    /** Prefix of every key. @default 'kit:' (as createKit) */
    prefix: prefixSchema(),
    /** Default TTL of entries. @default 'medium' */
    ttl: ttlSchema.default('medium'),
    /** What the presets mean. @default short 5 min, medium 1 h, long 24 h */
    presets: z
      .object({ short: durationSchema(), medium: durationSchema(), long: durationSchema() })
      .partial()
      .strict()
      .default({}),
    /** Keep entries this much longer than their TTL, to serve them stale (getOrSet). @default off */
    grace: z.union([z.literal(false), durationSchema()]).default(false),
    /** After a failed refresh, serve the stale value this long before trying again. @default '10s' */
    graceBackoff: durationSchema().default('10s'),
    /** Default soft timeout of getOrSet (with a stale value). @default 0 */
    timeout: durationSchema().default(0),
    /** Default hard timeout of getOrSet. @default none */
    hardTimeout: durationSchema().optional(),
    /** Each TTL is shortened by up to this fraction, at random, so entries do not expire together. */
    jitter: z.number().min(0).max(0.5).default(0.05),
    /** Probabilistic refresh before expiry (XFetch) in getOrSet; a number is its beta. @default off */
    earlyRefresh: z.union([z.boolean(), z.number().positive().max(10)]).default(false),
    /** The in-process tier in front of a remote store; `false` for none. */
    l1: z
      .union([
        z.literal(false),
        z
          .object({
            maxEntries: z.number().int().positive().default(10_000),
            maxBytes: z
              .number()
              .int()
              .positive()
              .default(64 * 1024 * 1024),
            /** Longest an L1 entry (or a cached tag version) is trusted without the bus. @default '1m' */
            maxAge: durationSchema().default('1m'),
          })
          .strict(),
      ])
      .default({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024, maxAge: '1m' }),
    /** The cross-process single flight of getOrSet on a remote store; `false` for none. */
    lease: z
      .union([
        z.literal(false),
        z
          .object({
            /** Lease lifetime, renewed while the loader runs. @default '5s' */
            ttl: durationSchema().default('5s'),
            /** Longest a caller waits for another process's loader before loading itself. @default '10s' */
            wait: durationSchema().default('10s'),
          })
          .strict(),
      ])
      .default({ ttl: '5s', wait: '10s' }),
    /** Let an entry built by getOrSet inherit the tags of the entries its loader read. @default true */
    cascade: z.boolean().default(true),
    /** The clock (for tests). @default Date.now */
    now: clockSchema(),
  })
  .strict()

export type CacheOptions = z.input<typeof schema>

export interface ResolvedOptions {
  prefix: string
  ttlMs: number
  presets: Record<'short' | 'medium' | 'long', number>
  graceMs: number
  graceBackoffMs: number
  timeoutMs: number
  hardTimeoutMs: number | undefined
  jitter: number
  earlyBeta: number
  l1: { maxEntries: number; maxBytes: number; maxAgeMs: number } | false
  lease: { ttlMs: number; waitMs: number } | false
  cascade: boolean
  now: () => number
}

export function resolveOptions(input: CacheOptions | undefined, where: string): ResolvedOptions {
  const o = parseOptions(schema, input, where)
  const presets = { ...PRESETS }
  for (const name of ['short', 'medium', 'long'] as const) {
    const given = o.presets[name]
    if (given !== undefined) presets[name] = positiveMs(given, `presets.${name}`)
  }
  const l1 = o.l1 === false ? false : { ...o.l1, maxAgeMs: positiveMs(o.l1.maxAge, 'l1.maxAge') }
  return {
    prefix: o.prefix,
    presets,
    ttlMs: ttlMs(o.ttl as Ttl, presets, 'ttl'),
    graceMs: o.grace === false ? 0 : toMs(o.grace),
    graceBackoffMs: toMs(o.graceBackoff),
    timeoutMs: toMs(o.timeout),
    hardTimeoutMs: o.hardTimeout === undefined ? undefined : positiveMs(o.hardTimeout, 'hardTimeout'),
    jitter: o.jitter,
    earlyBeta: o.earlyRefresh === true ? 1 : o.earlyRefresh === false ? 0 : o.earlyRefresh,
    l1,
    lease:
      o.lease === false
        ? false
        : { ttlMs: positiveMs(o.lease.ttl, 'lease.ttl'), waitMs: toMs(o.lease.wait, 'lease.wait') },
    cascade: o.cascade,
    now: o.now,
  }
}

function positiveMs(d: Duration, what: string): number {
  const ms = toMs(d, what)
  if (ms <= 0) throw invalidArgument(`${what} must be more than 0`)
  return ms
}

/** Milliseconds of a TTL (a preset name, seconds or a duration string). Refuses 0 and negatives. */
export function ttlMs(ttl: Ttl, presets: Record<string, number>, what = 'ttl'): number {
  if (typeof ttl === 'string' && ttl in presets) return presets[ttl]!
  let ms: number
  try {
    ms = toMs(ttl as Duration, what)
  } catch {
    throw invalidArgument(
      `${what} must be seconds (a positive number), a duration like '30s' or '1h', or 'short' | 'medium' | 'long' (got ${describe(ttl)})`,
    )
  }
  if (ms < 1)
    throw invalidArgument(
      `${what} must be more than 0 (got ${describe(ttl)}); use delete() to remove an entry`,
    )
  return ms
}

/** A duration option of one call (grace, timeout): milliseconds, 0 for `false`. */
export function callMs(value: Duration | false | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback
  if (value === false) return 0
  return toMs(value, what)
}

const MAX_TAGS = 64

/** Checks a tags option: undefined, or a non-empty array of non-empty strings (deduplicated). */
export function checkTags(tags: unknown, what = 'tags'): string[] | undefined {
  if (tags === undefined) return undefined
  if (!Array.isArray(tags) || tags.length === 0) {
    throw invalidArgument(
      `${what} must be a non-empty array of strings (got ${describe(tags)}); omit it for an entry without tags`,
    )
  }
  if (tags.length > MAX_TAGS) throw invalidArgument(`${what}: at most ${MAX_TAGS} tags per entry`)
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag.length === 0) {
      throw invalidArgument(`each of ${what} must be a non-empty string (got ${describe(tag)})`)
    }
  }
  return tags.length === 1 ? (tags as string[]) : [...new Set(tags as string[])]
}
