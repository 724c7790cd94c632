/** Strings: SET (EX/PX/NX/XX/KEEPTTL), GET, binary values, MGET, INCRBY, INCRBYFLOAT, GETDEL. */
import type { Suite } from './harness.js'

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i))

export function stringTests(suite: Suite): void {
  suite.describe('strings', () => {
    suite.test('set/get round-trip strings and numbers in decimal form', async ({ store, expect, key }) => {
      expect(await store.get(key('missing'))).toBeNull()
      expect(await store.set(key('s'), 'hello ✓ 😀')).toBe(true)
      expect(await store.get(key('s'))).toBe('hello ✓ 😀')
      await store.set(key('n'), 42)
      await store.set(key('f'), -1.5)
      await store.set(key('e'), '')
      expect(await store.get(key('n'))).toBe('42')
      expect(await store.get(key('f'))).toBe('-1.5')
      expect(await store.get(key('e'))).toBe('')
      expect(await store.exists([key('e')])).toBe(1)
      await store.set(key('big'), 2 ** 64)
      await store.set(key('exp'), 1e21)
      expect(await store.get(key('big'))).toBe(String(2 ** 64)) // '18446744073709552000'
      expect(await store.get(key('exp'))).toBe('1e+21')
    })

    suite.test('set nx/xx write only when the key is missing/present', async ({ store, expect, key }) => {
      const k = key('k')
      expect(await store.set(k, 'a', { xx: true })).toBe(false)
      expect(await store.exists([k])).toBe(0)
      expect(await store.set(k, 'a', { nx: true })).toBe(true)
      expect(await store.set(k, 'b', { nx: true })).toBe(false)
      expect(await store.get(k)).toBe('a')
      expect(await store.set(k, 'c', { xx: true })).toBe(true)
      expect(await store.get(k)).toBe('c')
    })

    suite.test(
      'set ex/px set a TTL; a plain set clears it; keepTtl keeps it',
      async ({ store, expect, key }) => {
        const k = key('k')
        await store.set(k, 'a', { ex: 100 })
        expect(await store.ttl(k)).toBe(100)
        await store.set(k, 'b', { px: 50_000 })
        const pttl = await store.pttl(k)
        expect(pttl).toBeGreaterThan(40_000)
        expect(pttl).toBeLessThanOrEqual(50_000)
        await store.set(k, 'c', { keepTtl: true })
        expect(await store.ttl(k)).toBe(50)
        expect(await store.get(k)).toBe('c')
        await store.set(k, 'd')
        expect(await store.ttl(k)).toBe(-1)
        await store.set(key('fresh'), 'x', { keepTtl: true })
        expect(await store.ttl(key('fresh'))).toBe(-1)
        await store.set(k, 'e', { ex: 100, xx: true })
        expect(await store.ttl(k)).toBe(100)
        expect(await store.set(k, 'f', { ex: 5, nx: true })).toBe(false)
        expect(await store.ttl(k)).toBe(100)
      },
    )

    suite.test('binary values round-trip byte for byte', async ({ store, expect, key }) => {
      const k = key('bin')
      await store.set(k, ALL_BYTES)
      expect((await store.getBuffer(k))?.equals(ALL_BYTES)).toBe(true)
      const [buffer, missing] = await store.mgetBuffer([k, key('missing')])
      expect(buffer?.toString('hex')).toBe(ALL_BYTES.toString('hex'))
      expect(missing).toBeNull()
      const invalidUtf8 = Buffer.from([0xff, 0xfe, 0x00, 0xc3])
      await store.set(k, invalidUtf8)
      expect((await store.getBuffer(k))?.toString('hex')).toBe('fffe00c3')
      await store.set(key('text'), 'é😀')
      expect((await store.getBuffer(key('text')))?.toString('hex')).toBe('c3a9f09f9880')
      expect(await store.getBuffer(key('missing'))).toBeNull()
    })

    suite.test(
      'mget answers nil for missing keys and keys of other types',
      async ({ store, expect, tagged }) => {
        await store.set(tagged('a'), '1')
        await store.hset(tagged('h'), { f: 'v' })
        await store.sadd(tagged('s'), ['m'])
        await store.set(tagged('b'), '2')
        const keys = [tagged('a'), tagged('missing'), tagged('h'), tagged('s'), tagged('b'), tagged('a')]
        expect(await store.mget(keys)).toEqual(['1', null, null, null, '2', '1'])
        expect((await store.mgetBuffer(keys)).map((b) => b?.toString() ?? null)).toEqual([
          '1',
          null,
          null,
          null,
          '2',
          '1',
        ])
      },
    )

    suite.test('incrby counts in int64 and keeps the TTL', async ({ store, expect, key }) => {
      const k = key('n')
      expect(await store.incrby(k, 5)).toBe(5)
      expect(await store.incrby(k, -7)).toBe(-2)
      expect(await store.get(k)).toBe('-2')
      await store.set(k, '10', { ex: 100 })
      expect(await store.incrby(k, 1)).toBe(11)
      expect(await store.ttl(k)).toBe(100)
      await store.set(k, '9223372036854775806')
      expect(await store.incrby(k, 1)).toBe(2 ** 63) // 2^63-1, as close as a double gets
      expect(await store.get(k)).toBe('9223372036854775807')
    })

    suite.test(
      'incrby refuses non-integers and overflow with NOT_INTEGER',
      async ({ store, expect, key, rejects }) => {
        const k = key('n')
        for (const bad of ['abc', '1.5', ' 1', '01', '-0', '1e3', '9223372036854775808', '']) {
          await store.set(k, bad)
          await rejects(`incrby on ${JSON.stringify(bad)}`, () => store.incrby(k, 1), 'NOT_INTEGER')
          expect(await store.get(k)).toBe(bad)
        }
        await store.set(k, '9223372036854775807')
        await rejects('incrby past int64 max', () => store.incrby(k, 1), 'NOT_INTEGER')
        await store.set(k, '-9223372036854775807')
        await rejects('incrby past int64 min', () => store.incrby(k, -2), 'NOT_INTEGER')
        expect(await store.get(k)).toBe('-9223372036854775807')
      },
    )

    suite.test(
      'incrbyfloat computes in long double as Redis does',
      async ({ store, expect, key, rejects }) => {
        const k = key('f')
        expect(await store.incrbyfloat(k, 0.1)).toBe(0.1)
        expect(await store.incrbyfloat(k, 0.2)).toBe(0.3)
        expect(await store.get(k)).toBe('0.3')
        await store.set(k, '10')
        expect(await store.incrbyfloat(k, 1.5)).toBe(11.5)
        await store.set(k, '5.0e3')
        expect(await store.incrbyfloat(k, 200)).toBe(5200)
        expect(await store.get(k)).toBe('5200')
        await store.set(k, '3')
        expect(await store.incrbyfloat(k, -3)).toBe(0)
        expect(await store.get(k)).toBe('0')
        await store.set(k, '1')
        expect(await store.incrbyfloat(k, 1e20)).toBe(1e20)
        expect(await store.get(k)).toBe('100000000000000000000')
        expect(await store.incrbyfloat(key('huge'), 1e23)).toBe(1e23)
        expect(await store.get(key('huge'))).toBe('100000000000000000000000') // '1e+23' read as a long double
        expect(await store.incrbyfloat(key('small'), 1e-7)).toBe(1e-7)
        expect(await store.get(key('small'))).toBe('0.0000001')
        await store.set(k, 'abc')
        await rejects('incrbyfloat on "abc"', () => store.incrbyfloat(k, 1), 'NOT_FLOAT')
        await store.set(k, 'inf')
        await rejects('incrbyfloat on "inf" (result not finite)', () => store.incrbyfloat(k, 1), 'NOT_FLOAT')
        expect(await store.get(k)).toBe('inf')
      },
    )

    suite.test('getdel returns the value and deletes the key', async ({ store, expect, key }) => {
      const k = key('k')
      await store.set(k, 'v', { ex: 100 })
      expect(await store.getdel(k)).toBe('v')
      expect(await store.exists([k])).toBe(0)
      expect(await store.getdel(k)).toBeNull()
      expect(await store.ttl(k)).toBe(-2)
    })
  })
}
