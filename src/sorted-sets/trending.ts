/**
 * Trending over a sliding window, from time buckets: each bump goes to the sorted set of the
 * current bucket (an hour by default), which expires once it has left the longest window. A read
 * unions the window's buckets — the oldest one weighted by the part of it still inside the
 * window — into a cached set that is recomputed at most once per `cacheFor`, then reads its top.
 * Keys: `<prefix>trending:{<key>}:b:<bucket ms>:<bucket index>` and `…:u:<window ms>:…` (one
 * hash tag per trending key, so the union works on Redis Cluster).
 */
import { invalidArgument } from '../errors.js'
import { type Duration, toMs } from '../internal/duration.js'
import { describe, hashTag, type KeyBuilder, keyPart } from '../internal/keys.js'
import { assertCount, readClock } from '../internal/primitive.js'
import type { ScoredMember, Store } from '../stores/types.js'
import { bumpBucket, unionTop } from './trending-scripts.js'

export interface TrendingOptions {
  /** Width of a time bucket: the resolution of windows. @default '1h' */
  bucket?: Duration
  /** The longest window top() may ask for: buckets expire after it. @default '7d' */
  maxWindow?: Duration
  /** The window of top() when none is given. @default '24h' */
  window?: Duration
  /** How long a computed union is reused before it is computed again. @default '1m' */
  cacheFor?: Duration
}

export interface Trending {
  /** Counts `by` (> 0) for `member` now. One round trip; counted once across an outage. */
  bump(key: string, member: string, by?: number): Promise<void>
  /**
   * The `n` members with the most bumps in the last `window`, highest first (ties: the member
   * that sorts last first, as Redis's ZRANGE REV). Scores may be fractional: the oldest bucket
   * counts in proportion to the part of it inside the window. At most `cacheFor` old.
   */
  top(key: string, n?: number, options?: { window?: Duration }): Promise<ScoredMember[]>
}

export interface TrendingCounters {
  bumps: number
  trendingReads: number
  /** Reads that had to compute the union (the others found it cached). */
  unionsComputed: number
}

export interface TrendingConfig {
  bucketMs: number
  maxWindowMs: number
  windowMs: number
  cacheMs: number
}

/** Most buckets one window may span (the union's cost grows with it). */
export const MAX_BUCKETS = 1000

export function checkIncrement(by: unknown, what = 'by'): number {
  if (typeof by !== 'number' || !Number.isFinite(by) || by <= 0) {
    throw invalidArgument(`${what} must be a finite number > 0 (got ${describe(by)}); trends only grow`)
  }
  return by
}

export function createTrending(
  store: Store,
  keys: KeyBuilder,
  config: TrendingConfig,
  now: () => number,
  counters: TrendingCounters,
): Trending {
  const { bucketMs, maxWindowMs, cacheMs } = config
  const tagOf = (key: unknown) => hashTag(keyPart(key, 'trending key'))
  const bucketKey = (tag: string, index: number) => keys.key(tag, 'b', String(bucketMs), String(index))

  function windowOf(window: unknown): number {
    const ms = window === undefined ? config.windowMs : toMs(window as Duration, 'window')
    if (ms < bucketMs || ms > maxWindowMs) {
      throw invalidArgument(
        `window must be from one bucket (${bucketMs} ms) to maxWindow (${maxWindowMs} ms) (got ${describe(window)}); raise the trending option maxWindow for longer windows`,
      )
    }
    return ms
  }

  return {
    async bump(key, member, by = 1) {
      const tag = tagOf(key)
      keyPart(member, 'member')
      checkIncrement(by)
      const t = readClock(now)
      const index = Math.floor(t / bucketMs)
      // the bucket lives until its end has left the longest window
      const ttl = Math.max(1, Math.ceil((index + 1) * bucketMs + maxWindowMs - t))
      counters.bumps++
      await store.eval(bumpBucket, [bucketKey(tag, index)], [by, member, ttl])
    },
    async top(key, n = 10, options = {}) {
      const tag = tagOf(key)
      assertCount(n, 'n')
      const windowMs = windowOf(options.window)
      const t = readClock(now)
      const start = t - windowMs
      const first = Math.floor(start / bucketMs)
      const last = Math.floor(t / bucketMs)
      const buckets: string[] = []
      const weights: number[] = []
      for (let index = first; index <= last; index++) {
        buckets.push(bucketKey(tag, index))
        // the oldest bucket: the part of it after the window's start
        weights.push(index === first ? ((first + 1) * bucketMs - start) / bucketMs : 1)
      }
      const union = keys.key(tag, 'u', String(windowMs), String(bucketMs), String(Math.floor(t / cacheMs)))
      counters.trendingReads++
      const reply = await store.eval(unionTop(buckets.length), [union, ...buckets], [cacheMs, n, ...weights])
      if (reply[0] === 1) counters.unionsComputed++
      const out: ScoredMember[] = []
      for (let i = 1; i < reply.length; i += 2) {
        out.push({ member: String(reply[i]), score: Number(reply[i + 1]) })
      }
      return out
    },
  }
}

/** Validates and converts the trending options (durations to ms). */
export function trendingConfig(options: Required<TrendingOptions>): TrendingConfig {
  const bucketMs = toMs(options.bucket, 'trending.bucket')
  const maxWindowMs = toMs(options.maxWindow, 'trending.maxWindow')
  const windowMs = toMs(options.window, 'trending.window')
  const cacheMs = toMs(options.cacheFor, 'trending.cacheFor')
  if (bucketMs < 1000) throw invalidArgument('trending.bucket must be at least 1 second')
  if (maxWindowMs < bucketMs || maxWindowMs / bucketMs > MAX_BUCKETS - 1) {
    throw invalidArgument(
      `trending.maxWindow must span 1 to ${MAX_BUCKETS - 1} buckets (got ${maxWindowMs / bucketMs}); use a wider bucket`,
    )
  }
  if (windowMs < bucketMs || windowMs > maxWindowMs) {
    throw invalidArgument('trending.window must be from one bucket to trending.maxWindow')
  }
  if (cacheMs < 1000) throw invalidArgument('trending.cacheFor must be at least 1 second')
  return { bucketMs, maxWindowMs, windowMs, cacheMs }
}
