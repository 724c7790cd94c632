/**
 * Cluster failover under load, on a cluster this file starts (6 processes of its own, node
 * timeout 2 s): a master killed, a master frozen past the node timeout, and the regression guard
 * for `slotsRefreshInterval` (without periodic slot refresh, a client keeps sending to the frozen
 * master after its replica took over). 24 writers do INCRBY + GET on keys over all three masters
 * for the whole scenario; afterwards Redis must hold exactly the increments that succeeded.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { keySlot } from '../../src/internal/slot.js'
import { createFailoverStore, type FailoverStore } from '../../src/stores/failover/index.js'
import { createRedisStore, type RedisStoreOptions } from '../../src/stores/redis.js'
import { type RedisCluster, startCluster } from '../support/cluster.js'
import { redisCommand } from '../support/resp.js'
import {
  keysAndVictim,
  mismatches,
  pauseUntilReplicated,
  promoted,
  slotOwners,
  valuesInRedis,
} from './cluster-helpers.js'
import { until } from './helpers.js'
import { startTraffic, type Traffic } from './traffic.js'

const WRITERS = 24
/** The FailoverStore deadline is 250 ms; a generous bound for 2 cores and 6 servers. */
const MAX_CALL_MS = 2000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Run {
  store: FailoverStore
  /** performance.now() of each event. */
  at: { failover: number[]; recovered: number[] }
  traffic?: Traffic
}

let cluster: RedisCluster
const runs: Run[] = []

beforeAll(async () => {
  cluster = await startCluster({ nodeTimeoutMs: 2000 })
})
afterAll(async () => {
  await cluster?.stop()
})
afterEach(async () => {
  for (const run of runs.splice(0)) {
    await run.traffic?.stop()
    await run.store.close()
  }
  // leave the cluster healthy for the next scenario, whatever this one did to it
  for (const server of cluster.servers) {
    if (!server.running) await server.restart()
    else server.kill('SIGCONT')
  }
  await cluster.waitHealthy(30_000)
})

/**
 * A FailoverStore over the cluster, its connections warmed up first (a cold client's first calls
 * include the connect and the slot map, which a loaded 2-core machine may not do in 250 ms).
 */
async function failoverStore(
  keys: readonly string[],
  options: Partial<RedisStoreOptions> = {},
): Promise<Run> {
  const primary = createRedisStore({
    cluster: cluster.nodes.map(({ host, port }) => ({ host, port })),
    commandTimeout: '1s',
    connectTimeout: '300ms',
    ...options,
  })
  await Promise.all(keys.map((k) => primary.get(k))).catch(async (err) => {
    await primary.close()
    throw err
  })
  const store = createFailoverStore({ primary, timeout: '250ms' })
  const run: Run = { store, at: { failover: [], recovered: [] } }
  store.on('failover', () => run.at.failover.push(performance.now()))
  store.on('recovered', () => run.at.recovered.push(performance.now()))
  runs.push(run)
  return run
}

/**
 * Lets the traffic run on Redis for a moment before the fault. Under a loaded full test run a slow
 * reply may open the circuit during this warm-up: wait until it is closed, then forget its events.
 */
async function warmUp(...list: Run[]): Promise<void> {
  await sleep(500)
  for (const run of list) {
    const on = run.store.stats().primary
    await until(
      'the store on Redis',
      () => run.store.state() === 'closed' && run.store.stats().primary > on,
      10_000,
    )
    expect(run.traffic?.errors).toEqual([])
    run.at.failover.length = 0
    run.at.recovered.length = 0
  }
}

/**
 * Stops the traffic with the store on Redis: on a loaded machine a slow reply after the recovery
 * (the new master forking for the old one's resync, say) may open the circuit once more, and
 * the final check wants that outage replayed too.
 */
async function settle(run: Run): Promise<void> {
  await until('the store back on Redis', () => run.store.state() === 'closed', 10_000)
  await run.traffic?.stop()
  expect(run.at.failover.length).toBe(run.at.recovered.length)
}

