/**
 * The public shape of the cache: options, per-call options, the Cache itself, its stats and events.
 * Numbers for time are seconds; strings are durations ('250ms', '5m', '1h'); TTLs also accept the
 * presets 'short' | 'medium' | 'long'.
 */
import type { RedisKitError } from '../errors.js'
import type { Duration } from '../internal/duration.js'

/** A TTL: seconds, a duration string, or a preset name (see `presets`). */
export type Ttl = Duration | 'short' | 'medium' | 'long'

export interface CacheSetOptions {
  /** How long the entry is fresh. @default the cache's `ttl` ('medium': 1 h) */
  ttl?: Ttl
  /** Tags for group invalidation (`invalidateTags`). Non-empty strings; omit for none. */
  tags?: readonly string[]
  /** Keep the entry this much longer, to be served stale by getOrSet. @default the cache's `grace` */
  grace?: Duration | false
}

export interface GetOrSetOptions extends CacheSetOptions {
  /**
   * With a stale value at hand (grace): wait this long for the loader, then answer with the
   * stale value and let the loader finish in the background. @default 0 (answer stale at once)
   */
  timeout?: Duration
  /** Fail with RedisKitError('TIMEOUT') when no value is there by then (the loader goes on). */
  hardTimeout?: Duration
  /** Probabilistic refresh before expiry (XFetch); `true` = beta 1. @default the cache's option */
  earlyRefresh?: boolean | number
}

/** What a loader receives. */
export interface LoaderContext<T = unknown> {
  /** The key being loaded (without the cache's prefix). */
  readonly key: string
  /** The stale value when a refresh replaces one (grace), else undefined. */
  readonly stale: T | undefined
  /** Overrides the TTL of what this load stores. */
  setTtl(ttl: Ttl): void
  /** Adds tags to what this load stores. */
  addTags(...tags: string[]): void
  /** Returns the value to the callers without storing it (e.g. a partial answer). */
  skip(): void
}

export type Loader<T> = (context: LoaderContext<T>) => T | Promise<T>

export interface CacheEntryInput<T = unknown> extends CacheSetOptions {
  key: string
  value: T
}

export interface CacheStats {
  /** Fresh values returned, by tier (l1: in process, l2: the store). */
  hits: number
  l1Hits: number
  l2Hits: number
  misses: number
  /** Stale values served (grace, soft timeout, loader failure). */
  stale: number
  /** Loader calls, and those that threw. */
  loads: number
  loadErrors: number
  /** getOrSet calls that waited for another process's loader (lease), and waits that ran out. */
  leaseWaits: number
  leaseTimeouts: number
  sets: number
  deletes: number
  /** Tag invalidations and pattern clears. */
  invalidations: number
  /** Entries the L1 dropped to stay within its bounds. */
  evictions: number
  /** Store errors absorbed (reported as `cache:error`). */
  errors: number
  /** The in-process tier, or null when there is none (memory store, or `l1: false`). */
  l1: { entries: number; bytes: number } | null
}

export interface CacheEvents {
  'cache:hit': [info: { key: string; tier: 'l1' | 'l2' }]
  'cache:miss': [info: { key: string }]
  /**
   * An error nobody else saw: a store error the call absorbed (a RedisKitError; the call answered
   * from what it had), or, with operation 'refresh', the loader's own error in a background refresh.
   */
  'cache:error': [info: { error: RedisKitError | Error; operation: string; key?: string }]
  [event: string]: unknown[]
}

export interface Cache {
  /** The fresh value, or undefined. */
  get<T = unknown>(key: string): Promise<T | undefined>
  set(key: string, value: unknown, options?: CacheSetOptions): Promise<void>
  delete(key: string): Promise<void>
  has(key: string): Promise<boolean>
  /** The cached value, or the loader's (run once per key across processes while others wait). */
  getOrSet<T>(key: string, loader: Loader<T>, options?: GetOrSetOptions): Promise<T>
  getMany<T = unknown>(keys: readonly string[]): Promise<(T | undefined)[]>
  setMany(entries: readonly CacheEntryInput[]): Promise<void>
  /** Invalidates every entry carrying one of the tags, in O(1) per tag. */
  invalidateTags(tags: readonly string[]): Promise<void>
  /**
   * Deletes the entries whose key matches a Redis glob (SCAN + UNLINK on every master), only
   * under this cache (and namespace). Escape user input with `escapeGlob` or the `glob` template.
   * Resolves with how many were deleted. `clear()` deletes every entry of the namespace.
   */
  clear(pattern?: string): Promise<number>
  /** A view whose keys and tags live under `name:` (shares the L1, the bus and the stats). */
  namespace(name: string): Cache
  /** Resolves when the background refreshes started so far have finished. */
  settle(): Promise<void>
  /**
   * Resolves once the cache listens on its bus (it then keeps values in its L1 and tag versions
   * in process). Calls work before that, from the store; await it at startup to warm up.
   */
  ready(): Promise<void>
  stats(): CacheStats
  on<K extends keyof CacheEvents>(event: K, listener: (...args: CacheEvents[K]) => void): () => void
  /**
   * Stops the bus and empties the L1, after waiting (1 s at most) for background refreshes. The
   * store stays open (it is not the cache's).
   */
  close(): Promise<void>
  /** The prefix of this view's keys in the store (`<prefix>cache:v:<namespace…>`). */
  readonly keyPrefix: string
}
