/**
 * The request/reply commands of the Store contract, one interface per family (strings, keys,
 * hashes, sets, lists, sorted sets, HyperLogLog, bitmaps, publish), with their options. Streams
 * are in stream-types.ts; the Store itself, batches and scripts in types.ts, which re-exports
 * both.
 */

/** A value written to a string key or hash field. Numbers are written in their decimal form. */
export type StoreValue = string | Buffer | number

/** Options of SET. `ex`/`px` are whole seconds / milliseconds and must be positive. */
export interface SetOptions {
  /** Expire after this many seconds (SET … EX). */
  ex?: number
  /** Expire after this many milliseconds (SET … PX). */
  px?: number
  /** Only set when the key does not exist (SET … NX). */
  nx?: boolean
  /** Only set when the key exists (SET … XX). */
  xx?: boolean
  /** Keep the key's current TTL (SET … KEEPTTL). */
  keepTtl?: boolean
}

/** Condition flags of EXPIRE / PEXPIRE (Redis 7). */
export type ExpireMode = 'NX' | 'XX' | 'GT' | 'LT'

/** The types TYPE can answer. HyperLogLogs and bitmaps are strings, as in Redis. */
export type KeyType = 'none' | 'string' | 'hash' | 'set' | 'zset' | 'list' | 'stream'

export interface ScanOptions {
  /** A Redis glob (escape user input with `escapeGlob`). */
  match?: string
  /** A hint of how many keys to look at per step. */
  count?: number
  /** Only keys of this type. */
  type?: Exclude<KeyType, 'none'>
}

/** A member with its score, as sorted-set commands return them WITHSCORES. */
export interface ScoredMember {
  member: string
  score: number
}

/** A score bound: a number, `'-inf'`, `'+inf'`, or an exclusive bound like `'(5'`. */
export type ScoreBound = number | string

export interface ZAddOptions {
  nx?: boolean
  xx?: boolean
  gt?: boolean
  lt?: boolean
  /** Count changed members, not only added ones (ZADD … CH). */
  ch?: boolean
}

export interface ZRangeOptions {
  /** `rank` (default): start/stop are 0-based ranks, negative from the end; `score`: score bounds. */
  by?: 'rank' | 'score'
  /** Highest first. With `by: 'score'` pass the bounds as (max, min), as in Redis. */
  rev?: boolean
  /** Only with `by: 'score'`: skip `offset` members and return at most `count` (-1: all). */
  limit?: { offset: number; count: number }
}

export interface ZUnionStoreOptions {
  weights?: number[]
  aggregate?: 'SUM' | 'MIN' | 'MAX'
}

export interface BitCountRange {
  start: number
  end: number
  /** `BYTE` (default) or `BIT` (Redis 7). */
  unit?: 'BYTE' | 'BIT'
}

export type BitOp = 'AND' | 'OR' | 'XOR' | 'NOT'

/** Strings: GET, SET, MGET, INCRBY, INCRBYFLOAT, GETDEL. */
export interface StringCommands {
  /** The value as a UTF-8 string, or null. */
  get(key: string): Promise<string | null>
  /** The value as raw bytes, or null. */
  getBuffer(key: string): Promise<Buffer | null>
  /** true when written, false when NX/XX prevented it. */
  set(key: string, value: StoreValue, options?: SetOptions): Promise<boolean>
  mget(keys: readonly string[]): Promise<(string | null)[]>
  mgetBuffer(keys: readonly string[]): Promise<(Buffer | null)[]>
  /** The new value. Integers outside ±2^53 lose precision in JavaScript, as with any client. */
  incrby(key: string, increment: number): Promise<number>
  incrbyfloat(key: string, increment: number): Promise<number>
  getdel(key: string): Promise<string | null>
}

/** Keys: DEL, UNLINK, EXISTS, EXPIRE, PEXPIRE, TTL, PTTL, PERSIST, TYPE (SCAN is on Store). */
export interface KeyCommands {
  /** How many of the keys existed. */
  del(keys: readonly string[]): Promise<number>
  unlink(keys: readonly string[]): Promise<number>
  /** How many of the keys exist (a key named twice counts twice). */
  exists(keys: readonly string[]): Promise<number>
  /** true when the timeout was set. `seconds` must be a positive integer. */
  expire(key: string, seconds: number, mode?: ExpireMode): Promise<boolean>
  pexpire(key: string, milliseconds: number, mode?: ExpireMode): Promise<boolean>
  /** Seconds left; -1 when the key has no expiry, -2 when it does not exist. */
  ttl(key: string): Promise<number>
  pttl(key: string): Promise<number>
  persist(key: string): Promise<boolean>
  type(key: string): Promise<KeyType>
}

