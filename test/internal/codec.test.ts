import { describe, expect, it } from 'vitest'
import { decode, encode } from '../../src/internal/codec.js'

describe('codec', () => {
  it('stores plain data as JSON any client can read', () => {
    const value = { a: 1, b: ['x', true, null], c: { d: 'é' } }
    const stored = encode(value)
    expect(stored).toBe(JSON.stringify(value))
    expect(decode(stored)).toEqual(value)
    expect(decode(Buffer.from(stored as string))).toEqual(value)
  })

  it('stores Buffers and Uint8Arrays raw (one marker byte, no base64)', () => {
    const bytes = Buffer.from([0, 1, 2, 255, 0x80])
    const stored = encode(bytes) as Buffer
    expect(stored.length).toBe(bytes.length + 1)
    expect(stored.subarray(1).equals(bytes)).toBe(true)
    expect(Buffer.isBuffer(decode(stored))).toBe(true)
    expect((decode(stored) as Buffer).equals(bytes)).toBe(true)
    expect((decode(encode(new Uint8Array([7, 8]))) as Buffer).equals(Buffer.from([7, 8]))).toBe(true)
  })

  it('round-trips Dates and nested bytes', () => {
    const value = { at: new Date('2026-01-02T03:04:05.678Z'), image: Buffer.from('png'), list: [new Date(0)] }
    const back = decode(encode(value)) as typeof value
    expect(back.at).toBeInstanceOf(Date)
    expect(back.at.toISOString()).toBe('2026-01-02T03:04:05.678Z')
    expect(back.image.toString()).toBe('png')
    expect(back.list[0]!.getTime()).toBe(0)
  })

  it('never pollutes prototypes when decoding', () => {
    const hostile = '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"ok":1}'
    const decoded = decode(hostile) as Record<string, unknown>
    expect(decoded.ok).toBe(1)
    expect(Object.hasOwn(decoded, '__proto__')).toBe(false)
    expect(Object.hasOwn(decoded, 'constructor')).toBe(false)
    const merged = Object.assign({}, decoded) as Record<string, unknown>
    expect(merged.polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it.each([
    ['undefined', undefined, /use delete/],
    ['NaN', { n: Number.NaN }, /NaN.*null/],
    ['Infinity', [Number.POSITIVE_INFINITY], /Infinity/],
    ['a BigInt', { n: 1n }, /BigInt/],
    ['a function', { f: () => 1 }, /function/],
    ['a Map', { m: new Map() }, /Map/],
    ['a Set', new Set([1]), /Set/],
    ['an invalid Date', { d: new Date('nope') }, /invalid Date/],
  ])('refuses %s with a typed error', (_label, value, message) => {
    expect(() => encode(value)).toThrow(message)
    try {
      encode(value)
    } catch (err) {
      expect((err as { code: string }).code).toBe('INVALID_ARGUMENT')
    }
  })

  it('refuses cycles', () => {
    const a: Record<string, unknown> = {}
    a.self = a
    expect(() => encode(a)).toThrow(/cannot store/)
  })
})
