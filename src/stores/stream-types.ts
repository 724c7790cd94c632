/**
 * The stream commands of the Store contract: XADD, XRANGE/XREVRANGE, XLEN, XTRIM, XDEL, XREAD and
 * consumer groups (XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM) plus the XINFO figures
 * the kit needs. Ids are Redis's `ms-seq` strings; entry fields come back as prototype-free
 * objects of strings. Semantics are Redis 7.0's, on every store.
 */
import type { StoreValue } from './command-types.js'

/** An entry: its id and its fields (a prototype-free object of strings, in the order written). */
export interface StreamEntry {
  id: string
  fields: Record<string, string>
}

/**
 * Trimming (XTRIM, and XADD's trim). Exactly one of `maxlen` (keep at most that many entries)
 * and `minid` (remove entries with smaller ids). `approximate` is Redis's `~`: only whole
 * internal nodes (100 entries) are removed, which is cheaper and may keep a few more entries;
 * `limit` (only with `approximate`) caps the entries one call removes (Redis's default 10 000).
 */
export interface StreamTrim {
  maxlen?: number
  minid?: string
  approximate?: boolean
  limit?: number
}

export interface XAddOptions {
  /** `'*'` (default: the clock, monotonic), `'<ms>-*'`, or `'<ms>-<seq>'` above the last id. */
  id?: string
  /** Do not create the stream: resolve null when it does not exist (NOMKSTREAM). */
  nomkstream?: boolean
  trim?: StreamTrim
}

export interface XRangeOptions {
  /** At most this many entries (COUNT, at least 1). */
  count?: number
}

export interface XReadOptions {
  /** At most this many entries per stream (COUNT, at least 1). */
  count?: number
  /**
   * Wait up to this many milliseconds (a positive integer) for an entry when none is there
   * (BLOCK). Every wait is bounded: there is no "forever" (loop instead). RedisStore runs blocking
   * reads on connections of their own, so they never hold up other commands. Not allowed in
   * batches; scripts never block.
   */
  block?: number
  /** Ends a blocking wait early: the call rejects with the signal's reason. */
  signal?: AbortSignal
}

export interface XReadGroupOptions extends XReadOptions {
  /** Do not add what is read to the pending entries list (NOACK). */
  noack?: boolean
}

/** A stream to read and the id to read after: `[key, id]`. */
export type StreamCursor = readonly [key: string, id: string]

/** The entries read from one stream. */
export interface StreamRead {
  key: string
  entries: StreamEntry[]
}

/** An entry read by a group; `fields` is null when a pending entry was deleted since (history reads). */
export interface StreamGroupEntry {
  id: string
  fields: Record<string, string> | null
}

export interface StreamGroupRead {
  key: string
  entries: StreamGroupEntry[]
}

/** XPENDING's summary: how many entries are pending, their id range, and per consumer. */
export interface XPendingSummary {
  count: number
  minId: string | null
  maxId: string | null
  consumers: { name: string; pending: number }[]
}

/** One pending entry (XPENDING's extended form). */
export interface PendingEntry {
  id: string
  consumer: string
  /** Milliseconds since it was last delivered. */
  idleMs: number
  /** How many times it was delivered. */
  deliveries: number
}

export interface XPendingRangeOptions {
  /** Only the entries of this consumer. */
  consumer?: string
  /** Only entries idle for at least this many milliseconds (IDLE). */
  minIdleMs?: number
}

export interface XClaimOptions {
  /** Set the idle time (IDLE ms) instead of resetting it to 0. */
  idleMs?: number
  /** Set the last delivery time (TIME, unix ms). */
  timeMs?: number
  /** Set the delivery count (RETRYCOUNT) instead of adding 1. */
  retryCount?: number
  /** Create a pending entry for an id that exists in the stream but is not pending (FORCE). */
  force?: boolean
}

export interface XAutoClaimResult {
  /** The cursor of the next call ('0-0' when the scan is complete). */
  next: string
  entries: StreamEntry[]
  /** Pending ids whose entries no longer exist: they were removed from the pending list. */
  deleted: string[]
}

