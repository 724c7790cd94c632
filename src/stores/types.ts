/**
 * @module stores/types
 * The Store contract: a typed subset of Redis commands, split by capability. Every method mirrors
 * the Redis command of the same name and has its semantics (expiry, WRONGTYPE, empty-key rules);
 * replies are mapped to plain JavaScript (numbers, booleans, `null` for nil). Redis (RedisStore),
 * the embedded MemoryStore and any custom Store implement it, and `redis-kit/testing` proves it.
 */

import type {
  BitmapCommands,
  HashCommands,
  HyperLogLogCommands,
  KeyCommands,
  ListCommands,
  PublishCommands,
  ScanOptions,
  SetCommands,
  SortedSetCommands,
  StoreValue,
  StringCommands,
} from './command-types.js'
import type { StreamCommands } from './stream-types.js'

export * from './command-types.js'
export * from './stream-types.js'

/** Every request/reply command of the contract. Batches and scripts are built from these. */
export interface Commands
  extends StringCommands,
    KeyCommands,
    HashCommands,
    SetCommands,
    ListCommands,
    SortedSetCommands,
    HyperLogLogCommands,
    BitmapCommands,
    StreamCommands,
    PublishCommands {}

export type CommandName = keyof Commands

/** One command of a batch: its name followed by the method's arguments. */
export type BatchCommand = {
  [K in CommandName]: readonly [K, ...Parameters<Commands[K]>]
}[CommandName]

/** The result of each command of a batch, position by position. */
export type BatchResults<C extends readonly BatchCommand[]> = {
  -readonly [I in keyof C]: C[I] extends readonly [infer K extends CommandName, ...unknown[]]
    ? Awaited<ReturnType<Commands[K]>>
    : never
}

/** The synchronous view of the commands that a script's JavaScript twin receives. */
export type ScriptContext = {
  [K in CommandName]: Commands[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never
} & {
  /** The store's clock, as Redis's TIME: [unix seconds, microseconds]. */
  time(): [number, number]
}

/** What a script may return: Lua's reply conversion applied (numbers are truncated to integers). */
export type ScriptReply = string | number | null | ScriptReply[]

/** A script: Lua for Redis and a JavaScript twin for the memory store. Build with `defineScript`. */
export interface Script<R extends ScriptReply = ScriptReply> {
  readonly name: string
  /** The names of the KEYS the script takes, in order (documentation and arity check). */
  readonly keys: readonly string[]
  readonly lua: string
  /** SHA1 of `lua`, for EVALSHA. */
  readonly sha1: string
  /** The twin: must do exactly what the Lua does, synchronously (which makes it atomic). */
  readonly run: (redis: ScriptContext, keys: string[], argv: string[]) => R
  /** Replay its effects to Redis after an outage (a FailoverStore journals it). */
  readonly durable: boolean
  /** Running it twice does no harm; otherwise a FailoverStore guards each run with an op id. */
  readonly idempotent: boolean
}

export type Unsubscribe = () => Promise<void>
export type MessageHandler = (message: string, channel: string) => void
export type PatternMessageHandler = (message: string, channel: string, pattern: string) => void

/** A time during which subscriptions were not active: messages published then were not received. */
export interface SubscriptionGap {
  /** Unix ms when the subscriptions were lost (the connection dropped, or Redis became unavailable). */
  since: number
  /** Unix ms when they were active again. */
  until: number
}

/** Pub/sub subscriptions: each returns a function that removes exactly that subscription. */
export interface SubscribeCommands {
  subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe>
  psubscribe(pattern: string, handler: PatternMessageHandler): Promise<Unsubscribe>
  /**
   * Optional: calls `listener` each time the store's subscriptions were restored after they had
   * been lost (a reconnect of the subscriber connection, a Redis outage): messages published in
   * between were missed. Returns a function that removes the listener. A store whose
   * subscriptions cannot drop (the memory store) may leave it out.
   */
  onSubscriptionGap?(listener: (gap: SubscriptionGap) => void): () => void
}

/** What `info()` reports, parsed from INFO (the memory store reports its own figures). */
export type StoreInfo = Record<string, string>

/** A Store: the commands plus scan, pub/sub, scripts, batches and lifecycle. */
export interface Store extends Commands, SubscribeCommands {
  /** 'redis', 'memory', or the name of a custom store. */
  readonly name: string
  /** Iterate keys in batches (SCAN; on a cluster, every master). Keys present throughout are seen. */
  scan(options?: ScanOptions): AsyncIterable<string[]>
  /** Run a script atomically: EVALSHA on Redis (reloaded on NOSCRIPT), its twin on memory. */
  eval<R extends ScriptReply>(
    script: Script<R>,
    keys: readonly string[],
    args: readonly StoreValue[],
  ): Promise<R>
  /** Run several commands in one round trip (split per slot on a cluster). Rejects with the first error. */
  batch<const C extends readonly BatchCommand[]>(commands: C): Promise<BatchResults<C>>
  /** Round-trip check: resolves with the latency in milliseconds. */
  ping(): Promise<number>
  info(): Promise<StoreInfo>
  /** Release connections and timers. Idempotent. Clients passed in by the caller are left open. */
  close(): Promise<void>
}
