/** Bitmaps: SETBIT/GETBIT, BITCOUNT with BYTE and BIT ranges, BITOP results and lengths, and GET of a bitmap. */
import type { Suite } from './harness.js'

const hex = (b: Buffer | null) => b?.toString('hex') ?? null

export function bitmapTests(suite: Suite): void {
  suite.describe('bitmaps', () => {
    suite.test(
      'setbit returns the previous bit; getbit reads 0 past the end',
      async ({ store, expect, key }) => {
        const k = key('b')
        expect(await store.getbit(k, 0)).toBe(0)
        expect(await store.setbit(k, 7, 1)).toBe(0)
        expect(await store.setbit(k, 7, 1)).toBe(1)
        expect(await store.getbit(k, 7)).toBe(1)
        expect(await store.getbit(k, 6)).toBe(0)
        expect(await store.getbit(k, 8)).toBe(0)
        expect(await store.getbit(k, 2 ** 32 - 1)).toBe(0)
        expect(await store.setbit(k, 7, 0)).toBe(1)
        expect(await store.getbit(k, 7)).toBe(0)
        expect(await store.exists([k])).toBe(1)
        expect(await store.getbit(key('missing'), 100)).toBe(0)
      },
    )

    suite.test(
      'a bitmap is a string: GET returns its bytes, bits are MSB first',
      async ({ store, expect, key }) => {
        const k = key('b')
        await store.setbit(k, 7, 1)
        expect(hex(await store.getBuffer(k))).toBe('01')
        await store.setbit(k, 0, 1)
        expect(hex(await store.getBuffer(k))).toBe('81')
        await store.setbit(k, 100, 1)
        expect(hex(await store.getBuffer(k))).toBe('81000000000000000000000008')
        expect(await store.type(k)).toBe('string')
        await store.set(key('text'), 'a') // 0x61 = 0110 0001
        expect(await store.getbit(key('text'), 1)).toBe(1)
        expect(await store.getbit(key('text'), 0)).toBe(0)
        expect(await store.bitcount(key('text'))).toBe(3)
        await store.setbit(key('text'), 6, 1)
        expect(await store.get(key('text'))).toBe('c')
      },
    )

    suite.test(
      'bitcount with byte ranges, bit ranges and negative indexes',
      async ({ store, expect, key }) => {
        const k = key('b')
        await store.set(k, 'foobar')
        expect(await store.bitcount(k)).toBe(26)
        expect(await store.bitcount(k, { start: 0, end: 0 })).toBe(4)
        expect(await store.bitcount(k, { start: 1, end: 1, unit: 'BYTE' })).toBe(6)
        expect(await store.bitcount(k, { start: -2, end: -1 })).toBe(7)
        expect(await store.bitcount(k, { start: -1, end: -2 })).toBe(0)
        expect(await store.bitcount(k, { start: 0, end: 100 })).toBe(26)
        expect(await store.bitcount(k, { start: -100, end: -1 })).toBe(26)
        expect(await store.bitcount(k, { start: 5, end: 30, unit: 'BIT' })).toBe(17)
        expect(await store.bitcount(k, { start: 1, end: 10, unit: 'BIT' })).toBe(6)
        expect(await store.bitcount(k, { start: -8, end: -1, unit: 'BIT' })).toBe(4)
        expect(await store.bitcount(key('missing'))).toBe(0)
        expect(await store.bitcount(key('missing'), { start: 0, end: -1, unit: 'BIT' })).toBe(0)
      },
    )

    suite.test(
      'bitop AND/OR/XOR/NOT: results and lengths of the longest source',
      async ({ store, expect, tagged }) => {
        const [a, b, d] = [tagged('a'), tagged('b'), tagged('d')]
        await store.set(a, Buffer.from([0xff, 0x0f]))
        await store.set(b, Buffer.from([0xf0]))
        const cases = [
          ['AND', [a, b], 'f000'],
          ['OR', [a, b], 'ff0f'],
          ['XOR', [a, b], '0f0f'],
          ['NOT', [a], '00f0'],
          ['OR', [tagged('missing'), a], 'ff0f'],
        ] as const
        for (const [op, sources, expected] of cases) {
          const length = await store.bitop(op, d, sources)
          expect({ op, length, bytes: hex(await store.getBuffer(d)) }).toEqual({
            op,
            length: 2,
            bytes: expected,
          })
        }
        expect(await store.bitop('AND', d, [tagged('missing'), tagged('missing2')])).toBe(0)
        expect(await store.exists([d])).toBe(0)
      },
    )

    suite.test('bitop over bitmaps built with setbit', async ({ store, expect, tagged }) => {
      const [a, b, d] = [tagged('a'), tagged('b'), tagged('d')]
      for (const bit of [1, 5, 9, 40]) await store.setbit(a, bit, 1)
      for (const bit of [5, 9, 12]) await store.setbit(b, bit, 1)
      expect(await store.bitop('AND', d, [a, b])).toBe(6)
      expect(await store.bitcount(d)).toBe(2)
      expect(await store.getbit(d, 9)).toBe(1)
      expect(await store.bitop('OR', d, [a, b])).toBe(6)
      expect(await store.bitcount(d)).toBe(5)
      expect(await store.bitop('XOR', d, [a, b])).toBe(6)
      expect(await store.bitcount(d)).toBe(3)
      expect(await store.getbit(d, 40)).toBe(1)
    })
  })
}
