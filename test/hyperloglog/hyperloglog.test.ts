/**
 * hyperloglog on every store: the seeds' snippet, unions and merges (keys counted together share
 * a hash tag, on every store), equal counts on memory, Redis, the cluster and failover at 10k
 * and 100k ids, and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { createHyperLogLog, type HyperLogLog } from '../../src/hyperloglog/index.js'
import type { Store } from '../../src/stores/types.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

const ids = (n: number, tag = 'user') => Array.from({ length: n }, (_, i) => `${tag}-${i}`)

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'resolved'
  } catch (err) {
    return isKitError(err) ? err.code : `not a RedisKitError: ${String(err)}`
  }
}

describe.each(storeMatrix())('hyperloglog on $name', ({ create }) => {
  let store: Store
  let prefix: string
  let hll: HyperLogLog
  beforeAll(() => {
    store = create()
    prefix = testPrefix('hll')
    hll = createHyperLogLog(store, { prefix })
  })
  afterAll(async () => {
    await deletePrefix(store, prefix)
    await store.close()
  })

  it("runs the seeds' snippet: add a user, count the uniques", async () => {
    const userId = 'user-42'
    expect(await hll.add('analytics:unique:chat_message', userId)).toBe(true)
    expect(await hll.add('analytics:unique:chat_message', userId)).toBe(false)
    await hll.add('analytics:unique:chat_message', 'user-7', 'user-8')
    const uniqueUsers = await hll.count('analytics:unique:chat_message')
    expect(uniqueUsers).toBe(3)
    expect(await store.pfcount([`${prefix}hyperloglog:analytics:unique:chat_message`])).toBe(3)
  })

  it('says that a count is an estimate, and how far off it may be', async () => {
    await hll.add('approx', ...ids(1000))
    const estimate = await hll.estimate('approx')
    expect(estimate).toEqual({ value: await hll.count('approx'), approximate: true, standardError: 0.0081 })
    expect(Math.abs(estimate.value - 1000) / 1000).toBeLessThan(3 * 0.0081)
    expect(hll.standardError).toBe(0.0081)
  })

  it('counts the union of keys that share a hash tag, and merges them', async () => {
    await hll.add('{visits}:monday', 'a', 'b', 'c')
    await hll.add('{visits}:tuesday', 'c', 'd')
    expect(await hll.count('{visits}:monday', '{visits}:tuesday')).toBe(4)
    await hll.merge('{visits}:week', '{visits}:monday', '{visits}:tuesday')
    expect(await hll.count('{visits}:week')).toBe(4)
    await hll.merge('{visits}:week', '{visits}:tuesday')
    expect(await hll.count('{visits}:week')).toBe(4)
  })

  it('refuses a union of keys in different cluster slots, on every store', async () => {
    await hll.add('monday', 'a')
    await hll.add('tuesday', 'b')
    expect(await code(hll.count('monday', 'tuesday'))).toBe('CROSSSLOT')
    expect(await code(hll.merge('week', 'monday', 'tuesday'))).toBe('CROSSSLOT')
  })

  it('adds a long list of ids in chunks, in one call', async () => {
    expect(await hll.add('many', ...ids(25_000))).toBe(true)
    const count = await hll.count('many')
    expect(Math.abs(count - 25_000) / 25_000).toBeLessThan(3 * 0.0081)
    expect(await hll.add('many', ...ids(25_000))).toBe(false)
  })

  it('refuses bad input with INVALID_ARGUMENT, writing nothing', async () => {
    const bad = hll as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
    expect(await code(bad.add!('k', 42))).toBe('INVALID_ARGUMENT')
    expect(await code(bad.add!('k', ['a', 'b']))).toBe('INVALID_ARGUMENT')
    expect(await code(bad.add!('k'))).toBe('INVALID_ARGUMENT')
    expect(await code(bad.add!('', 'a'))).toBe('INVALID_ARGUMENT')
    expect(await code(bad.count!())).toBe('INVALID_ARGUMENT')
    expect(await code(bad.merge!('dest'))).toBe('INVALID_ARGUMENT')
    expect(await store.exists([`${prefix}hyperloglog:k`])).toBe(0)
    await expect(bad.add!('k', 42)).rejects.toThrow(/String\(id\)/)
    await expect(bad.add!('k', ['a'])).rejects.toThrow(/\.\.\.ids/)
  })

  it('refuses bad options with INVALID_OPTIONS', () => {
    for (const options of [{ prefix: 'a*' }, { prefix: 3 }, { other: true }]) {
      try {
        createHyperLogLog(store, options as never)
        expect.unreachable()
      } catch (err) {
        expect(isKitError(err, 'INVALID_OPTIONS')).toBe(true)
      }
    }
  })
})

describe('hyperloglog counts are equal on every store', () => {
  const cases = storeMatrix()
  const stores = new Map<string, Store>()
  const prefix = testPrefix('hll-equal')
  beforeAll(() => {
    for (const c of cases) stores.set(c.name, c.create())
  })
  afterAll(async () => {
    for (const store of stores.values()) {
      await deletePrefix(store, prefix)
      await store.close()
    }
  })

  it.each([10_000, 100_000])(
    '%i ids: the same estimate on memory, Redis, the cluster and failover',
    async (n) => {
      const all = ids(n, `equal-${n}`)
      const counts: Record<string, number> = {}
      for (const [name, store] of stores) {
        const hll = createHyperLogLog(store, { prefix: `${prefix}${name}:` })
        await hll.add(`users-${n}`, ...all)
        counts[name] = await hll.count(`users-${n}`)
      }
      expect(Object.keys(counts)).toEqual(cases.map((c) => c.name))
      expect(new Set(Object.values(counts)).size).toBe(1)
      expect(Math.abs(counts.memory! - n) / n).toBeLessThan(3 * 0.0081)
    },
  )
})
