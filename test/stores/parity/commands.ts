/**
 * The contract's commands as arbitraries, grouped in families (one per data type, plus the
 * keyspace and publish), over a pool of symbolic keys and one sequence's alphabet of members
 * and scores. Commands are data: `[name, ...args]`, keys symbolic (`$a`, `$x`, …).
 */
import fc from 'fast-check'
import type { StoreValue } from '../../../src/stores/types.js'
import { sortedSetCommands } from './sorted-set-commands.js'
import { FUTURE, groupedStream, streamCommands, streamGroupCommands } from './stream-commands.js'
import {
  type Alphabet,
  anyMember,
  anyScore,
  expireMode,
  few,
  fixedBound,
  floatIncrement,
  maybe,
  mostly,
  pick,
  rank,
  scoreText,
  smallInt,
  ttlMillis,
  ttlSeconds,
  value,
  weightedKey,
} from './values.js'

/** A command with symbolic keys: a contract command name, or `batch` with nested commands. */
export type SymbolicCommand = readonly [string, ...unknown[]]

export interface KeyPool {
  /** Every key a single-key command may touch. */
  keys: readonly string[]
  /** Keys that share one hash tag: the only ones multi-slot-checked commands use. */
  tagged: readonly string[]
}

/** The channel `publish` uses (mapped to a channel of the run, which nobody subscribes to). */
export const CHANNEL = '$channel'

export const FAMILIES = [
  'strings',
  'keyspace',
  'hashes',
  'sets',
  'lists',
  'sortedSets',
  'hll',
  'bitmaps',
  'streams',
  'streamGroups',
  'other',
] as const
export type Family = (typeof FAMILIES)[number]

/** What the command builders draw from: keys, members, scores of one sequence. */
export interface Draw {
  key: fc.Arbitrary<string>
  tagged: fc.Arbitrary<string>
  keys: fc.Arbitrary<string[]>
  taggedKeys: fc.Arbitrary<string[]>
  member: fc.Arbitrary<string>
  score: fc.Arbitrary<number>
  scoreBound: fc.Arbitrary<number | string>
  cmd: (name: string, ...args: fc.Arbitrary<unknown>[]) => fc.Arbitrary<SymbolicCommand>
}

const cmd = (name: string, ...args: fc.Arbitrary<unknown>[]) =>
  fc.tuple(fc.constant(name), ...args) as fc.Arbitrary<SymbolicCommand>

const setOptions = maybe(
  mostly(
    fc
      .tuple(pick(['ex', 'px', 'keepTtl', '']), pick(['nx', 'xx', '']), ttlSeconds, ttlMillis)
      .map(([expiry, condition, ex, px]) => ({
        ...(expiry === 'ex' ? { ex } : expiry === 'px' ? { px } : expiry ? { keepTtl: true } : {}),
        ...(condition ? { [condition]: true } : {}),
      })),
    // any combination, invalid ones included (INVALID_ARGUMENT on every store)
    fc.record(
      { ex: ttlSeconds, px: ttlMillis, nx: fc.boolean(), xx: fc.boolean(), keepTtl: fc.boolean() },
      { requiredKeys: [] },
    ),
  ),
)

const offset = mostly(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 2000 }))
const edge = mostly(fc.integer({ min: -20, max: 20 }), rank)
const bitRange = maybe(
  fc
    .tuple(
      fc.oneof(
        fc.tuple(edge, edge),
        fc.tuple(fc.integer({ min: 0, max: 10 }), pick([-1, -2, -9, 7, 8, 15, 16, 100])),
      ),
      maybe(pick(['BYTE', 'BIT'] as const)),
    )
    .map(([[start, end], unit]) => ({ start, end, unit })),
)

function draw(pool: KeyPool, alphabet: Alphabet, hot: boolean): Draw {
  const key = weightedKey(pool.keys, hot)
  const tagged = weightedKey(pool.tagged, hot)
  const score = fc.oneof({ arbitrary: pick(alphabet.scores), weight: 4 }, { arbitrary: anyScore, weight: 1 })
  // bounds at existing scores (inclusive and exclusive) as often as fixed ones
  const atScore = pick(alphabet.scores).chain((n) => pick<number | string>([n, `(${scoreText(n)}`]))
  return {
    key,
    tagged,
    keys: few(key, 1, 4),
    taggedKeys: few(tagged, 1, 3),
    member: fc.oneof({ arbitrary: pick(alphabet.members), weight: 9 }, { arbitrary: anyMember, weight: 1 }),
    score,
    scoreBound: fc.oneof(fixedBound, atScore),
    cmd,
  }
}