export interface StreamInfo {
  length: number
  lastGeneratedId: string
  firstEntry: StreamEntry | null
  lastEntry: StreamEntry | null
  groups: number
}

export interface StreamGroupInfo {
  name: string
  consumers: number
  pending: number
  lastDeliveredId: string
}

export interface StreamConsumerInfo {
  name: string
  pending: number
  /** Milliseconds since the consumer last read or claimed. */
  idleMs: number
}

/** Streams: XADD … XINFO. Missing keys read as empty; consumer-group calls on them fail with NOGROUP. */
export interface StreamCommands {
  /** The new entry's id, or null with `nomkstream` when the stream does not exist. */
  xadd(
    key: string,
    fields: Readonly<Record<string, StoreValue>>,
    options?: XAddOptions,
  ): Promise<string | null>
  /** Entries from `start` to `end` (ids, `-`, `+`, `(id` exclusive, `ms` for a whole millisecond). */
  xrange(key: string, start: string, end: string, options?: XRangeOptions): Promise<StreamEntry[]>
  /** Entries from `end` down to `start`, newest first. */
  xrevrange(key: string, end: string, start: string, options?: XRangeOptions): Promise<StreamEntry[]>
  xlen(key: string): Promise<number>
  /** How many entries were removed. */
  xtrim(key: string, trim: StreamTrim): Promise<number>
  /** How many of the ids existed and were removed. */
  xdel(key: string, ids: readonly string[]): Promise<number>
  /**
   * Entries after each cursor's id (`$`: after the current last entry), only for streams that
   * have some; null when none has any (after waiting `block` ms, if given). Several streams must
   * share a `{hash tag}`.
   */
  xread(streams: readonly StreamCursor[], options?: XReadOptions): Promise<StreamRead[] | null>
  /** true when created, false when the group already exists (BUSYGROUP). `id`: `$`, `0` or an id. */
  xgroupCreate(key: string, group: string, id: string, options?: { mkstream?: boolean }): Promise<boolean>
  /** true when the group existed. */
  xgroupDestroy(key: string, group: string): Promise<boolean>
  /** true when the consumer was created. */
  xgroupCreateConsumer(key: string, group: string, consumer: string): Promise<boolean>
  /** The number of entries the consumer had pending (they are no longer pending). */
  xgroupDelConsumer(key: string, group: string, consumer: string): Promise<number>
  /**
   * New entries (`>`) for the group, or with another id the consumer's own pending entries after
   * it (its history). Null when `>` finds nothing (after waiting `block` ms, if given).
   */
  xreadgroup(
    group: string,
    consumer: string,
    streams: readonly StreamCursor[],
    options?: XReadGroupOptions,
  ): Promise<StreamGroupRead[] | null>
  /** How many of the ids were pending and are now acknowledged. */
  xack(key: string, group: string, ids: readonly string[]): Promise<number>
  xpending(key: string, group: string): Promise<XPendingSummary>
  /** Pending entries from `start` to `end` (at most `count`), oldest first. */
  xpendingRange(
    key: string,
    group: string,
    start: string,
    end: string,
    count: number,
    options?: XPendingRangeOptions,
  ): Promise<PendingEntry[]>
  /** Takes over pending entries idle for at least `minIdleMs`; returns the entries claimed. */
  xclaim(
    key: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    ids: readonly string[],
    options?: XClaimOptions,
  ): Promise<StreamEntry[]>
  /** Claims pending entries idle for at least `minIdleMs`, scanning from `start` (COUNT, default 100). */
  xautoclaim(
    key: string,
    group: string,
    consumer: string,
    minIdleMs: number,
    start: string,
    options?: { count?: number },
  ): Promise<XAutoClaimResult>
  /** Fails with COMMAND_ERROR ('ERR no such key') when the stream does not exist. */
  xinfoStream(key: string): Promise<StreamInfo>
  xinfoGroups(key: string): Promise<StreamGroupInfo[]>
  xinfoConsumers(key: string, group: string): Promise<StreamConsumerInfo[]>
}
