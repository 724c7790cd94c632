/**
 * bench/failover.ts — what 200 concurrent callers see when Redis goes away (connections cut, or
 * a blackhole that answers nothing) and comes back, through the fault proxy, on a real
 * redis-server. Run: npx tsx bench/failover.ts. Targets (issue 3): 0 thrown, p99 during the outage
 * under the deadline + 50 ms, recovery under 2 s, 0 lost or doubled.
 */
import { Redis } from 'ioredis'
import { createFailoverStore, type FailoverStore } from '../src/stores/failover/index.js'
import { createRedisStore } from '../src/stores/redis.js'
import { startFaultProxy } from '../test/support/fault-proxy.js'
import { benchRedis, fmt } from './harness.js'

const CALLERS = 200
const OUTAGE_MS = 3000
const DEADLINE_MS = 250

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}

async function scenario(url: string, fault: 'cut' | 'blackhole') {
  const target = new URL(url)
  const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) })
  const store: FailoverStore = createFailoverStore({
    primary: createRedisStore({ url: proxy.url, commandTimeout: '1s', connectTimeout: '300ms' }),
    timeout: DEADLINE_MS / 1000,
  })
  const direct = new Redis(url)
  const key = `bench:failover:${fault}:${Date.now()}`
  let phase: 'before' | 'outage' | 'after' = 'before'
  let stop = false
  let succeeded = 0
  let thrown = 0
  const outageLatencies: number[] = []
  let failoverAt = 0
  let recoveredAt = 0
  let replayed = 0
  store.on('failover', () => {
    failoverAt = performance.now()
  })
  store.on('recovered', (info) => {
    recoveredAt = performance.now()
    replayed = info.replayed
  })

  const callers = Array.from({ length: CALLERS }, async () => {
    while (!stop) {
      const t = performance.now()
      try {
        await store.incrby(key, 1)
        succeeded++
      } catch {
        thrown++
      }
      if (phase === 'outage') outageLatencies.push(performance.now() - t)
      await new Promise((resolve) => setImmediate(resolve))
    }
  })

  await new Promise((resolve) => setTimeout(resolve, 500))
  const faultAt = performance.now()
  phase = 'outage'
  if (fault === 'cut') {
    proxy.refuse(true)
    proxy.cut('rst')
  } else proxy.blackhole()
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS))
  phase = 'after'
  const healedAt = performance.now()
  proxy.pass()
  const deadline = Date.now() + 10_000
  while (!recoveredAt && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
  await new Promise((resolve) => setTimeout(resolve, 300))
  stop = true
  await Promise.all(callers)
  const inRedis = Number(await direct.get(key))
  const sorted = outageLatencies.sort((a, b) => a - b)
  const row = {
    fault,
    thrown,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
    toFailover: failoverAt - faultAt,
    toRecovered: recoveredAt ? recoveredAt - healedAt : Number.NaN,
    replayed,
    succeeded,
    inRedis,
  }
  direct.disconnect()
  await store.close()
  await proxy.stop()
  return row
}

const { url, stop } = await benchRedis()
try {
  const rows = [await scenario(url, 'cut'), await scenario(url, 'blackhole')]
  console.log(
    `### Failover under ${CALLERS} concurrent callers (deadline ${DEADLINE_MS} ms, outage ${OUTAGE_MS} ms)\n`,
  )
  console.log(
    '| fault | calls thrown | p50 ms (outage) | p99 ms (outage) | max ms (outage) | time to failover ms | time to recovered ms | journal entries replayed | increments acknowledged | counted in Redis | lost / doubled |',
  )
  console.log('|---|---|---|---|---|---|---|---|---|---|---|')
  for (const r of rows) {
    const diff = r.inRedis - r.succeeded
    console.log(
      `| ${r.fault} | ${r.thrown} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.max, 1)} | ${fmt(r.toFailover, 1)} | ${fmt(r.toRecovered, 1)} | ${r.replayed} | ${r.succeeded} | ${r.inRedis} | ${diff === 0 ? '0 / 0' : diff < 0 ? `${-diff} lost` : `${diff} doubled`} |`,
    )
  }
} finally {
  await stop()
}