describe('Redis Cluster failover under 24 writers', () => {
  it('a master SIGKILLed: served from memory, back on Redis after the promotion, counts exact', async () => {
    const { keys, victim, victimKeys } = await keysAndVictim(cluster, 'cluster-kill')
    const run = await failoverStore(keys)
    const traffic = (run.traffic = startTraffic(run.store, { callers: WRITERS, keys, pauseMs: 2 }))
    await warmUp(run)

    await pauseUntilReplicated(victim)
    victim.kill('SIGKILL')
    const killedAt = performance.now()
    await until('failover', () => run.at.failover.length > 0, 5000)
    const fromMemory = run.store.stats().fallback
    await until('recovered', () => run.at.recovered.length > 0, 15_000)
    const recoveredAt = run.at.recovered[0]!
    const outage = traffic.since(killedAt, victimKeys)
    expect(outage.calls).toBeGreaterThan(WRITERS) // the dead master's keys kept being served
    expect(run.store.stats().fallback).toBeGreaterThan(fromMemory) // … from memory
    expect(await promoted(cluster, victim)).toBe(true)

    const onRedis = run.store.stats().primary
    await sleep(500)
    expect(run.store.stats().primary).toBeGreaterThan(onRedis + WRITERS) // traffic is back on Redis
    await settle(run)
    expect(traffic.errors).toEqual([])
    expect(traffic.maxMs()).toBeLessThan(MAX_CALL_MS)
    // nothing lost, nothing doubled
    expect(mismatches(await valuesInRedis(cluster, keys), traffic.counts, victimKeys)).toEqual([])
    expect(run.store.stats()).toMatchObject({ journal: { size: 0 }, uncertain: 0, rejected: 0 })
    console.info(
      `[cluster kill] failover +${Math.round(run.at.failover[0]! - killedAt)} ms, recovered ` +
        `+${Math.round(recoveredAt - killedAt)} ms, ${run.at.failover.length} outage(s), ` +
        `${traffic.calls} calls, max ${Math.round(traffic.maxMs())} ms`,
    )
  })

  it('a master frozen past the node timeout: back on Redis while it is still frozen, counts exact', async () => {
    const { keys, victim, victimKeys } = await keysAndVictim(cluster, 'cluster-freeze')
    const run = await failoverStore(keys)
    const traffic = (run.traffic = startTraffic(run.store, { callers: WRITERS, keys, pauseMs: 2 }))
    await warmUp(run)

    await pauseUntilReplicated(victim)
    victim.kill('SIGSTOP')
    const frozenAt = performance.now()
    await until('failover', () => run.at.failover.length > 0, 5000)
    await until('recovered while frozen', () => run.at.recovered.length > 0, 12_000)
    const recoveredAt = run.at.recovered[0]!
    // the promoted replica now serves the frozen master's keys, before any SIGCONT: a write
    // through the store lands on it (retried: a slow reply may open the circuit for a moment)
    const onRedis = run.store.stats().primary
    const back = performance.now()
    const probe = `{${keys[0]}}:probe`
    const newMaster = (await slotOwners(cluster, victim.port))(keySlot(probe))
    expect(newMaster).not.toBe(victim.port)
    let n = 0
    await until(
      'a write through the store on the promoted replica',
      async () => {
        const value = `while-frozen-${n++}`
        await run.store.set(probe, value)
        return (await redisCommand(newMaster, ['GET', probe])) === value
      },
      3000,
    )
    await sleep(Math.max(500, frozenAt + 6000 - performance.now()))
    expect(run.store.stats().primary).toBeGreaterThan(onRedis + WRITERS)
    expect(traffic.since(back, victimKeys).calls).toBeGreaterThan(WRITERS)

    victim.kill('SIGCONT')
    const thawedAt = performance.now()
    await sleep(1000) // the old master learns it was replaced and rejoins as a replica
    await settle(run)
    expect(traffic.errors).toEqual([])
    expect(traffic.maxMs()).toBeLessThan(MAX_CALL_MS)
    expect(recoveredAt).toBeLessThan(thawedAt)
    await cluster.waitHealthy(30_000)
    expect(mismatches(await valuesInRedis(cluster, keys), traffic.counts, victimKeys)).toEqual([])
    expect(run.store.stats()).toMatchObject({ journal: { size: 0 }, uncertain: 0, rejected: 0 })
    console.info(
      `[cluster freeze] failover +${Math.round(run.at.failover[0]! - frozenAt)} ms, recovered ` +
        `+${Math.round(recoveredAt - frozenAt)} ms (SIGCONT at +${Math.round(thawedAt - frozenAt)}), ` +
        `${run.at.failover.length} outage(s), ${traffic.calls} calls, max ${Math.round(traffic.maxMs())} ms`,
    )
  })

  it('regression guard: without periodic slot refresh, a frozen master keeps traffic off Redis', async () => {
    const { victim, victimKeys } = await keysAndVictim(cluster, 'cluster-refresh')
    // two key sets in the victim's slots ({k}:a is in k's slot), one per store
    const keysWith = [...victimKeys].map((k) => `{${k}}:a`)
    const keysWithout = [...victimKeys].map((k) => `{${k}}:b`)
    // Both raise socketTimeout (5 s by default): silence on a socket with commands pending also
    // drops the frozen node's connection and so refreshes the slot map, a slower second way back.
    // Their traffic stays in the victim's slots: a keyed command to a live master during the
    // election would be answered CLUSTERDOWN, which refreshes the map as well.
    const withRefresh = await failoverStore(keysWith, { socketTimeout: '30s' })
    const without = await failoverStore(keysWithout, { socketTimeout: '30s', slotsRefreshInterval: 0 })
    const half = { callers: WRITERS / 2, pauseMs: 2 }
    const trafficWith = (withRefresh.traffic = startTraffic(withRefresh.store, { ...half, keys: keysWith }))
    const trafficWithout = (without.traffic = startTraffic(without.store, { ...half, keys: keysWithout }))
    await warmUp(withRefresh, without)

    await pauseUntilReplicated(victim)
    victim.kill('SIGSTOP')
    const frozenAt = performance.now()
    await until('recovered with refresh', () => withRefresh.at.recovered.length > 0, 12_000)
    expect(await promoted(cluster, victim)).toBe(true)
    // one more refresh interval (2 s) with the master still frozen: the client without periodic
    // refresh still sends the frozen master's slots to it, so its store cannot return to Redis
    await sleep(2500)
    expect(without.at.failover).toHaveLength(1)
    expect(without.at.recovered).toHaveLength(0)
    expect(without.store.state()).not.toBe('closed')

    victim.kill('SIGCONT')
    const thawedAt = performance.now()
    // the thawed master answers MOVED, which refreshes the map: now it returns
    await until('recovered without refresh', () => without.at.recovered.length > 0, 10_000)
    await sleep(300)
    await Promise.all([settle(withRefresh), settle(without)])
    expect([...trafficWith.errors, ...trafficWithout.errors]).toEqual([])
    expect(Math.max(trafficWith.maxMs(), trafficWithout.maxMs())).toBeLessThan(MAX_CALL_MS)
    await cluster.waitHealthy(30_000)
    expect(mismatches(await valuesInRedis(cluster, keysWith), trafficWith.counts)).toEqual([])
    const inRedis = await valuesInRedis(cluster, keysWithout)
    const off = keysWithout.filter((k) => inRedis.get(k) !== trafficWithout.counts.get(k))
    console.info(
      `[cluster refresh guard] with refresh: recovered +${Math.round(withRefresh.at.recovered[0]! - frozenAt)} ms; ` +
        `without: +${Math.round(without.at.recovered[0]! - frozenAt)} ms (SIGCONT at +${Math.round(thawedAt - frozenAt)}), ` +
        `keys off: ${off.map((k) => `${inRedis.get(k)} vs ${trafficWithout.counts.get(k)}`).join(', ') || 'none'}`,
    )
  })
})