/** Hashes: HSET, HGET, HMGET, HGETALL, HDEL, HINCRBY. */
export interface HashCommands {
  /** How many fields were added (not updated). */
  hset(key: string, fields: Readonly<Record<string, StoreValue>>): Promise<number>
  hget(key: string, field: string): Promise<string | null>
  hmget(key: string, fields: readonly string[]): Promise<(string | null)[]>
  /** Every field; an empty object when the key does not exist. Never has a prototype. */
  hgetall(key: string): Promise<Record<string, string>>
  hdel(key: string, fields: readonly string[]): Promise<number>
  hincrby(key: string, field: string, increment: number): Promise<number>
}

/** Sets: SADD, SREM, SMEMBERS, SISMEMBER, SCARD. */
export interface SetCommands {
  sadd(key: string, members: readonly string[]): Promise<number>
  srem(key: string, members: readonly string[]): Promise<number>
  /** The members in no particular order. */
  smembers(key: string): Promise<string[]>
  sismember(key: string, member: string): Promise<boolean>
  scard(key: string): Promise<number>
}

/**
 * Lists: LPUSH, RPUSH, LPOP, RPOP, LLEN, LINDEX, LRANGE, LTRIM. Indexes are 0-based from the
 * head, negative from the tail (-1 is the last element); popping or trimming the last element
 * deletes the key.
 */
export interface ListCommands {
  /** Prepends the values one by one (`lpush(k, ['a', 'b'])` leaves b, a); the new length. */
  lpush(key: string, values: readonly StoreValue[]): Promise<number>
  /** Appends the values in order; the new length. */
  rpush(key: string, values: readonly StoreValue[]): Promise<number>
  /** Removes and returns the first element, or null when the list does not exist. */
  lpop(key: string): Promise<string | null>
  /** Removes and returns the last element, or null. */
  rpop(key: string): Promise<string | null>
  llen(key: string): Promise<number>
  /** The element at `index`, or null when out of range. */
  lindex(key: string, index: number): Promise<string | null>
  /** Elements `start` to `stop`, both inclusive; out-of-range bounds are clamped, as in Redis. */
  lrange(key: string, start: number, stop: number): Promise<string[]>
  /** Keeps only elements `start` to `stop` (inclusive); an empty range deletes the key. */
  ltrim(key: string, start: number, stop: number): Promise<void>
}

/** Sorted sets. Ties in score are ordered by member bytes, as in Redis. */
export interface SortedSetCommands {
  /** How many members were added (or changed, with `ch`). */
  zadd(key: string, members: readonly ScoredMember[], options?: ZAddOptions): Promise<number>
  zincrby(key: string, increment: number, member: string): Promise<number>
  zscore(key: string, member: string): Promise<number | null>
  /** 0-based rank, lowest score first (highest first with `rev`), or null. */
  zrank(key: string, member: string, options?: { rev?: boolean }): Promise<number | null>
  zrange(key: string, start: ScoreBound, stop: ScoreBound, options?: ZRangeOptions): Promise<string[]>
  zrangeWithScores(
    key: string,
    start: ScoreBound,
    stop: ScoreBound,
    options?: ZRangeOptions,
  ): Promise<ScoredMember[]>
  zrem(key: string, members: readonly string[]): Promise<number>
  zcard(key: string): Promise<number>
  zremrangebyrank(key: string, start: number, stop: number): Promise<number>
  zremrangebyscore(key: string, min: ScoreBound, max: ScoreBound): Promise<number>
  /** Stores the union in `destination` (replacing it) and returns its size. */
  zunionstore(destination: string, keys: readonly string[], options?: ZUnionStoreOptions): Promise<number>
}

/** HyperLogLog: PFADD, PFCOUNT, PFMERGE, with Redis's encoding and estimator. */
export interface HyperLogLogCommands {
  /** true when the estimate changed (or the key was created). */
  pfadd(key: string, elements: readonly string[]): Promise<boolean>
  /** The estimated cardinality of the union of the keys. */
  pfcount(keys: readonly string[]): Promise<number>
  pfmerge(destination: string, sources: readonly string[]): Promise<void>
}

/** Bitmaps: SETBIT, GETBIT, BITCOUNT, BITOP. Offsets are bits, 0 to 2^32-1. */
export interface BitmapCommands {
  /** The bit's previous value. */
  setbit(key: string, offset: number, value: 0 | 1): Promise<0 | 1>
  getbit(key: string, offset: number): Promise<0 | 1>
  bitcount(key: string, range?: BitCountRange): Promise<number>
  /** The length in bytes of the string stored in `destination`. */
  bitop(operation: BitOp, destination: string, keys: readonly string[]): Promise<number>
}

/** Publishing (subscribing is on Store, since it is not a request/reply command). */
export interface PublishCommands {
  /** How many subscribers received the message (on a cluster: those of the node it was sent to). */
  publish(channel: string, message: string | Buffer): Promise<number>
}
