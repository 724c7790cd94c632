/**
 * How each contract command is spelled on the wire and how its reply is read back: one entry
 * per command, `build` (arguments → Redis argv) and `parse` (reply → the contract's type).
 * Replies are accepted in both the RESP2 shapes and ioredis's RESP3 shapes.
 */
import { STREAM_WIRE } from './redis-commands-streams.js'
import type { CommandName, ScoreBound, ScoredMember, SetOptions, ZRangeOptions } from './types.js'

export type Arg = string | Buffer | number

export interface WireCommand {
  /** The Redis command and its arguments. */
  argv: [string, ...Arg[]]
  /** Read the reply as bytes (callBuffer). */
  buffer?: boolean
  parse?: (reply: unknown) => unknown
  /** Reads an error reply as a result (`{ value }`), e.g. XGROUP CREATE's BUSYGROUP as false. */
  recover?: (message: string) => { value: unknown } | undefined
}

/**
 * Numbers go on the wire as `String(n)`: the decimal form the memory store stores and script
 * twins see. (ioredis would write integers beyond 2^53 in full, e.g. 2**64 as
 * 18446744073709551616 instead of 18446744073709552000, so SET, INCRBYFLOAT and script ARGV
 * would differ between Redis and memory.) `from`: the first argument to take (1: all but the name).
 */
export function wireArgs(argv: readonly Arg[], from = 0): (string | Buffer)[] {
  const out = new Array<string | Buffer>(argv.length - from)
  for (let i = from; i < argv.length; i++) {
    const arg = argv[i]!
    out[i - from] = typeof arg === 'number' ? String(arg) : arg
  }
  return out
}

// biome-ignore lint/suspicious/noExplicitAny: each builder narrows its own arguments
type Builder = (...args: any[]) => WireCommand

const toBool = (r: unknown) => r === 1 || r === 'OK'
const toNumber = (r: unknown) => Number(r)
const toNullableNumber = (r: unknown) => (r === null || r === undefined ? null : Number(r))

/** Score formatting that Redis parses back to the same double (inf, -0 included). */
export function formatScore(n: number): string {
  if (n === Number.POSITIVE_INFINITY) return 'inf'
  if (n === Number.NEGATIVE_INFINITY) return '-inf'
  if (Object.is(n, -0)) return '-0'
  return String(n)
}

export function parseScore(r: unknown): number {
  if (typeof r === 'number') return r
  const s = String(r)
  if (s === 'inf' || s === '+inf') return Number.POSITIVE_INFINITY
  if (s === '-inf') return Number.NEGATIVE_INFINITY
  return Number(s)
}

const bound = (b: ScoreBound) => (typeof b === 'number' ? formatScore(b) : b)

function withScores(reply: unknown): ScoredMember[] {
  const items = reply as unknown[]
  const out: ScoredMember[] = []
  if (items.length > 0 && Array.isArray(items[0])) {
    for (const pair of items as [string, unknown][])
      out.push({ member: String(pair[0]), score: parseScore(pair[1]) })
    return out
  }
  for (let i = 0; i < items.length; i += 2)
    out.push({ member: String(items[i]), score: parseScore(items[i + 1]) })
  return out
}

function toRecord(reply: unknown): Record<string, string> {
  const out = Object.create(null) as Record<string, string>
  if (Array.isArray(reply)) {
    for (let i = 0; i < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1])
  } else if (reply instanceof Map) {
    for (const [k, v] of reply) out[String(k)] = String(v)
  } else if (reply && typeof reply === 'object') {
    for (const k of Object.keys(reply)) out[k] = String((reply as Record<string, unknown>)[k])
  }
  return out
}

function setArgv(key: string, value: Arg, o?: SetOptions): [string, ...Arg[]] {
  const argv: [string, ...Arg[]] = ['set', key, value]
  if (o?.ex !== undefined) argv.push('EX', o.ex)
  else if (o?.px !== undefined) argv.push('PX', o.px)
  else if (o?.keepTtl) argv.push('KEEPTTL')
  if (o?.nx) argv.push('NX')
  else if (o?.xx) argv.push('XX')
  return argv
}

function rangeArgv(
  key: string,
  start: ScoreBound,
  stop: ScoreBound,
  o: ZRangeOptions | undefined,
  scores: boolean,
) {
  const argv: [string, ...Arg[]] = ['zrange', key]
  if (o?.by === 'score') argv.push(bound(start), bound(stop), 'BYSCORE')
  else argv.push(start, stop)
  if (o?.rev) argv.push('REV')
  if (o?.limit) argv.push('LIMIT', o.limit.offset, o.limit.count)
  if (scores) argv.push('WITHSCORES')
  return argv
}

const expireArgv = (cmd: string, key: string, n: number, mode?: string): [string, ...Arg[]] =>
  mode ? [cmd, key, n, mode] : [cmd, key, n]

