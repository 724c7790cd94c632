/**
 * createSortedSets: leaderboards and rankings (`increment`, `getTop`, `getRank`, …), plus trending
 * over a time window (`trending`, bucketed) and by exponential decay (`decaying`). Plain sets
 * are `<prefix>sorted-sets:<key>`; trending keys are `<prefix>trending:{<key>}:…`.
 */
import { z } from 'zod'
import { invalidArgument, RedisKitError } from '../errors.js'
import { type Duration, toMs } from '../internal/duration.js'
import { createKeyBuilder, describe, keyPart } from '../internal/keys.js'
import { durationSchema, parseOptions } from '../internal/options.js'
import { assertCount, clockSchema, prefixSchema } from '../internal/primitive.js'
import type { ScoredMember, Store } from '../stores/types.js'
import { createDecaying, type Decaying, type DecayOptions } from './decaying.js'
import {
  createTrending,
  type Trending,
  type TrendingCounters,
  type TrendingOptions,
  trendingConfig,
} from './trending.js'

export interface SortedSetsOptions {
  /** Prefix of every key. @default 'kit:' (as createKit) */
  prefix?: string
  /** The clock of trending buckets and decay, in ms since the epoch (inject one in tests). @default Date.now */
  now?: () => number
  /** Bucketed trending: bucket width, longest window, default window, union cache. */
  trending?: TrendingOptions
  /** Decayed trending: half-life, member cap, forget threshold. */
  decay?: DecayOptions
}

export interface SortedSetsStats extends TrendingCounters {
  increments: number
  reads: number
}

export interface SortedSets {
  /**
   * Adds `by` (default 1; negative lowers the score) to `member`'s score; resolves with the new
   * score. Counted once across a Redis outage.
   * @example await sortedSets.increment('trending:themes', 'dreams', 1)
   */
  increment(key: string, member: string, by?: number): Promise<number>
  /**
   * The `n` highest members, highest first, with their scores. Ties are ordered as Redis's ZRANGE
   * REV orders them (by member, last first), on every store.
   * @example await sortedSets.getTop('trending:themes', 10)
   */
  getTop(key: string, n?: number): Promise<ScoredMember[]>
  /** 0 for the highest score, 1 for the next…; null when `member` is not in the set. */
  getRank(key: string, member: string): Promise<number | null>
  getScore(key: string, member: string): Promise<number | null>
  /** Removes members; resolves with how many were there. */
  remove(key: string, ...members: string[]): Promise<number>
  /** Keeps only the `keepTop` highest members (0 empties the set); resolves with how many went. */
  trim(key: string, keepTop: number): Promise<number>
  /** How many members the set has. */
  size(key: string): Promise<number>
  /** Trending over a sliding window, from hourly buckets. */
  readonly trending: Trending
  /** Trending by exponential decay, in one sorted set. */
  readonly decaying: Decaying
  stats(): SortedSetsStats
}

const schema = z
  .object({
    prefix: prefixSchema(),
    now: clockSchema(),
    trending: z
      .object({
        bucket: durationSchema().default('1h'),
        maxWindow: durationSchema().default('7d'),
        window: durationSchema().default('24h'),
        cacheFor: durationSchema().default('1m'),
      })
      .strict()
      .default({ bucket: '1h', maxWindow: '7d', window: '24h', cacheFor: '1m' }),
    decay: z
      .object({
        halfLife: durationSchema().default('6h'),
        maxMembers: z.number().int().min(1).max(10_000_000).default(10_000),
        forgetBelow: z.number().min(0).max(1e6).default(0.001),
      })
      .strict()
      .default({ halfLife: '6h', maxMembers: 10_000, forgetBelow: 0.001 }),
  })
  .strict()

export function createSortedSets(store: Store, options: SortedSetsOptions = {}): SortedSets {
  const opts = parseOptions(schema, options, 'createSortedSets')
  const keys = createKeyBuilder(opts.prefix, 'sorted-sets')
  const trendKeys = createKeyBuilder(opts.prefix, 'trending')
  const counters: SortedSetsStats = { increments: 0, reads: 0, bumps: 0, trendingReads: 0, unionsComputed: 0 }
  let config: ReturnType<typeof trendingConfig>
  try {
    config = trendingConfig(opts.trending)
  } catch (err) {
    throw new RedisKitError(
      'INVALID_OPTIONS',
      `createSortedSets: invalid options — ${(err as Error).message}`,
    )
  }
  const halfLifeMs = toHalfLife(opts.decay.halfLife)
  const keyOf = (key: unknown) => keys.key(keyPart(key, 'sorted set key'))
  const memberOf = (member: unknown) => keyPart(member, 'member')

  return {
    trending: createTrending(store, trendKeys, config, opts.now, counters),
    decaying: createDecaying(
      store,
      trendKeys,
      { halfLifeMs, maxMembers: opts.decay.maxMembers, forgetBelow: opts.decay.forgetBelow },
      opts.now,
      counters,
    ),
    async increment(key, member, by = 1) {
      const name = keyOf(key)
      memberOf(member)
      if (typeof by !== 'number' || !Number.isFinite(by)) {
        throw invalidArgument(`by must be a finite number (got ${describe(by)})`)
      }
      counters.increments++
      return store.zincrby(name, by, member)
    },
    async getTop(key, n = 10) {
      const name = keyOf(key)
      assertCount(n, 'n')
      counters.reads++
      return store.zrangeWithScores(name, 0, n - 1, { rev: true })
    },
    async getRank(key, member) {
      const name = keyOf(key)
      counters.reads++
      return store.zrank(name, memberOf(member), { rev: true })
    },
    async getScore(key, member) {
      const name = keyOf(key)
      counters.reads++
      return store.zscore(name, memberOf(member))
    },
    async remove(key, ...members) {
      const name = keyOf(key)
      if (members.length === 0)
        throw invalidArgument('remove needs at least one member: remove(key, member, …)')
      members.forEach(memberOf)
      return store.zrem(name, members)
    },
    async trim(key, keepTop) {
      const name = keyOf(key)
      if (typeof keepTop !== 'number' || !Number.isSafeInteger(keepTop) || keepTop < 0) {
        throw invalidArgument(`keepTop must be a whole number >= 0 (got ${describe(keepTop)})`)
      }
      return store.zremrangebyrank(name, 0, -keepTop - 1)
    },
    async size(key) {
      counters.reads++
      return store.zcard(keyOf(key))
    },
    stats: () => ({ ...counters }),
  }
}

function toHalfLife(halfLife: Duration): number {
  const ms = toMs(halfLife, 'decay.halfLife')
  if (ms < 1000)
    throw new RedisKitError('INVALID_OPTIONS', 'createSortedSets: decay.halfLife must be at least 1 second')
  return ms
}
