/**
 * Random states and arguments for the sessions scripts' parity tests. Times are fixed numbers
 * around N (the scripts take their clock from the last ARGV in these tests), chosen at the
 * boundaries the scripts decide on: a deadline 1 ms before, at, or well after `now`; a touch
 * exactly due or 1 ms short. Every deadline that stays in the future is at least 13 s away, so
 * no key a script gives a TTL expires (in real time) before the final states are compared.
 */
import fc from 'fast-check'
import type { SymbolicCommand } from '../support/script-parity.js'

export const N = 1_700_000_000_000
export const IDLE = 60_000
/** The calls' clock: N, N + 1, N + 7 s. */
export const now = fc
  .oneof({ arbitrary: fc.constant(N), weight: 3 }, fc.constantFrom(N + 1, N + 7_000))
  .map(String)
export const hash = fc.constantFrom('H1', 'H2', 'P1')
export const userHash = fc.constantFrom('', 'U1', 'U2')
export const version = fc.constantFrom('', '1', '2', '3')
export const payload = fc.constantFrom(
  '{"a":1}',
  'g1.k1.c2FsdA.aXY.Ym9keQ',
  '\u0001{"d":{"\u0000d":0}}',
  'é😀',
)

const digits = (n: number) => String(n)
/** A field value: mostly well-formed, sometimes not what a script wrote. */
const field = (good: fc.Arbitrary<string>) =>
  fc.oneof(
    { arbitrary: good, weight: 60 },
    { arbitrary: fc.constantFrom('', 'x', '-1', '1.5', ' 2'), weight: 1 },
  )
/** Values with weights: [value, weight] pairs. */
const weighted = (...pairs: [number, number][]) =>
  fc.oneof(...pairs.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight }))).map(digits)

const recordFields = fc.tuple(
  field(fc.constantFrom('1', '2', '3')),
  field(fc.constantFrom(N - 100_000, N - 5_000).map(digits)),
  field(weighted([N + 500_000, 3], [N, 2], [N - 1, 1], [N + 20_000, 1])),
  field(weighted([IDLE, 3], [2 * IDLE, 1])),
  // idle deadline t + i: 1 ms before N, at N, or far; a touch (touchAfter 0.1) due or 1 ms short
  field(weighted([N - 6_000, 3], [N - IDLE, 2], [N - IDLE - 1, 1], [N - 40_000, 1], [N - 5_999, 1], [N, 1])),
  field(weighted([N - 3_000, 2], [N - 5_000, 1], [N - 1_000, 1])),
  fc.oneof({ arbitrary: fc.constant('U1'), weight: 3 }, fc.constantFrom('', 'U2', 'U+')),
  fc.constantFrom('{"a":1}', 'g1.k1.c2FsdA.aXY.Ym9keQ', 'a,b\n,c', ''),
)

/** A session record under `$<key>`: well-formed, malformed, missing, or a key of another type. */
export function recordState(key: string): fc.Arbitrary<SymbolicCommand[]> {
  const record = fc
    .tuple(recordFields, fc.constantFrom(0, 0, 0, 0, 1, 2))
    .map(([fields, drop]) => fields.slice(drop).join(','))
  return fc.oneof(
    { arbitrary: record.map((text): SymbolicCommand[] => [['set', `$${key}`, text]]), weight: 10 },
    { arbitrary: fc.constant<SymbolicCommand[]>([]), weight: 2 },
    { arbitrary: fc.constant<SymbolicCommand[]>([['set', `$${key}`, 'not a record']]), weight: 1 },
    { arbitrary: fc.constant<SymbolicCommand[]>([['hset', `$${key}`, { v: '1' }]]), weight: 1 },
  )
}

const score = fc.oneof(
  { arbitrary: fc.constant(N - 3_000), weight: 1 },
  { arbitrary: fc.constantFrom(N - 200_000, N - 5_000, N - 3_000, N - 1_000, N, N + 20_000), weight: 2 },
)

/** A sorted set under `$<key>` with members from `members`, or nothing, or a string. */
export function zsetState(key: string, members: readonly string[]): fc.Arbitrary<SymbolicCommand[]> {
  const entries = fc.uniqueArray(fc.record({ member: fc.constantFrom(...members), score }), {
    selector: (e) => e.member,
    minLength: 1,
    maxLength: members.length,
  })
  return fc.oneof(
    { arbitrary: entries.map((e): SymbolicCommand[] => [['zadd', `$${key}`, e]]), weight: 8 },
    { arbitrary: fc.constant<SymbolicCommand[]>([]), weight: 3 },
    { arbitrary: fc.constant<SymbolicCommand[]>([['set', `$${key}`, 'x']]), weight: 1 },
  )
}

const markerScore = fc.oneof(
  { arbitrary: fc.constant(N - 3_000), weight: 3 },
  { arbitrary: fc.constant(N), weight: 2 },
  fc.constantFrom(N - 200_000, N - 5_000, N - 1_000),
)

/** "Log out everywhere" markers: U1's (often at the records' r), an exemption, U2's. */
export const revokedState: fc.Arbitrary<SymbolicCommand[]> = fc.oneof(
  {
    arbitrary: fc
      .tuple(
        fc.option(markerScore, { freq: 4 }),
        fc.constantFrom('H1', 'H2'),
        fc.constantFrom('same', 'other', 'none'),
        fc.option(markerScore, { freq: 2 }),
      )
      .map(([u1, exempt, how, u2]): SymbolicCommand[] => {
        const members: { member: string; score: number }[] = []
        if (u1 !== null) members.push({ member: 'U1', score: u1 })
        if (u1 !== null && how !== 'none') {
          members.push({ member: `U1/${exempt}`, score: how === 'same' ? u1 : u1 - 1 })
        }
        if (u2 !== null) members.push({ member: 'U2', score: u2 })
        return members.length > 0 ? [['zadd', '$revoked', members]] : []
      }),
    weight: 10,
  },
  { arbitrary: fc.constant<SymbolicCommand[]>([['set', '$revoked', 'x']]), weight: 1 },
)

/** Concatenates the states of several keys. */
export function states(...parts: fc.Arbitrary<SymbolicCommand[]>[]): fc.Arbitrary<SymbolicCommand[]> {
  return fc.tuple(...parts).map((lists) => lists.flat())
}

/**
 * The session kept by "log out everywhere … except this one": alive, owned by U1, exempted by
 * `U1/H1` at the marker's time (N or later: a clock that went back), so that what the scripts
 * issue next must come after the marker.
 */
export function keptAfterRevocation(key: string): fc.Arbitrary<SymbolicCommand[]> {
  return fc.constantFrom(N, N + 7_000, N + 20_000).map((marker): SymbolicCommand[] => [
    ['set', `$${key}`, `1,${N - 5_000},${N + 500_000},${IDLE},${N - 6_000},${N - 3_000},U1,{"a":1}`],
    [
      'zadd',
      '$revoked',
      [
        { member: 'U1', score: marker },
        { member: 'U1/H1', score: marker },
      ],
    ],
  ])
}
