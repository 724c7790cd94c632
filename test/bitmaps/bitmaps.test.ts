/**
 * bitmaps on every store: the seeds' snippet, counts over ranges, BITOP on keys that share a hash
 * tag (refused across slots on every store), and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Bitmaps, createBitmaps } from '../../src/bitmaps/index.js'
import { isKitError } from '../../src/errors.js'
import type { Store } from '../../src/stores/types.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'resolved'
  } catch (err) {
    return isKitError(err) ? err.code : `not a RedisKitError: ${String(err)}`
  }
}

describe.each(storeMatrix())('bitmaps on $name', ({ create }) => {
  let store: Store
  let prefix: string
  let bitmaps: Bitmaps
  beforeAll(() => {
    store = create()
    prefix = testPrefix('bitmaps')
    bitmaps = createBitmaps(store, { prefix })
  })
  afterAll(async () => {
    await deletePrefix(store, prefix)
    await store.close()
  })

  it("runs the seeds' snippet: set a user's feature bit, check it", async () => {
    const userIdOffset = 1234
    expect(await bitmaps.setBit('features:beta', userIdOffset, 1)).toBe(0)
    const hasFeature = await bitmaps.getBit('features:beta', userIdOffset)
    expect(hasFeature).toBe(1)
    expect(await bitmaps.getBit('features:beta', userIdOffset + 1)).toBe(0)
    expect(await bitmaps.setBit('features:beta', userIdOffset, 0)).toBe(1)
    expect(await bitmaps.getBit('features:beta', userIdOffset)).toBe(0)
    expect(await store.getbit(`${prefix}bitmaps:features:beta`, userIdOffset)).toBe(0)
  })

  it('counts set bits, in all of the key or in a byte or bit range', async () => {
    for (const offset of [0, 3, 7, 8, 15, 100]) await bitmaps.setBit('count', offset, 1)
    expect(await bitmaps.count('count')).toBe(6)
    expect(await bitmaps.count('count', { start: 0, end: 0 })).toBe(3)
    expect(await bitmaps.count('count', { start: 1, end: -1 })).toBe(3)
    expect(await bitmaps.count('count', { start: 3, end: 8, unit: 'BIT' })).toBe(3)
    expect(await bitmaps.count('missing')).toBe(0)
  })

  it('combines bitmaps that share a hash tag (retention: active on both days)', async () => {
    for (const user of [1, 2, 3]) await bitmaps.setBit('active:{week-1}:mon', user, 1)
    for (const user of [2, 3, 4]) await bitmaps.setBit('active:{week-1}:tue', user, 1)
    await bitmaps.bitOp('AND', 'active:{week-1}:both', 'active:{week-1}:mon', 'active:{week-1}:tue')
    expect(await bitmaps.count('active:{week-1}:both')).toBe(2)
    await bitmaps.bitOp('OR', 'active:{week-1}:any', 'active:{week-1}:mon', 'active:{week-1}:tue')
    expect(await bitmaps.count('active:{week-1}:any')).toBe(4)
    expect(await bitmaps.bitOp('NOT', 'active:{week-1}:not', 'active:{week-1}:mon')).toBe(1)
    expect(await bitmaps.getBit('active:{week-1}:not', 0)).toBe(1)
    expect(await code(bitmaps.bitOp('OR', 'any', 'mon', 'tue'))).toBe('CROSSSLOT')
  })

  it('refuses offsets past 2^32-1, negative or fractional offsets and bad values', async () => {
    const bad = bitmaps as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
    // the last offset is valid (setting it would allocate 512 MB: read it only)
    expect(await bitmaps.getBit('edge', 2 ** 32 - 1)).toBe(0)
    for (const offset of [2 ** 32, -1, 1.5, Number.NaN, '3']) {
      expect(await code(bad.setBit!('k', offset, 1))).toBe('INVALID_ARGUMENT')
      expect(await code(bad.getBit!('k', offset))).toBe('INVALID_ARGUMENT')
    }
    await expect(bitmaps.setBit('k', 2 ** 32, 1)).rejects.toThrow(/2\^32-1.*bitmaps\.flags/)
    for (const value of [2, -1, true, '1'])
      expect(await code(bad.setBit!('k', 1, value))).toBe('INVALID_ARGUMENT')
    expect(await code(bad.setBit!('', 1, 1))).toBe('INVALID_ARGUMENT')
    expect(await code(bad.count!('k', { start: 0 }))).toBe('INVALID_ARGUMENT')
    expect(await code(bad.count!('k', { start: 0, end: 1, unit: 'WORD' }))).toBe('INVALID_ARGUMENT')
    expect(await code(bad.bitOp!('NAND', 'd', 'a'))).toBe('INVALID_ARGUMENT')
    expect(await code(bad.bitOp!('AND', 'd'))).toBe('INVALID_ARGUMENT')
    expect(await code(bad.bitOp!('NOT', '{t}d', '{t}a', '{t}b'))).toBe('INVALID_ARGUMENT')
    expect(await store.exists([`${prefix}bitmaps:k`])).toBe(0)
  })

  it('counts what it did', () => {
    const fresh = createBitmaps(store, { prefix })
    expect(fresh.stats()).toEqual({ sets: 0, gets: 0, counts: 0, flagWrites: 0, flagChecks: 0 })
    expect(bitmaps.stats().sets).toBeGreaterThan(0)
  })
})
