import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { redisUrl } from './env.js'
import { cleanup, client, key, proxy, recovered } from './fault-proxy-clients.js'
import { waitUntil } from './resp.js'

/** Transport faults of the fault proxy against the shared standalone Redis. */
afterEach(cleanup)

describe('pass-through', () => {
  it('proxies SET/GET, a 1 MB value intact, and 1000 pipelined commands in order', async () => {
    const p = await proxy()
    const c = await client(p.url)
    expect(await c.set(key('a'), 'hello')).toBe('OK')
    expect(await c.get(key('a'))).toBe('hello')

    const big = randomBytes(1 << 20)
    await c.set(key('big'), big)
    expect((await c.getBuffer(key('big')))?.equals(big)).toBe(true)
    expect(p.stats()).toMatchObject({ accepted: 1, live: 1 })
    expect(p.stats().bytesUp).toBeGreaterThan(1 << 20)
    expect(p.stats().bytesDown).toBeGreaterThan(1 << 20)

    const pipeline = c.pipeline()
    for (let i = 0; i < 1000; i++) i % 2 ? pipeline.echo(`e${i}`) : pipeline.incr(key('n'))
    const results = (await pipeline.exec())?.map(([err, value]) => err ?? value)
    expect(results).toEqual(Array.from({ length: 1000 }, (_, i) => (i % 2 ? `e${i}` : i / 2 + 1)))
    await c.del(key('a'), key('big'), key('n'))
  })
})

describe('stop', () => {
  it('destroys every pair and closes the listener', async () => {
    const p = await proxy()
    const cs = await Promise.all([client(p.url), client(p.url), client(p.url)])
    expect(p.stats().live).toBe(3)
    cs[0]?.disconnect()
    await waitUntil('a disconnected pair to close', async () => p.stats().live === 2, { timeoutMs: 2000 })
    await p.stop()
    expect(p.stats().live).toBe(0)
    await expect(cs[1]?.ping()).rejects.toThrow()
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(p.port, '127.0.0.1', () => resolve('connected'))
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
    })
    expect(refused).toBe('ECONNREFUSED')
  })
})

describe('latency', () => {
  it('adds at least the injected delay to a round trip', async () => {
    const p = await proxy()
    const c = await client(p.url)
    p.latency(50, 0, 'up')
    let started = performance.now()
    await c.ping()
    expect(performance.now() - started).toBeGreaterThanOrEqual(45)
    p.latency(50) // both ways
    started = performance.now()
    await c.ping()
    expect(performance.now() - started).toBeGreaterThanOrEqual(95)
  })

  it('keeps chunk order under jitter', async () => {
    const p = await proxy()
    const c = await client(p.url)
    p.latency(0, 20)
    const replies = await Promise.all(Array.from({ length: 100 }, () => c.incr(key('order'))))
    expect(replies).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    await c.del(key('order'))
  })

  it('keeps a 4 MB value intact when delayed chunks pile up (source paused, then resumed)', async () => {
    const p = await proxy()
    const c = await client(p.url, { commandTimeout: 5000 })
    p.latency(20, 10)
    const big = randomBytes(4 << 20)
    await c.set(key('big-delayed'), big)
    expect((await c.getBuffer(key('big-delayed')))?.equals(big)).toBe(true)
    await c.del(key('big-delayed'))
  })
})

describe('blackhole', () => {
  it('makes a command time out; after pass() and a reconnect it answers again', async () => {
    const p = await proxy()
    const c = await client(p.url)
    await c.set(key('bh'), 'v')
    p.blackhole()
    await expect(c.get(key('bh'))).rejects.toThrow(/timed out/i)
    expect(p.stats().live).toBe(1) // the socket stays open: a frozen server, not a dead one
    p.pass()
    p.cut('fin') // the client still waits for the swallowed reply: reconnect to get back in step
    await recovered(c)
    expect(await c.get(key('bh'))).toBe('v')
    await c.del(key('bh'))
  })

  it('with socketTimeout the client reconnects by itself once data stops flowing', async () => {
    const p = await proxy()
    const c = await client(p.url, { socketTimeout: 600 })
    p.blackhole()
    await expect(c.ping()).rejects.toThrow(/timed out/i)
    // socketTimeout fires only while no data arrives; so wait for its reconnect before pass():
    // after pass() each late reply would re-arm it and the client would stay one reply behind.
    await waitUntil('a reconnect by socketTimeout', async () => p.stats().accepted >= 2, { timeoutMs: 3000 })
    p.pass()
    await recovered(c)
  })

  it("'down' only: the write reaches Redis though the client times out", async () => {
    const p = await proxy()
    const c = await client(p.url)
    const direct = await client(redisUrl())
    p.blackhole('down')
    await expect(c.set(key('half'), 'written')).rejects.toThrow(/timed out/i)
    expect(await direct.get(key('half'))).toBe('written')
    await direct.del(key('half'))
  })
})

describe('cut', () => {
  it.each(['rst', 'fin'] as const)('%s rejects in-flight commands and the client reconnects', async (how) => {
    const p = await proxy()
    const c = await client(p.url)
    p.blackhole('down') // keeps the command in flight
    const inFlight = c.get(key('cut'))
    await new Promise((r) => setTimeout(r, 30))
    p.cut(how)
    p.pass()
    const err = await inFlight.then(
      () => undefined,
      (e: Error) => e,
    )
    expect(err?.message).not.toMatch(/timed out/i)
    expect(err).toBeInstanceOf(Error)
    await recovered(c)
    expect(p.stats()).toMatchObject({ accepted: 2, live: 1 })
  })
})

describe('refuse', () => {
  it('resets new connections while on; live ones keep working', async () => {
    const p = await proxy()
    const before = await client(p.url)
    p.refuse(true)
    await expect(client(p.url, { retryStrategy: () => null })).rejects.toThrow()
    expect(await before.ping()).toBe('PONG')
    expect(p.stats().refused).toBeGreaterThanOrEqual(1)
    p.refuse(false)
    expect(await (await client(p.url)).ping()).toBe('PONG')
  })
})

describe('limitData', () => {
  it("'down' truncates a reply: the command fails, the client reconnects", async () => {
    const p = await proxy()
    const c = await client(p.url)
    const value = 'x'.repeat(10_000)
    await c.set(key('limit'), value)
    p.limitData(100, 'down')
    await expect(c.get(key('limit'))).rejects.toThrow()
    p.pass()
    await recovered(c)
    expect(await c.get(key('limit'))).toBe(value)
    await c.del(key('limit'))
  })

  it("'up' truncates a command: it never runs", async () => {
    const p = await proxy()
    const c = await client(p.url)
    const direct = await client(redisUrl())
    p.limitData(64, 'up')
    await expect(c.set(key('cut-up'), 'y'.repeat(10_000))).rejects.toThrow()
    expect(await direct.exists(key('cut-up'))).toBe(0)
  })
})
