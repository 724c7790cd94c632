/**
 * The sessions' fast path to the codec format gives the codec's exact bytes and values: on
 * random data with Dates, bytes, undefined, NaN, odd keys; and on hostile stored text.
 */
import { inspect } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decode, encode } from '../../src/internal/codec.js'
import { decodeData, encodeData } from '../../src/sessions/json.js'

const attempt = (f: () => unknown) => {
  try {
    return { ok: f() }
  } catch (err) {
    return { err: (err as Error).message }
  }
}

const key = fc.oneof(
  fc.string(),
  fc.constantFrom('__proto__', 'constructor', 'prototype', '\u0000d', '\u0000b'),
)
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.date(),
    fc.uint8Array({ maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    fc.constantFrom(new Map(), Buffer.from('hi'), { toJSON: () => 'x' }),
  ),
}))
const data = fc.dictionary(key, value, { maxKeys: 5 })

describe('sessions json: the codec format, faster', () => {
  it('encodes exactly as the codec does (or fails as it does)', () => {
    fc.assert(
      fc.property(data, (d) => {
        expect(attempt(() => encodeData(d))).toEqual(attempt(() => encode(d)))
      }),
      { numRuns: Number(process.env.JSON_PARITY_RUNS ?? 2000) },
    )
  })

  it('decodes exactly as the codec does, hostile keys and tags included', () => {
    // JSON text: the tag keys are written \\u0000d / \\u0000b, as JSON.stringify escapes them
    const hostile = fc.constantFrom(
      '\u0001{"__proto__":{"polluted":1},"a":{"\\u0000d":5}}',
      '\u0001{"constructor":{"prototype":{"polluted":1}},"b":[{"\\u0000b":"aGk="}]}',
      '\u0001{"x":{"__proto__":{"\\u0000d":1}},"y":{"\\u0000d":2,"\\u0000b":"AA=="}}',
      '{"__proto__":{"polluted":1},"constructor":{"prototype":1}}',
    )
    const texts = fc.oneof(
      data
        .map((d) => attempt(() => encode(d)))
        .filter((r): r is { ok: string } => 'ok' in r)
        .map((r) => r.ok),
      hostile,
    )
    fc.assert(
      fc.property(texts, (text) => {
        // compared as node prints them (classes, Buffers, Dates — Invalid Date too): vitest's
        // equality would read an own `constructor` key as the class
        const show = (v: unknown) => inspect(v, { depth: null, showHidden: true })
        expect(show(attempt(() => decodeData(text)))).toBe(show(attempt(() => decode(text))))
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      }),
      { numRuns: Number(process.env.JSON_PARITY_RUNS ?? 2000) },
    )
  })
})
