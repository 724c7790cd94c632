/**
 * Range arithmetic of the sorted-set commands, as Redis does it: rank ranges (negative from the
 * end, clamped), score bounds ('-inf', '+inf', 'inf', '(5' exclusive, case-insensitive), and
 * ZRANGE … BYSCORE [REV] [LIMIT offset count].
 */
import { RedisKitError } from '../../errors.js'
import type { ScoreBound, ZRangeOptions } from '../types.js'
import type { ZNode, ZSet } from './zset.js'

export interface Bound {
  value: number
  exclusive: boolean
}

/** Parses a score bound as Redis's zslParseRange does. */
export function parseBound(bound: ScoreBound): Bound {
  if (typeof bound === 'number') return { value: bound, exclusive: false }
  const exclusive = bound.startsWith('(')
  const text = (exclusive ? bound.slice(1) : bound).toLowerCase()
  const value = text === 'inf' || text === '+inf' ? Infinity : text === '-inf' ? -Infinity : Number(text)
  if (Number.isNaN(value) || text.trim() !== text || text === '') {
    throw new RedisKitError('NOT_FLOAT', 'ERR min or max is not a float')
  }
  return { value, exclusive }
}

/** The positions [from, to) of the members whose scores are within min and max. */
export function scoreRange(zset: ZSet, min: ScoreBound, max: ScoreBound): [number, number] {
  const lo = parseBound(min)
  const hi = parseBound(max)
  const from = zset.lowerBound(lo.value, lo.exclusive)
  const to = zset.upperBound(hi.value, hi.exclusive)
  return [from, Math.max(from, to)]
}

/** Redis's rank sanitising: the positions [from, to) that ranks start..stop cover. */
export function rankRange(length: number, start: number, stop: number): [number, number] {
  let first = start < 0 ? length + start : start
  let last = stop < 0 ? length + stop : stop
  if (first < 0) first = 0
  if (first > last || first >= length) return [0, 0]
  if (last >= length) last = length - 1
  return [first, last + 1]
}

/** The nodes ZRANGE returns, in reply order. */
export function selectRange(
  zset: ZSet,
  start: ScoreBound,
  stop: ScoreBound,
  options: ZRangeOptions = {},
): ZNode[] {
  if (options.by !== 'score') {
    const length = zset.size
    const [from, to] = rankRange(length, Number(start), Number(stop))
    if (!options.rev) return zset.slice(from, to)
    return zset.slice(length - to, length - from).reverse()
  }
  // BYSCORE REV takes the bounds as (max, min)
  const [from, to] = options.rev ? scoreRange(zset, stop, start) : scoreRange(zset, start, stop)
  const offset = options.limit?.offset ?? 0
  const count = options.limit?.count ?? -1
  // Redis walks `offset` steps with `while (node && offset--)`: a negative offset walks off the end
  if (offset < 0) return []
  const available = Math.max(0, to - from - offset)
  const take = count < 0 ? available : Math.min(count, available)
  if (take === 0) return []
  if (!options.rev) return zset.slice(from + offset, from + offset + take)
  const end = to - offset
  return zset.slice(end - take, end).reverse()
}
