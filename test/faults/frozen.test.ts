/**
 * A frozen Redis: the test's own redis-server is SIGSTOPped under 64 concurrent callers. Unlike
 * a dead server, a frozen one keeps its sockets open and the kernel still accepts connections,
 * so nothing fails fast: only deadlines end the calls. Then SIGCONT, and the store returns.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { RedisStore } from '../../src/stores/redis.js'
import { type RedisServer, startRedisServer } from '../support/redis.js'
import { failoverOver, type Harness, uniquePrefix, until } from './helpers.js'
import { startTraffic, type Traffic } from './traffic.js'

const CALLERS = 64
/** The FailoverStore deadline is 250 ms (helpers.ts); a generous bound, not a benchmark. */
const MAX_CALL_MS = 1500
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('Redis frozen (SIGSTOP), then thawed (SIGCONT)', () => {
  let server: RedisServer | undefined
  let h: Harness | undefined
  let traffic: Traffic | undefined
  afterEach(async () => {
    await traffic?.stop()
    await h?.close()
    await server?.stop() // SIGCONT + SIGTERM: a frozen server still stops
  })

  it('answers every call within the deadline, recovers after SIGCONT, counts each increment once', async () => {
    server = await startRedisServer()
    h = failoverOver(server.url)
    const client = (h.store.primary as RedisStore).client
    const closes: number[] = []
    client.on('close', () => closes.push(performance.now()))
    const prefix = uniquePrefix('frozen')
    const keys = Array.from({ length: 8 }, (_, i) => `${prefix}count:${i}`)
    traffic = startTraffic(h.store, { callers: CALLERS, keys })
    await sleep(300)
    // a loaded machine may open the circuit during the warm-up: wait until it is on Redis again
    await until(
      'the store on Redis',
      () => h!.store.state() === 'closed' && h!.store.stats().primary > CALLERS,
      8000,
    )
    expect(traffic.errors).toEqual([])
    h.events.failover = 0
    h.events.recovered = 0

    server.kill('SIGSTOP')
    const frozenAt = performance.now()
    await until('failover', () => h!.events.failover > 0, 2000)
    // Frozen long enough for the connection reset after a timed-out command to complete: the
    // command times out in ioredis after 1 s, and the reset's stream.end() never gets the frozen
    // peer's FIN, so ioredis destroys the socket after its disconnectTimeout (2 s).
    await sleep(4000)
    const frozen = traffic.since(frozenAt)
    expect(frozen.calls).toBeGreaterThan(CALLERS * 2)
    expect(frozen.maxMs).toBeLessThan(MAX_CALL_MS)
    expect(traffic.errors).toEqual([])
    expect(h.store.state()).not.toBe('closed')
    expect(h.events.failover).toBe(1)
    // the connection with commands stuck on the frozen server was dropped (#resetAfterTimeout);
    // the reconnect reaches the kernel's accept queue but never gets ready while frozen
    expect(closes.some((t) => t > frozenAt)).toBe(true)
    expect(client.status).not.toBe('ready')

    server.kill('SIGCONT')
    const thawedAt = performance.now()
    await until('recovered', () => h!.events.recovered === 1, 8000)
    const recoveryMs = performance.now() - thawedAt
    const onRedis = h.store.stats().primary
    await sleep(300)
    expect(h.store.state()).toBe('closed')
    expect(h.store.stats().primary).toBeGreaterThan(onRedis + CALLERS) // traffic is back on Redis

    await traffic.stop()
    expect(traffic.errors).toEqual([])
    expect(traffic.maxMs()).toBeLessThan(MAX_CALL_MS)
    expect(h.events.failover).toBe(1)
    expect(h.events.recovered).toBe(1)
    // what Redis holds is exactly the increments the callers were told succeeded: the ones that
    // timed out on the frozen server ran once (when it thawed) or were replayed, never both
    const inRedis = await h.direct.mget(keys)
    expect(new Map(keys.map((k, i) => [k, Number(inRedis[i])]))).toEqual(traffic.counts)
    expect(h.store.stats()).toMatchObject({ journal: { size: 0 }, uncertain: 0, rejected: 0 })
    console.info(
      `[frozen] ${traffic.calls} calls, max ${Math.round(traffic.maxMs())} ms, ` +
        `recovered ${Math.round(recoveryMs)} ms after SIGCONT, replayed ${h.events.replayed}`,
    )
  })
})
