/**
 * The values the parity commands draw their arguments from: members, stored values, scores,
 * bounds, ranks, increments and TTLs, each chosen to hit Redis's edge cases (non-integer text,
 * int64 limits, -0, infinities, astral characters, NUL, listpack-breaking lengths, raw bytes).
 */
import fc from 'fast-check'
import type { ScoreBound, StoreValue } from '../../../src/stores/types.js'

export const pick = <T>(values: readonly T[]) => fc.constantFrom(...values)
export const few = <T>(arb: fc.Arbitrary<T>, min: number, max: number) =>
  fc.array(arb, { minLength: min, maxLength: max })
export const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 })
/** `common` most of the time, `rare` some of the time. */
export const mostly = <T>(common: fc.Arbitrary<T>, rare: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: common, weight: 5 }, { arbitrary: rare, weight: 1 })

/** Longer than zset-max-listpack-value (64 bytes): a sorted set holding it is a skiplist. */
export const LONG = 'L'.repeat(65)

/** Members and fields, with the byte-order and encoding edge cases. */
export const anyMember = fc.oneof(
  {
    arbitrary: pick([
      'a',
      'b',
      'c',
      'd',
      '',
      'é',
      '😀',
      '𝄞x',
      '\uE000',
      '\uFFFD',
      'a\u0000b',
      '10',
      '-1',
      LONG,
      'ü'.repeat(33), // 33 characters but 66 UTF-8 bytes
    ]),
    weight: 5,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 4 }), weight: 1 },
)

/**
 * A key of the pool, the first ones more often (so that commands meet the state others left);
 * `hot` concentrates on the first key even more (the favourite family of a sequence).
 */
export function weightedKey(keys: readonly string[], hot: boolean): fc.Arbitrary<string> {
  const weights = hot ? [12, 4] : [8, 3]
  return fc.oneof(...keys.map((key, i) => ({ arbitrary: fc.constant(key), weight: weights[i] ?? 1 })))
}

const numericText = [
  '0',
  '1',
  '-1',
  '10',
  '007',
  ' 1',
  '1 ',
  '+1',
  '-0',
  '1.5',
  '.5',
  '5.',
  '1e3',
  '1e-5',
  '1e+400',
  '3.0',
  'inf',
  '-inf',
  'nan',
  '0x1A',
  '9223372036854775807',
  '-9223372036854775808',
  '9223372036854775808',
  '18446744073709551616',
]

/** A value written with SET / HSET: numeric and non-numeric text, numbers, raw bytes. */
export const value: fc.Arbitrary<StoreValue> = fc.oneof(
  { arbitrary: pick([...numericText, '', 'abc', 'é😀', '\u0000']), weight: 6 },
  { arbitrary: pick([0, -1, 7, 1.5, -0, 0.1, 1e-7, 2 ** 53, 2 ** 64, 1e21]), weight: 2 },
  { arbitrary: fc.uint8Array({ maxLength: 10 }).map((bytes) => Buffer.from(bytes)), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 6 }), weight: 1 },
)

export const anyScore = fc.oneof(
  { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 4 }, // ties
  {
    arbitrary: pick([-0, 1.5, -2.5, 0.1, 1e300, -1e300, 5e-324, 2 ** 53, Infinity, -Infinity]),
    weight: 3,
  },
  { arbitrary: fc.double({ noNaN: true }), weight: 1 },
)

export const fixedBound = mostly(
  pick<number | string>([
    '-inf',
    '+inf',
    'inf',
    '-INF',
    '+Inf',
    '(inf',
    '(-inf',
    '(0',
    '(1',
    '(-1',
    '(1.5',
    '-0',
    '(-0',
    '1.5',
    '1e300',
    '(.5',
    0,
    1,
    -1,
    2,
    1.5,
    Infinity,
    -Infinity,
  ]),
  fc.integer({ min: -3, max: 3 }),
)

export const rank = mostly(
  fc.integer({ min: -7, max: 7 }),
  pick([2 ** 31, -(2 ** 31), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]),
)
export const smallInt = mostly(
  fc.integer({ min: -5, max: 5 }),
  pick([Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 52, 1e15, -(2 ** 40)]),
)
export const floatIncrement = mostly(
  pick([0.1, -0.1, 1.5, -1.5, 1e-10, 3, 0, 1 / 3, 2 ** 64, 1e20, -1e20, 1e308, -1e308, 5e-324]),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
)
export const zIncrement = mostly(
  pick([1, -1, 0, -0, 0.5, 2.5, Infinity, -Infinity, 1e300]),
  fc.double({ noNaN: true }),
)

/**
 * TTL bases: seconds (or, for the `p` variants, milliseconds) far from each other. `spreadTtls`
 * adds 10 s per position, so no two TTLs of a sequence are equal and GT/LT never compare two
 * deadlines closer than the time a sequence takes: the outcome never depends on timing.
 */
export const ttlSeconds = fc.integer({ min: 1, max: 9 }).map((n) => n * 1000)
export const ttlMillis = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 999 }))
  .map(([n, ms]) => n * 1_000_000 + ms)
export const expireMode = maybe(pick(['NX', 'XX', 'GT', 'LT'] as const))

/**
 * The members and scores one sequence draws from (most of the time): a few, so that members
 * collide, scores tie, and edge cases meet each other (an astral member next to U+E000 with the
 * same score, -0 in a skiplist-encoded set, an exclusive bound at an existing score).
 */
export interface Alphabet {
  members: readonly string[]
  scores: readonly number[]
}

/** Themes of members: byte order across UTF-16 surrogates, skiplist encoding, NUL and empty. */
const THEMES: readonly (readonly string[])[] = [
  ['a', 'b', 'c'],
  ['😀', '\uE000', '\uFFFD', '𝄞x', 'é'],
  [LONG, 'ü'.repeat(33), 'a', 'b'],
  ['', 'a\u0000b', 'a', 'a\u0000'],
  ['10', '-1', '9', '1', '1.0'],
]

export const alphabetArbitrary: fc.Arbitrary<Alphabet> = fc.record({
  members: fc.oneof(pick(THEMES), fc.uniqueArray(anyMember, { minLength: 2, maxLength: 5 })),
  scores: fc.uniqueArray(anyScore, { minLength: 1, maxLength: 4, comparator: Object.is }),
})

/** The value of a score bound, to order two of them (an exclusive bound sorts at its value). */
export function boundValue(bound: ScoreBound): number {
  if (typeof bound === 'number') return bound
  const text = bound.replace('(', '').toLowerCase()
  return text === 'inf' || text === '+inf' ? Infinity : text === '-inf' ? -Infinity : Number(text)
}

export const scoreText = (n: number) =>
  n === Infinity ? 'inf' : n === -Infinity ? '-inf' : Object.is(n, -0) ? '-0' : String(n)
