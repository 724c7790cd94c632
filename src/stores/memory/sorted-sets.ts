/**
 * Memory store: sorted-set commands (ZADD, ZINCRBY, ZSCORE, ZRANK, ZRANGE, ZREM, ZCARD,
 * ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZUNIONSTORE), Redis 7.0 semantics.
 */
import { RedisKitError } from '../../errors.js'
import type { ScoredMember, SortedSetCommands, ZAddOptions, ZUnionStoreOptions } from '../types.js'
import { type Entry, type Keyspace, wrongType } from './keyspace.js'
import type { SetValue } from './sets.js'
import type { Sync } from './sync.js'
import { ZSet } from './zset.js'
import { rankRange, scoreRange, selectRange } from './zset-range.js'

type Aggregate = NonNullable<ZUnionStoreOptions['aggregate']>

function notANumber(): RedisKitError {
  return new RedisKitError('NOT_FLOAT', 'ERR resulting score is not a number (NaN)')
}

/** Redis's zunionInterAggregate: a sum of +inf and -inf is 0. */
function aggregate(target: number, value: number, mode: Aggregate): number {
  // the ternaries keep the current score on ties, as Redis does (Math.min/max would pick -0 over +0)
  // biome-ignore lint/complexity/useMathMinMax: tie behaviour must match Redis
  if (mode === 'MIN') return value < target ? value : target
  // biome-ignore lint/complexity/useMathMinMax: tie behaviour must match Redis
  if (mode === 'MAX') return value > target ? value : target
  const sum = target + value
  return Number.isNaN(sum) ? 0 : sum
}

/** One source of ZUNIONSTORE: its members with their scores and its cardinality. */
interface Source {
  size: number
  each(visit: (member: string, score: number) => void): void
}

export function sortedSetCommands(ks: Keyspace): Sync<SortedSetCommands> {
  const read = (key: string) => ks.read<ZSet>(key, 'zset')
  const write = (key: string) => ks.write<ZSet>(key, 'zset', () => new ZSet())

  /** Records the new size of a set that was changed, deleting it when it became empty. */
  function commit(key: string, entry: Entry<ZSet>): void {
    if (entry.value.size === 0) ks.dropIfEmpty(key, 0)
    else ks.resize(key, entry, entry.value.bytes)
  }

  function zadd(key: string, members: readonly ScoredMember[], options: ZAddOptions = {}): number {
    const entry = options.xx ? read(key) : write(key)
    if (entry === undefined) return 0
    const zset = entry.value
    let added = 0
    let changed = 0
    for (const { member, score } of members) {
      const node = zset.get(member)
      if (node === undefined) {
        if (options.xx) continue
        zset.add(member, score)
        added++
        continue
      }
      if (options.nx) continue
      if ((options.gt && score <= node.score) || (options.lt && score >= node.score)) continue
      // -0 and +0 are equal here, as in Redis: the stored score keeps its sign
      if (score !== node.score) {
        zset.update(node, score)
        changed++
      }
    }
    commit(key, entry)
    return options.ch ? added + changed : added
  }

  function source(key: string): Source {
    const entry = ks.peek(key)
    if (entry === undefined) return { size: 0, each: () => {} }
    if (entry.type === 'zset') {
      const zset = entry.value as ZSet
      return {
        size: zset.size,
        each: (visit) => {
          zset.forEach((node) => {
            visit(node.member, node.score)
          })
        },
      }
    }
    if (entry.type === 'set') {
      const set = entry.value as SetValue
      return {
        size: set.size,
        each: (visit) => {
          for (const member of set) visit(member, 1)
        },
      }
    }
    throw wrongType()
  }

  function zunionstore(
    destination: string,
    keys: readonly string[],
    options: ZUnionStoreOptions = {},
  ): number {
    const mode = options.aggregate ?? 'SUM'
    const sources = keys.map((key, i) => ({ source: source(key), weight: options.weights?.[i] ?? 1 }))
    // Redis combines the inputs smallest first (a stable sort); with infinities the order matters
    sources.sort((a, b) => a.source.size - b.source.size)
    const union = new Map<string, number>()
    for (const { source, weight } of sources) {
      source.each((member, score) => {
        let weighted = weight * score
        if (Number.isNaN(weighted)) weighted = 0
        const current = union.get(member)
        union.set(member, current === undefined ? weighted : aggregate(current, weighted, mode))
      })
    }
    if (union.size === 0) {
      ks.delete(destination)
      return 0
    }
    const zset = ZSet.from(union)
    ks.put(destination, 'zset', zset, zset.bytes)
    return zset.size
  }

  return {
    zadd,
    zincrby: (key, increment, member) => {
      const existing = read(key)
      const node = existing?.value.get(member)
      // a new member takes the increment as is (Redis does not add it to 0: -0 stays -0)
      const score = node ? node.score + increment : increment
      if (Number.isNaN(score)) throw notANumber()
      const entry = existing ?? write(key)
      // an unchanged score is not rewritten (Redis compares with !=): -0 + 0 replies 0 and keeps -0
      if (node === undefined) entry.value.add(member, score)
      else if (score !== node.score) entry.value.update(node, score)
      commit(key, entry)
      return score
    },
    zscore: (key, member) => read(key)?.value.get(member)?.score ?? null,
    zrank: (key, member, options) => {
      const zset = read(key)?.value
      const node = zset?.get(member)
      if (zset === undefined || node === undefined) return null
      const rank = zset.rank(node)
      return options?.rev ? zset.size - 1 - rank : rank
    },
    zrange: (key, start, stop, options) => {
      const zset = read(key)?.value
      return zset ? selectRange(zset, start, stop, options).map((n) => n.member) : []
    },
    zrangeWithScores: (key, start, stop, options) => {
      const zset = read(key)?.value
      return zset
        ? selectRange(zset, start, stop, options).map((n) => ({ member: n.member, score: n.score }))
        : []
    },
    zrem: (key, members) => {
      const entry = read(key)
      if (entry === undefined) return 0
      let removed = 0
      for (const member of members) if (entry.value.delete(member)) removed++
      if (removed > 0) commit(key, entry)
      return removed
    },
    zcard: (key) => read(key)?.value.size ?? 0,
    zremrangebyrank: (key, start, stop) => {
      const entry = read(key)
      if (entry === undefined) return 0
      const removed = entry.value.deleteRange(...rankRange(entry.value.size, start, stop))
      if (removed > 0) commit(key, entry)
      return removed
    },
    zremrangebyscore: (key, min, max) => {
      const entry = read(key)
      if (entry === undefined) return 0
      const removed = entry.value.deleteRange(...scoreRange(entry.value, min, max))
      if (removed > 0) commit(key, entry)
      return removed
    },
    zunionstore,
  }
}
