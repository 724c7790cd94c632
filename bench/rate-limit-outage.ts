/**
 * Outage part of bench/rate-limit.ts: 200 concurrent callers checking one limit while Redis is
 * cut (connections reset, new ones refused) or silent (blackhole) through the fault proxy, for
 * each policy, on a raw RedisStore and under a FailoverStore (as createKit builds it).
 */
import { createRateLimit, type RateLimitStoreErrorPolicy } from '../src/rate-limit/index.js'
import { createFailoverStore } from '../src/stores/failover/index.js'
import { createRedisStore } from '../src/stores/redis.js'
import type { Store } from '../src/stores/types.js'
import { startFaultProxy } from '../test/support/fault-proxy.js'

const CALLERS = 200
const HEALTHY_MS = 700
const OUTAGE_MS = 2000
const LIMIT = 100 // per second, per process; with instances: 2 this process enforces 50 locally

export interface OutageRow {
  store: string
  fault: string
  policy: RateLimitStoreErrorPolicy
  thrown: number
  maxMs: number
  p99Ms: number
  outageChecks: number
  /** Sources of the answers during the outage. */
  sources: string
  /** Max admitted locally in any second of the outage (local policy: ≤ limit / instances), on the clock that decided. */
  maxLocalPerSecond: number
  /** Max admitted in any second across the outage's start (Redis before + local after: ≤ limit + share). */
  maxAnyPerSecond: number
  recoveredMs: number
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0

export async function outage(
  url: string,
  kind: 'redis' | 'failover',
  fault: 'cut' | 'blackhole',
  policy: RateLimitStoreErrorPolicy,
  maxInWindow: (times: number[]) => number,
): Promise<OutageRow> {
  const target = new URL(url)
  const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) })
  const primary = createRedisStore({ url: proxy.url, commandTimeout: '1s', connectTimeout: '300ms' })
  const store: Store = kind === 'failover' ? createFailoverStore({ primary, timeout: '250ms' }) : primary
  const rateLimit = createRateLimit(store, { prefix: `bench:rl-outage:${Date.now()}:`, timeout: '250ms' })
  const limiter = rateLimit.define({
    name: 'api',
    limit: LIMIT,
    window: 1,
    onStoreError: policy,
    instances: 2,
  })
  let phase: 'healthy' | 'outage' | 'after' = 'healthy'
  let stop = false
  let thrown = 0
  let healedAt = 0
  let backAt = 0
  const latencies: number[] = []
  const sources = new Map<string, number>()
  const admitted: number[] = []
  const admittedLocally: number[] = []
  const callers = Array.from({ length: CALLERS }, async () => {
    while (!stop) {
      const t = performance.now()
      try {
        const r = await limiter.check('user')
        if (phase === 'outage') {
          sources.set(r.source, (sources.get(r.source) ?? 0) + 1)
          // the decision's own time (sliding window: resetAt - window), not when the answer was read
          if (r.allowed && r.source === 'local') admittedLocally.push(r.resetAt - 1000)
        }
        if (r.allowed && r.source !== 'open') admitted.push(r.resetAt - 1000)
        if (phase === 'after' && !backAt && r.source === 'store') backAt = performance.now()
      } catch {
        thrown++
      }
      latencies.push(performance.now() - t)
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
  })
  await new Promise((resolve) => setTimeout(resolve, HEALTHY_MS))
  phase = 'outage'
  if (fault === 'cut') {
    proxy.refuse(true)
    proxy.cut('rst')
  } else proxy.blackhole()
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS))
  phase = 'after'
  healedAt = performance.now()
  proxy.pass()
  proxy.refuse(false)
  if (fault === 'blackhole') proxy.cut()
  const deadline = Date.now() + 10_000
  while (!backAt && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
  stop = true
  await Promise.all(callers)
  await rateLimit.close()
  await store.close()
  await proxy.stop()
  const sorted = latencies.sort((a, b) => a - b)
  return {
    store: kind,
    fault,
    policy,
    thrown,
    maxMs: sorted.at(-1) ?? 0,
    p99Ms: percentile(sorted, 0.99),
    outageChecks: [...sources.values()].reduce((a, b) => a + b, 0),
    sources: [...sources].map(([s, n]) => `${s} ${n}`).join(', '),
    maxLocalPerSecond: maxInWindow(admittedLocally),
    maxAnyPerSecond: maxInWindow(admitted),
    recoveredMs: backAt ? backAt - healedAt : Number.NaN,
  }
}
