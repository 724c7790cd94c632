/**
 * The stored record's parser accepts exactly what the scripts' Lua pattern accepts, written here
 * as the regular expression the parser replaced, and reads the same numbers and strings.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatRecord, parseRecord, type StoredRecord } from '../../src/sessions/record.js'

const PATTERN = /^(\d+),(\d+),(\d+),(\d+),(\d+),(\d+),([A-Za-z0-9_-]*),([\s\S]*)$/

function reference(stored: string): StoredRecord | null {
  const m = PATTERN.exec(stored)
  if (!m) return null
  const [v, c, a, i, t, r] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  return { v, c, a, i, t, r, u: m[7]!, d: m[8]! }
}

// strings made mostly of what records are made of, so that near misses are common
const piece = fc.oneof(
  fc.constantFrom(',', ',', ',', '0', '7', '12', '1795479628491', '99999999999999999999', 'x', 'Z', '_', '-'),
  fc.constantFrom(' ', '+', '.', 'e', '\n', 'é', '{"a":1}', '\u0000', ':'),
  fc.string({ maxLength: 3 }),
)
const nearRecord = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''))
const record = fc.record({
  v: fc.nat(),
  c: fc.maxSafeNat(),
  a: fc.maxSafeNat(),
  i: fc.nat(),
  t: fc.maxSafeNat(),
  r: fc.maxSafeNat(),
  u: fc.stringMatching(/^[A-Za-z0-9_-]{0,22}$/),
  d: fc.string(),
})

describe('parseRecord', () => {
  it('accepts and reads what the pattern does, for strings near the format', () => {
    fc.assert(
      fc.property(nearRecord, (text) => {
        expect(parseRecord(text)).toEqual(reference(text))
      }),
      { numRuns: 20_000, seed: 20261124 },
    )
  })

  it('reads back every record it formats', () => {
    fc.assert(
      fc.property(record, (rec) => {
        expect(parseRecord(formatRecord(rec))).toEqual(rec)
        expect(reference(formatRecord(rec))).toEqual(rec)
      }),
      { numRuns: 2_000, seed: 20261124 },
    )
  })

  it('reads numbers longer than 15 digits as Number() does, and refuses what is not a record', () => {
    const long = '123456789012345678901234567890'
    expect(parseRecord(`${long},1,2,3,4,5,,d`)?.v).toBe(Number(long))
    for (const bad of [
      '',
      ',1,2,3,4,5,,',
      '1,2,3,4,5,,',
      '1,2,3,4,5,6,u',
      '1,2,3,4,5,6,u+,',
      '-1,2,3,4,5,6,,',
    ]) {
      expect(parseRecord(bad)).toBeNull()
    }
    expect(parseRecord(null)).toBeNull()
    expect(parseRecord('1,2,3,4,5,6,,')).toEqual({ v: 1, c: 2, a: 3, i: 4, t: 5, r: 6, u: '', d: '' })
  })
})
