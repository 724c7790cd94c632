/**
 * Feature flags on every store: explicit enable/disable/reset, percentage rollouts decided by
 * hashing (deterministic, monotonic), several flags in one call, counts, the atomic id → offset
 * map (two clients never share an offset), and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Bitmaps, createBitmaps, rolloutPosition } from '../../src/bitmaps/index.js'
import type { Store } from '../../src/stores/types.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

const users = (n: number) => Array.from({ length: n }, (_, i) => `user-${i}`)

describe.each(storeMatrix())('feature flags on $name', ({ name, create }) => {
  let store: Store
  let prefix: string
  let bitmaps: Bitmaps
  beforeAll(() => {
    store = create()
    prefix = testPrefix('flags')
    bitmaps = createBitmaps(store, { prefix })
  })
  afterAll(async () => {
    await deletePrefix(store, prefix)
    await store.close()
  })

  it('enables, disables and resets a flag per user, and counts the enabled users', async () => {
    const { flags } = bitmaps
    expect(await flags.isEnabled('beta', 'alice')).toBe(false)
    await flags.enable('beta', 'alice')
    await flags.enable('beta', 'bob')
    await flags.enable('beta', 'alice')
    expect(await flags.isEnabled('beta', 'alice')).toBe(true)
    expect(await flags.isEnabled('beta', 'bob')).toBe(true)
    expect(await flags.isEnabled('beta', 'carol')).toBe(false)
    expect(await flags.isEnabled('other', 'alice')).toBe(false)
    expect(await flags.enabledCount('beta')).toBe(2)
    await flags.disable('beta', 'bob')
    expect(await flags.isEnabled('beta', 'bob')).toBe(false)
    expect(await flags.enabledCount('beta')).toBe(1)
    await flags.reset('beta', 'alice')
    expect(await flags.isEnabled('beta', 'alice')).toBe(false)
    expect(await flags.enabledCount('beta')).toBe(0)
  })

  it('maps each user id to one dense offset, atomically, even from two clients at once', async () => {
    const other = name === 'memory' ? store : create()
    try {
      const a = createBitmaps(store, { prefix: `${prefix}map:` }).flags
      const b = createBitmaps(other, { prefix: `${prefix}map:` }).flags
      const all = users(200)
      await Promise.all(all.flatMap((user) => [a.enable('mapped', user), b.enable('mapped', user)]))
      const map = await store.hgetall(`${prefix}map:flags:{flags}:ids`)
      const offsets = all.map((user) => Number(map[user]))
      expect(new Set(offsets).size).toBe(200)
      expect([...offsets].sort((x, y) => x - y)).toEqual(all.map((_, i) => i))
      expect(await a.enabledCount('mapped')).toBe(200)
    } finally {
      if (other !== store) await other.close()
    }
  })

  it('rolls a flag out to a percentage of users by hashing: deterministic, and raising it keeps everyone in', async () => {
    const { flags } = bitmaps
    const all = users(2000)
    await flags.rollout('new-ui', 10)
    const at10 = await Promise.all(all.map((user) => flags.isEnabled('new-ui', user)))
    const expected10 = all.map((user) => rolloutPosition('new-ui', user) < 10)
    expect(at10).toEqual(expected10)
    const share = at10.filter(Boolean).length / all.length
    expect(share).toBeGreaterThan(0.07)
    expect(share).toBeLessThan(0.13)
    await flags.rollout('new-ui', 25.5)
    const at25 = await Promise.all(all.map((user) => flags.isEnabled('new-ui', user)))
    expect(at25.filter(Boolean).length).toBeGreaterThan(at10.filter(Boolean).length)
    at10.forEach((enabled, i) => {
      if (enabled) expect(at25[i]).toBe(true)
    })
    // explicit choices win over the rollout
    const inside = all.find((_, i) => at25[i])!
    const outside = all.find((_, i) => !at25[i])!
    await flags.disable('new-ui', inside)
    await flags.enable('new-ui', outside)
    expect(await flags.isEnabled('new-ui', inside)).toBe(false)
    expect(await flags.isEnabled('new-ui', outside)).toBe(true)
    await flags.rollout('new-ui', 100)
    expect(await flags.isEnabled('new-ui', inside)).toBe(false)
    expect(await flags.isEnabled('new-ui', all[0]!)).toBe(true)
    await flags.rollout('new-ui', 0)
    expect(await flags.isEnabled('new-ui', all[1]!)).toBe(false)
  })

  it('reads every flag of a user in one call, and sees flags added by other clients', async () => {
    const local = createBitmaps(store, { prefix: `${prefix}all:` })
    const writer = createBitmaps(store, { prefix: `${prefix}all:` })
    expect(await local.flags.getAll('dana')).toEqual({})
    await writer.flags.enable('dark-mode', 'dana')
    await writer.flags.enable('beta', 'eve')
    await writer.flags.rollout('everyone', 100)
    expect(await local.flags.getAll('dana')).toEqual({ beta: false, 'dark-mode': true, everyone: true })
    await writer.flags.disable('everyone', 'dana')
    expect(await local.flags.getAll('dana')).toEqual({ beta: false, 'dark-mode': true, everyone: false })
    expect(await local.flags.getAll('eve')).toEqual({ beta: true, 'dark-mode': false, everyone: true })
    expect(await local.flags.list()).toEqual([
      { name: 'beta', rollout: 0 },
      { name: 'dark-mode', rollout: 0 },
      { name: 'everyone', rollout: 100 },
    ])
    // a flag named like an Object.prototype property is a plain own property
    await writer.flags.enable('__proto__', 'dana')
    const all = await local.flags.getAll('dana')
    expect(Object.getPrototypeOf(all)).toBe(Object.prototype)
    expect(Object.hasOwn(all, '__proto__')).toBe(true)
  })

  it('refuses bad input with INVALID_ARGUMENT naming the fix', async () => {
    const flags = bitmaps.flags as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
    await expect(flags.enable!('beta', 42)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: /String\(userId\)/,
    })
    await expect(flags.enable!('beta', '')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await expect(flags.isEnabled!('', 'alice')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await expect(flags.getAll!(null)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    for (const percent of [-1, 101, Number.NaN, '10']) {
      await expect(flags.rollout!('beta', percent)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: /0 to 100/,
      })
    }
    await expect(flags.enable!('x'.repeat(300), 'alice')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
  })
})