export const WIRE: { readonly [K in CommandName]: Builder } = {
  get: (key) => ({ argv: ['get', key] }),
  getBuffer: (key) => ({ argv: ['get', key], buffer: true }),
  set: (key, value, o) => ({ argv: setArgv(key, value, o), parse: toBool }),
  mget: (keys) => ({ argv: ['mget', ...keys] }),
  mgetBuffer: (keys) => ({ argv: ['mget', ...keys], buffer: true }),
  incrby: (key, n) => ({ argv: ['incrby', key, n], parse: toNumber }),
  incrbyfloat: (key, n) => ({ argv: ['incrbyfloat', key, n], parse: toNumber }),
  getdel: (key) => ({ argv: ['getdel', key] }),
  del: (keys) => ({ argv: ['del', ...keys], parse: toNumber }),
  unlink: (keys) => ({ argv: ['unlink', ...keys], parse: toNumber }),
  exists: (keys) => ({ argv: ['exists', ...keys], parse: toNumber }),
  expire: (key, s, mode) => ({ argv: expireArgv('expire', key, s, mode), parse: toBool }),
  pexpire: (key, ms, mode) => ({ argv: expireArgv('pexpire', key, ms, mode), parse: toBool }),
  ttl: (key) => ({ argv: ['ttl', key], parse: toNumber }),
  pttl: (key) => ({ argv: ['pttl', key], parse: toNumber }),
  persist: (key) => ({ argv: ['persist', key], parse: toBool }),
  type: (key) => ({ argv: ['type', key], parse: String }),
  hset: (key, fields: Record<string, Arg>) => ({
    argv: ['hset', key, ...Object.entries(fields).flat()],
    parse: toNumber,
  }),
  hget: (key, field) => ({ argv: ['hget', key, field] }),
  hmget: (key, fields) => ({ argv: ['hmget', key, ...fields] }),
  hgetall: (key) => ({ argv: ['hgetall', key], parse: toRecord }),
  hdel: (key, fields) => ({ argv: ['hdel', key, ...fields], parse: toNumber }),
  hincrby: (key, field, n) => ({ argv: ['hincrby', key, field, n], parse: toNumber }),
  sadd: (key, members) => ({ argv: ['sadd', key, ...members], parse: toNumber }),
  srem: (key, members) => ({ argv: ['srem', key, ...members], parse: toNumber }),
  smembers: (key) => ({
    argv: ['smembers', key],
    parse: (r) => (Array.isArray(r) ? r : [...(r as Set<string>)]),
  }),
  sismember: (key, member) => ({ argv: ['sismember', key, member], parse: toBool }),
  scard: (key) => ({ argv: ['scard', key], parse: toNumber }),
  lpush: (key, values) => ({ argv: ['lpush', key, ...values], parse: toNumber }),
  rpush: (key, values) => ({ argv: ['rpush', key, ...values], parse: toNumber }),
  lpop: (key) => ({ argv: ['lpop', key] }),
  rpop: (key) => ({ argv: ['rpop', key] }),
  llen: (key) => ({ argv: ['llen', key], parse: toNumber }),
  lindex: (key, index) => ({ argv: ['lindex', key, index] }),
  lrange: (key, start, stop) => ({ argv: ['lrange', key, start, stop] }),
  ltrim: (key, start, stop) => ({ argv: ['ltrim', key, start, stop], parse: () => undefined }),
  zadd: (key, members: ScoredMember[], o) => {
    const argv: [string, ...Arg[]] = ['zadd', key]
    if (o?.nx) argv.push('NX')
    else if (o?.xx) argv.push('XX')
    if (o?.gt) argv.push('GT')
    else if (o?.lt) argv.push('LT')
    if (o?.ch) argv.push('CH')
    for (const m of members) argv.push(formatScore(m.score), m.member)
    return { argv, parse: toNumber }
  },
  zincrby: (key, n, member) => ({ argv: ['zincrby', key, formatScore(n), member], parse: parseScore }),
  zscore: (key, member) => ({
    argv: ['zscore', key, member],
    parse: (r) => (r === null ? null : parseScore(r)),
  }),
  zrank: (key, member, o) => ({
    argv: [o?.rev ? 'zrevrank' : 'zrank', key, member],
    parse: toNullableNumber,
  }),
  zrange: (key, start, stop, o) => ({ argv: rangeArgv(key, start, stop, o, false) }),
  zrangeWithScores: (key, start, stop, o) => ({
    argv: rangeArgv(key, start, stop, o, true),
    parse: withScores,
  }),
  zrem: (key, members) => ({ argv: ['zrem', key, ...members], parse: toNumber }),
  zcard: (key) => ({ argv: ['zcard', key], parse: toNumber }),
  zremrangebyrank: (key, start, stop) => ({ argv: ['zremrangebyrank', key, start, stop], parse: toNumber }),
  zremrangebyscore: (key, min, max) => ({
    argv: ['zremrangebyscore', key, bound(min), bound(max)],
    parse: toNumber,
  }),
  zunionstore: (dest, keys: string[], o) => {
    const argv: [string, ...Arg[]] = ['zunionstore', dest, keys.length, ...keys]
    if (o?.weights) argv.push('WEIGHTS', ...o.weights.map(formatScore))
    if (o?.aggregate) argv.push('AGGREGATE', o.aggregate)
    return { argv, parse: toNumber }
  },
  pfadd: (key, elements) => ({ argv: ['pfadd', key, ...elements], parse: toBool }),
  pfcount: (keys) => ({ argv: ['pfcount', ...keys], parse: toNumber }),
  pfmerge: (dest, sources) => ({ argv: ['pfmerge', dest, ...sources], parse: () => undefined }),
  setbit: (key, offset, value) => ({ argv: ['setbit', key, offset, value], parse: toNumber }),
  getbit: (key, offset) => ({ argv: ['getbit', key, offset], parse: toNumber }),
  bitcount: (key, r) => ({
    argv: r ? ['bitcount', key, r.start, r.end, ...(r.unit ? [r.unit] : [])] : ['bitcount', key],
    parse: toNumber,
  }),
  bitop: (op, dest, keys) => ({ argv: ['bitop', op, dest, ...keys], parse: toNumber }),
  publish: (channel, message) => ({ argv: ['publish', channel, message], parse: toNumber }),
  ...STREAM_WIRE,
}
