/**
 * HyperLogLog: PFADD replies, PFCOUNT of one key and of a union, PFMERGE (into a source too),
 * and exact estimates. The expected counts below were read from Redis 7: a store that
 * implements Redis's algorithm (MurmurHash64A, 16384 registers, the same estimator) gives
 * exactly these numbers, and the same bytes.
 */
import { createHash } from 'node:crypto'
import type { Suite } from './harness.js'

const ids = (from: number, to: number, name = 'user-') =>
  Array.from({ length: to - from }, (_, i) => `${name}${from + i}`)

/** Redis 7: PFADD of user-0 … user-999 in one call, then PFCOUNT. */
const COUNT_1000 = 1003
/** Redis 7: the SHA1 of GET after that single PFADD (sparse encoding, stale-cache flag set). */
const SHA1_1000 = 'bba18033933eb45c6bafef6526e183ff5149e345'
/** Redis 7: PFCOUNT of user-0 … user-999 ∪ user-500 … user-1499. */
const COUNT_UNION = 1505
/** Redis 7: PFADD of item:0 … item:19999 in 20 calls of 1000 (dense encoding), then PFCOUNT. */
const COUNT_20000 = 20021
/** Redis 7: the SHA1 of GET after those 20 calls (dense encoding, 12304 bytes). */
const SHA1_20000 = 'bad591fd119b7256c9e8dd5c589ad4a72272457a'

const sha1 = (b: Buffer | null) => (b ? createHash('sha1').update(b).digest('hex') : null)

export function hyperLogLogTests(suite: Suite): void {
  suite.describe('hyperloglog', () => {
    suite.test(
      'pfadd reports whether the estimate changed or the key was created',
      async ({ store, expect, key }) => {
        const k = key('h')
        expect(await store.pfadd(k, [])).toBe(true)
        expect(await store.exists([k])).toBe(1)
        expect(await store.pfcount([k])).toBe(0)
        expect(await store.pfadd(k, [])).toBe(false)
        expect(await store.pfadd(k, ['a', 'b', 'c'])).toBe(true)
        expect(await store.pfadd(k, ['a', 'b'])).toBe(false)
        expect(await store.pfcount([k])).toBe(3)
        expect(await store.pfcount([key('missing')])).toBe(0)
        expect(await store.type(k)).toBe('string')
      },
    )

    suite.test(
      'pfcount of several keys counts their union without changing them',
      async ({ store, expect, tagged }) => {
        const [a, b] = [tagged('a'), tagged('b')]
        await store.pfadd(a, ['a', 'b', 'c'])
        await store.pfadd(b, ['c', 'd'])
        expect(await store.pfcount([a, b, tagged('missing')])).toBe(4)
        expect(await store.pfcount([a])).toBe(3)
        expect(await store.pfcount([b])).toBe(2)
      },
    )

    suite.test('pfmerge into a new key and into one of its sources', async ({ store, expect, tagged }) => {
      const [a, b, d] = [tagged('a'), tagged('b'), tagged('d')]
      await store.pfadd(a, ['a', 'b', 'c'])
      await store.pfadd(b, ['c', 'd'])
      await store.pfmerge(d, [a, b, tagged('missing')])
      expect(await store.pfcount([d])).toBe(4)
      await store.pfmerge(a, [a, b])
      expect(await store.pfcount([a])).toBe(4)
      expect(await store.pfcount([b])).toBe(2)
      await store.pfmerge(tagged('empty'), [])
      expect(await store.exists([tagged('empty')])).toBe(1)
      expect(await store.pfcount([tagged('empty')])).toBe(0)
    })

    suite.test('1000 ids: the exact count Redis gives', async ({ store, expect, key }) => {
      const k = key('h')
      await store.pfadd(k, ids(0, 1000))
      expect(await store.pfcount([k])).toBe(COUNT_1000)
      const batched = key('batched')
      for (let i = 0; i < 1000; i += 100) await store.pfadd(batched, ids(i, i + 100))
      expect(await store.pfcount([batched])).toBe(COUNT_1000)
    })

    suite.test('union and dense estimates match Redis exactly', async ({ store, expect, tagged }) => {
      const [a, b] = [tagged('a'), tagged('b')]
      await store.pfadd(a, ids(0, 1000))
      await store.pfadd(b, ids(500, 1500))
      expect(await store.pfcount([a, b])).toBe(COUNT_UNION)
      const big = tagged('big')
      for (let i = 0; i < 20_000; i += 1000) await store.pfadd(big, ids(i, i + 1000, 'item:'))
      expect(await store.pfcount([big])).toBe(COUNT_20000)
    })

    suite.test("a large HLL has Redis's dense encoding, byte for byte", async ({ store, expect, key }) => {
      const k = key('dense')
      for (let i = 0; i < 20_000; i += 1000) await store.pfadd(k, ids(i, i + 1000, 'item:'))
      const bytes = await store.getBuffer(k)
      expect(bytes?.subarray(0, 5).toString('latin1')).toBe('HYLL\x00')
      expect({ length: bytes?.length, sha1: sha1(bytes) }).toEqual({ length: 12304, sha1: SHA1_20000 })
    })

    suite.test("a small HLL has Redis's sparse encoding, byte for byte", async ({ store, expect, key }) => {
      const k = key('sparse')
      await store.pfadd(k, ids(0, 1000))
      const bytes = await store.getBuffer(k)
      expect(bytes?.subarray(0, 5).toString('latin1')).toBe('HYLL\x01')
      expect({ length: bytes?.length, sha1: sha1(bytes) }).toEqual({ length: 1900, sha1: SHA1_1000 })
    })

    suite.test('an HLL copied as bytes keeps counting', async ({ store, expect, key }) => {
      await store.pfadd(key('src'), ids(0, 1000))
      const bytes = await store.getBuffer(key('src'))
      await store.set(key('copy'), bytes!)
      expect(await store.pfcount([key('copy')])).toBe(COUNT_1000)
      expect(await store.pfadd(key('copy'), ids(0, 1000))).toBe(false)
    })
  })
}
