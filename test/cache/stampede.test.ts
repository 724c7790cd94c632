/**
 * Stampede protection: concurrent getOrSet calls on a missing key run the loader once per process
 * (the flight) and once across processes (the lease); a waiter takes over when the holder dies,
 * and stops waiting after `lease.wait`. Errors are never cached. (test/cache/processes.test.ts
 * does it with two real processes.)
 */
import { afterEach, describe, expect, it } from 'vitest'
import { keySlot } from '../../src/internal/slot.js'
import { slotTag } from '../../src/internal/slot-tags.js'
import { storeMatrix } from '../support/stores.js'
import { deferred, type Pair, pair, until } from './helpers.js'

/** The lease key the cache uses for `key` (same cluster slot as the value). */
function leaseKey(prefix: string, key: string): string {
  return `${prefix}cache:l:{${slotTag(keySlot(`${prefix}cache:v:${key}`))}}:${key}`
}

describe.each(storeMatrix())('cache stampede on $name', (c) => {
  let p: Pair | undefined
  afterEach(async () => {
    await p?.close()
    p = undefined
  })

  it('runs the loader once for 200 concurrent callers in one process', async () => {
    p = await pair(c)
    let calls = 0
    const gate = deferred()
    const results = Promise.all(
      Array.from({ length: 200 }, () =>
        p!.a.getOrSet('hot', async () => {
          calls++
          await gate.promise
          return { built: true }
        }),
      ),
    )
    await until('the loader runs', () => calls === 1)
    gate.resolve()
    expect(new Set((await results).map((v) => JSON.stringify(v)))).toEqual(new Set(['{"built":true}']))
    expect(calls).toBe(1)
    expect(p.a.stats().loads).toBe(1)
    expect(await p.a.get('hot')).toEqual({ built: true })
  })

  it('runs the loader once across two processes; the other waits for the value', async () => {
    p = await pair(c)
    let calls = 0
    const gate = deferred()
    const loader = async () => {
      calls++
      await gate.promise
      return 'once'
    }
    const fromA = Array.from({ length: 50 }, () => p!.a.getOrSet('k', loader))
    await until('A holds the lease', () => calls === 1)
    const fromB = Array.from({ length: 50 }, () => p!.b.getOrSet('k', loader))
    await until('B waits on the lease', () => p!.b.stats().leaseWaits === 1)
    gate.resolve()
    expect(new Set(await Promise.all([...fromA, ...fromB]))).toEqual(new Set(['once']))
    expect(calls).toBe(1)
    expect(p.b.stats().loads).toBe(0)
    expect(await p.storeA.exists([leaseKey(p.prefix, 'k')])).toBe(0) // released after the fill
  })

  it('takes over when the lease holder died (its lease expires)', async () => {
    p = await pair(c, { lease: { ttl: '200ms', wait: '10s' } })
    // a holder that took the lease and died: nobody renews it
    await p.storeA.set(leaseKey(p.prefix, 'k'), 'dead-holder', { px: 200 })
    let calls = 0
    expect(await p.b.getOrSet('k', () => ++calls)).toBe(1)
    expect(calls).toBe(1)
    expect(p.b.stats()).toMatchObject({ leaseWaits: 1, leaseTimeouts: 0, loads: 1 })
  })

  it('stops waiting after lease.wait and loads by itself', async () => {
    p = await pair(c, { lease: { ttl: '5s', wait: '300ms' } })
    await p.storeA.set(leaseKey(p.prefix, 'k'), 'stuck-holder', { px: 60_000 })
    expect(await p.b.getOrSet('k', () => 'mine')).toBe('mine')
    expect(p.b.stats()).toMatchObject({ leaseWaits: 1, leaseTimeouts: 1, loads: 1 })
  })

  it('renews the lease while a slow loader runs, so nobody else loads', async () => {
    p = await pair(c, { lease: { ttl: '1s', wait: '30s' } }) // renewed every 333 ms
    let calls = 0
    const gate = deferred()
    const loader = async () => {
      calls++
      await gate.promise
      return 'slow'
    }
    const first = p.a.getOrSet('k', loader)
    await until('A loads', () => calls === 1)
    const second = p.b.getOrSet('k', loader)
    await until('B waits', () => p!.b.stats().leaseWaits === 1)
    await new Promise((resolve) => setTimeout(resolve, 2500)) // two and a half lease lifetimes
    gate.resolve()
    expect([await first, await second]).toEqual(['slow', 'slow'])
    expect(calls).toBe(1)
  })

  it('when the holder fails, a waiter loads by itself; errors are never cached', async () => {
    p = await pair(c)
    const gate = deferred()
    const failing = p.a.getOrSet('k', async () => {
      await gate.promise
      throw new Error('source down')
    })
    await until('A holds the lease', async () => (await p!.storeA.exists([leaseKey(p!.prefix, 'k')])) === 1)
    const waiting = p.b.getOrSet('k', () => 'from B')
    await until('B waits', () => p!.b.stats().leaseWaits === 1)
    gate.resolve()
    await expect(failing).rejects.toThrow('source down')
    expect(await waiting).toBe('from B')
    expect(p.a.stats().loadErrors).toBe(1)
    let again = 0
    await p.a.delete('k')
    await expect(p.a.getOrSet('k', () => Promise.reject(new Error('still down')))).rejects.toThrow(
      'still down',
    )
    expect(await p.a.getOrSet('k', () => ++again)).toBe(1)
  })

  it('a loader returning undefined, or calling skip(), stores nothing', async () => {
    p = await pair(c)
    expect(await p.a.getOrSet('u', () => undefined)).toBeUndefined()
    expect(
      await p.a.getOrSet('s', ({ skip }) => {
        skip()
        return 'partial'
      }),
    ).toBe('partial')
    expect(await p.a.getMany(['u', 's'])).toEqual([undefined, undefined])
    expect(
      await p.a.getOrSet('t', ({ setTtl }) => {
        setTtl('short')
        return 'ttl set'
      }),
    ).toBe('ttl set')
    expect(await p.b.get('t')).toBe('ttl set')
  })
})