/**
 * Every command of the contract, by family, plus the commands that create a key of each type
 * (for the start of a sequence). `hot` draws keys concentrated on the first of the pool.
 */
export function commandsOver(pool: KeyPool, alphabet: Alphabet, hot = false) {
  const d = draw(pool, alphabet, hot)
  const { key, tagged, keys, taggedKeys, member, score } = d
  const fields = fc
    .uniqueArray(fc.tuple(member, value), { minLength: 1, maxLength: 4, selector: ([f]) => f })
    .map((entries) => Object.fromEntries(entries) as Record<string, StoreValue>)
  const set = cmd('set', key, value, setOptions)
  const hset = cmd('hset', key, fields)
  const sadd = cmd('sadd', key, few(member, 1, 4))
  const setbit = cmd('setbit', key, offset, pick([0, 1] as const))
  const listValues = few(fc.oneof({ arbitrary: member, weight: 3 }, { arbitrary: value, weight: 1 }), 1, 5)
  const [lpush, rpush] = [cmd('lpush', key, listValues), cmd('rpush', key, listValues)]
  const bitop = pick(['AND', 'OR', 'XOR', 'NOT'] as const).chain((op) =>
    cmd('bitop', fc.constant(op), tagged, op === 'NOT' ? mostly(few(tagged, 1, 1), taggedKeys) : taggedKeys),
  )
  const families: Record<Family, fc.Arbitrary<SymbolicCommand>[]> = {
    strings: [
      ...[set, set, set],
      cmd('get', key),
      cmd('getBuffer', key),
      cmd('mget', keys),
      cmd('mgetBuffer', keys),
      cmd('incrby', key, smallInt),
      cmd('incrbyfloat', key, floatIncrement),
      cmd('getdel', key),
    ],
    keyspace: [
      cmd('del', keys),
      cmd('unlink', keys),
      cmd('exists', keys),
      cmd('expire', key, ttlSeconds, expireMode),
      cmd('pexpire', key, ttlMillis, expireMode),
      cmd('ttl', key),
      cmd('pttl', key),
      cmd('persist', key),
      cmd('type', key),
    ],
    hashes: [
      ...[hset, hset, hset],
      cmd('hget', key, member),
      cmd('hmget', key, few(member, 1, 4)),
      cmd('hgetall', key),
      cmd('hdel', key, few(member, 1, 3)),
      cmd('hincrby', key, member, smallInt),
    ],
    sets: [
      ...[sadd, sadd, sadd],
      cmd('srem', key, few(member, 1, 3)),
      cmd('smembers', key),
      cmd('sismember', key, member),
      cmd('scard', key),
    ],
    lists: [
      ...[lpush, rpush, lpush, rpush],
      cmd('lpop', key),
      cmd('rpop', key),
      cmd('llen', key),
      cmd('lindex', key, rank),
      cmd('lrange', key, rank, rank),
      cmd('ltrim', key, rank, rank),
    ],
    sortedSets: sortedSetCommands(d),
    hll: [
      cmd('pfadd', key, few(member, 0, 5)),
      cmd('pfadd', tagged, few(member, 1, 5)),
      cmd('pfcount', taggedKeys),
      cmd('pfmerge', tagged, few(tagged, 0, 3)),
    ],
    bitmaps: [
      ...[setbit, setbit, setbit],
      cmd('set', key, value),
      cmd('getbit', key, mostly(offset, pick([2 ** 32 - 1, 2 ** 31]))),
      cmd('bitcount', key, bitRange),
      bitop,
    ],
    streams: streamCommands(d, member),
    streamGroups: streamGroupCommands(d, member),
    other: [
      cmd(
        'publish',
        fc.constant(CHANNEL),
        fc.oneof(
          anyMember,
          value.filter((v) => typeof v !== 'number'),
        ),
      ),
    ],
  }
  const creators: Partial<Record<Family, fc.Arbitrary<SymbolicCommand>>> = {
    strings: cmd('set', key, value),
    hashes: hset,
    sets: sadd,
    lists: rpush,
    sortedSets: cmd('zadd', key, few(fc.record({ member, score }), 2, 6)),
    hll: cmd('pfadd', tagged, few(member, 1, 5)),
    bitmaps: cmd('setbit', key, offset, fc.constant(1)),
    streams: cmd('xadd', key, fields, pick([undefined, { id: '1-1' }, { id: `${FUTURE}-0` }, { id: '2-*' }])),
    streamGroups: groupedStream(d),
  }
  const creator = (f: Family | undefined) => {
    const one = f && creators[f]
    return one ?? fc.oneof(...Object.values(creators))
  }
  return { families, creator }
}
