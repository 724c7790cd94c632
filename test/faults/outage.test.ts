/**
 * Outages through the fault proxy, against the real shared redis-server: connections cut (RST)
 * and a blackhole (no answer at all) under 200 concurrent callers, then recovery.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { redisUrl } from '../support/env.js'
import { cleanup, proxy } from '../support/fault-proxy-clients.js'
import { failoverOver, type Harness, uniquePrefix, until } from './helpers.js'

const DEADLINE = 250
const CALLERS = 200

/** 200 callers doing INCRBY then GET in a loop for `ms`; returns what they saw. */
async function load(h: Harness, key: string, ms: number) {
  const stop = Date.now() + ms
  const latencies: number[] = []
  let thrown = 0
  let increments = 0
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (Date.now() < stop) {
        const t = performance.now()
        try {
          await h.store.incrby(key, 1)
          increments++
          await h.store.get(key)
        } catch {
          thrown++
        }
        latencies.push(performance.now() - t)
        // a caller does other work between calls; without this, calls answered from memory
        // resolve in microtasks only and starve every timer and socket of the process
        await new Promise((resolve) => setImmediate(resolve))
      }
    }),
  )
  return { latencies, thrown, increments, max: latencies.reduce((a, b) => Math.max(a, b), 0) }
}

describe.each(['cut', 'blackhole'] as const)('%s under 200 concurrent callers', (fault) => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.close()
    await cleanup()
  })

  it('never throws, answers within the deadline, fails over once, recovers, counts once', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl())
    const key = `${uniquePrefix(fault)}count`
    const before = await load(h, key, 300)
    expect(before.thrown).toBe(0)

    if (fault === 'cut') {
      p.refuse(true)
      p.cut('rst')
    } else p.blackhole()
    const during = await load(h, key, 1000)
    expect(during.thrown).toBe(0)
    // every call returned within the deadline plus a margin (two calls per iteration)
    expect(during.max).toBeLessThan(2 * DEADLINE + 400)
    expect(h.events.failover).toBe(1)
    expect(h.store.state()).not.toBe('closed')

    p.pass()
    if (fault === 'cut') p.refuse(false)
    await until('recovered', () => h!.events.recovered === 1, 8000)
    expect(h.events.failover).toBe(1)
    const total = before.increments + during.increments
    expect(Number(await h.direct.get(key))).toBe(total) // nothing lost, nothing doubled
    expect(h.store.stats().uncertain).toBe(0)
    expect(await h.store.incrby(key, 1)).toBe(total + 1)
  })
})

describe('recovery semantics', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.close()
    await cleanup()
  })

  it('a delete made during the outage is not undone by the old value in Redis', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl())
    const key = `${uniquePrefix('delete')}k`
    await h.store.set(key, 'old')
    p.blackhole()
    await Promise.all([h.store.get(key), h.store.get(key), h.store.get(key)]) // opens the circuit
    expect(await h.store.del([key])).toBe(0) // memory did not have it; the delete is journaled
    expect(await h.store.get(key)).toBeNull()
    p.pass()
    p.cut('rst')
    await until('recovered', () => h!.events.recovered === 1, 8000)
    expect(await h.direct.get(key)).toBeNull()
    expect(await h.store.get(key)).toBeNull()
  })

  it('writes whose replies were lost (they ran on Redis) are not counted twice', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl())
    const key = `${uniquePrefix('indoubt')}count`
    await h.store.incrby(key, 1)
    p.latency(DEADLINE * 3, 0, 'down') // commands arrive and run; replies come too late
    const results = await Promise.all(Array.from({ length: 20 }, () => h!.store.incrby(key, 1)))
    expect(results).toHaveLength(20)
    expect(h.events.failover).toBe(1)
    expect(h.store.stats().journal.size).toBe(20) // all twenty are in doubt
    p.pass()
    p.cut('rst')
    await until('recovered', () => h!.events.recovered === 1, 8000)
    expect(await h.direct.get(key)).toBe('21') // each ran once; none replayed a second time
  })

  it('list pushes and pops whose replies were lost (they ran on Redis) are not applied twice', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl())
    const key = `${uniquePrefix('indoubt')}list`
    await h.store.rpush(key, ['a', 'b', 'c'])
    p.latency(DEADLINE * 3, 0, 'down') // commands arrive and run; replies come too late
    const pushes = Array.from({ length: 10 }, (_, i) => h!.store.rpush(key, [`v${i}`]))
    await Promise.all([...pushes, h.store.lpop(key)])
    expect(h.store.stats().journal.size).toBe(11) // all eleven are in doubt
    p.pass()
    p.cut('rst')
    await until('recovered', () => h!.events.recovered === 1, 8000)
    const values = Array.from({ length: 10 }, (_, i) => `v${i}`)
    expect(await h.direct.lrange(key, 0, -1)).toEqual(['b', 'c', ...values]) // each ran once
  })

  it('a replay cut short by a second outage completes later without double counting', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl(), { replayBatch: 20 })
    const prefix = uniquePrefix('interrupted')
    const keys = Array.from({ length: 400 }, (_, i) => `${prefix}{n}:${i}`) // one slot, 400 entries
    p.refuse(true)
    p.cut('rst')
    for (let i = 0; i < 30; i++) await h.store.get(keys[0]!).catch(() => {}) // open the circuit
    await Promise.all(keys.map((key) => h!.store.incrby(key, 1)))
    expect(h.store.stats().journal.size).toBe(400)
    let cuts = 0
    h.store.on('replayed', () => {
      if (cuts++ === 0) p.latency(DEADLINE * 3, 0, 'down') // the next batch runs but its replies are late
    })
    p.refuse(false)
    await until('first replayed batch', () => cuts > 0, 8000)
    await until('replay interrupted', () => h!.store.state() === 'open', 8000)
    p.pass()
    p.cut('rst')
    await until('recovered', () => h!.events.recovered === 1, 10_000)
    expect(await h.direct.mget(keys)).toEqual(keys.map(() => '1'))
    expect(h.store.stats().journal.size).toBe(0)
  })

  it('a server answering errors (READONLY, LOADING, OOM) fails over, then recovers', async () => {
    for (const reply of [
      "-READONLY You can't write against a read only replica.\r\n",
      '-LOADING Redis is loading the dataset in memory\r\n',
      "-OOM command not allowed when used memory > 'maxmemory'.\r\n",
    ]) {
      const p = await proxy()
      const harness = failoverOver(p.url, redisUrl())
      h = harness
      const key = `${uniquePrefix('errors')}count`
      p.reply((command) => (command[0] === 'PING' ? undefined : reply))
      const results = await Promise.all(Array.from({ length: 10 }, () => harness.store.incrby(key, 1)))
      expect(results).toHaveLength(10)
      expect(harness.events.failover).toBe(1)
      p.pass()
      await until('recovered', () => harness.events.recovered === 1, 8000)
      expect(await harness.direct.get(key)).toBe('10')
      await harness.close()
      h = undefined
    }
  })

  it('without a fallback, calls fail fast with UNAVAILABLE while the circuit is open', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl(), { fallback: false })
    p.refuse(true)
    p.cut('rst')
    const errors = await Promise.all(Array.from({ length: 10 }, () => h!.store.get('x').catch((e) => e)))
    expect(errors.every((e) => isKitError(e, 'UNAVAILABLE'))).toBe(true)
  })
})
