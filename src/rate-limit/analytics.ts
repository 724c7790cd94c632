/**
 * Reading a limiter's analytics. The check script counts allowed/blocked requests per time bucket
 * in the shard of the identifier (one hash per shard and bucket) and the blocked identifiers in a
 * sorted set beside it (the 256 most blocked per shard and bucket). Reading sums the shards:
 * shards × buckets known keys, in batches, never a SCAN. Buckets are on this process's clock.
 */
import { invalidArgument } from '../errors.js'
import type { BatchCommand, Store } from '../stores/types.js'
import type { AnalyticsConfig } from './engine.js'
import type { KeyLayout } from './keys.js'
import type { RateLimiterAnalytics } from './types.js'

const MAX_BUCKETS = 1000
const BATCH = 512

export interface RateLimitAnalyticsRange {
  /** Epoch ms. @default now - retention */
  from?: number
  /** Epoch ms. @default now */
  to?: number
  /** How many of the most blocked identifiers to return. @default 10 */
  top?: number
}

export async function readAnalytics(
  store: Store,
  layout: KeyLayout,
  ns: string,
  config: AnalyticsConfig,
  range: RateLimitAnalyticsRange,
): Promise<RateLimiterAnalytics> {
  const now = Date.now()
  const to = range.to ?? now
  const from = range.from ?? now - config.retentionMs
  const top = range.top ?? 10
  if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) {
    throw invalidArgument('analytics: from and to must be epoch ms with from <= to')
  }
  if (!Number.isSafeInteger(top) || top < 0)
    throw invalidArgument('analytics: top must be a whole number >= 0')
  const first = Math.floor(from / config.bucketMs)
  const last = Math.floor(to / config.bucketMs)
  if (last - first + 1 > MAX_BUCKETS) {
    throw invalidArgument(`analytics: the range spans more than ${MAX_BUCKETS} buckets; narrow from/to`)
  }
  const commands: BatchCommand[] = []
  const where: number[] = []
  for (let bucket = first; bucket <= last; bucket++) {
    for (let shard = 0; shard < config.shards; shard++) {
      const keys = layout.analytics(ns, shard, bucket)
      commands.push(['hmget', keys.stats, ['a', 'b']])
      if (top > 0) commands.push(['zrangeWithScores', keys.top, 0, top - 1, { rev: true }])
      where.push(bucket)
    }
  }
  const replies: unknown[] = []
  for (let i = 0; i < commands.length; i += BATCH) {
    replies.push(...(await store.batch(commands.slice(i, i + BATCH))))
  }
  const buckets = new Map<number, { allowed: number; blocked: number }>()
  const blocked = new Map<string, number>()
  const step = top > 0 ? 2 : 1
  where.forEach((bucket, i) => {
    const [a, b] = replies[i * step] as (string | null)[]
    const sum = buckets.get(bucket) ?? { allowed: 0, blocked: 0 }
    sum.allowed += Number(a ?? 0)
    sum.blocked += Number(b ?? 0)
    buckets.set(bucket, sum)
    if (top > 0) {
      for (const { member, score } of replies[i * step + 1] as { member: string; score: number }[]) {
        blocked.set(member, (blocked.get(member) ?? 0) + score)
      }
    }
  })
  const list = [...buckets].map(([bucket, sum]) => ({ start: bucket * config.bucketMs, ...sum }))
  return {
    allowed: list.reduce((n, b) => n + b.allowed, 0),
    blocked: list.reduce((n, b) => n + b.blocked, 0),
    buckets: list.filter((b) => b.allowed + b.blocked > 0),
    topBlocked: [...blocked]
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, top)
      .map(([id, count]) => ({ id, count })),
  }
}
