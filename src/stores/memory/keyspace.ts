/**
 * The memory store's keyspace: entries with a type, a value, an expiry and a byte estimate.
 * Bounded by lru-cache (`maxKeys`) and by a byte budget (`maxBytes`) enforced by evicting the
 * least recently used keys; every eviction is counted and reported. Expiry is lazy (checked on
 * every access) and active (a sampling sweep on an unref'd timer), as in Redis.
 */
import { LRUCache } from 'lru-cache'
import { RedisKitError } from '../../errors.js'

export type EntryType = 'string' | 'hash' | 'set' | 'zset' | 'list' | 'stream'

export interface Entry<T = unknown> {
  readonly type: EntryType
  value: T
  /** Unix ms when the key expires; 0 when it does not. */
  expiresAt: number
  /** Estimated bytes of the value (keys and a fixed overhead are added by the keyspace). */
  bytes: number
}

export interface KeyspaceOptions {
  maxKeys: number
  maxBytes: number
  /** Called for each key the bounds evict. */
  onEvict?: (key: string) => void
  /** Called for every key that leaves the keyspace (deleted, replaced, expired or evicted). */
  onRemove?: (key: string, entry: Entry) => void
  now?: () => number
}

const ENTRY_OVERHEAD = 48
const SWEEP_INTERVAL_MS = 100
const SWEEP_BATCH = 200

export const WRONGTYPE_MESSAGE = 'WRONGTYPE Operation against a key holding the wrong kind of value'

export function wrongType(): RedisKitError {
  return new RedisKitError('WRONGTYPE', WRONGTYPE_MESSAGE)
}

export class Keyspace {
  readonly maxBytes: number
  readonly now: () => number
  /** Every live key in creation order: SCAN walks it with a live iterator. */
  readonly index = new Map<string, Entry>()
  usedBytes = 0
  evicted = 0
  expired = 0
  readonly #lru: LRUCache<string, Entry>
  readonly #expiring = new Set<string>()
  readonly #onEvict: ((key: string) => void) | undefined
  readonly #onRemove: ((key: string, entry: Entry) => void) | undefined
  #sweepIterator: Iterator<string> | undefined
  #timer: NodeJS.Timeout | undefined

  constructor(options: KeyspaceOptions) {
    this.maxBytes = options.maxBytes
    this.now = options.now ?? Date.now
    this.#onEvict = options.onEvict
    this.#onRemove = options.onRemove
    this.#lru = new LRUCache<string, Entry>({
      max: options.maxKeys,
      dispose: (entry, key, reason) => {
        if (reason === 'evict') this.#forget(key, entry, true)
      },
    })
  }

  get size(): number {
    return this.index.size
  }

  /** The live entry of `key` (refreshing its recency), or undefined. Never throws. */
  peek(key: string): Entry | undefined {
    const entry = this.#lru.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt !== 0 && entry.expiresAt <= this.now()) {
      this.expired++
      this.delete(key)
      return undefined
    }
    return entry
  }

  /** The live entry of `key` when it has `type`; undefined when missing; WRONGTYPE otherwise. */
  read<T>(key: string, type: EntryType): Entry<T> | undefined {
    const entry = this.peek(key)
    if (entry !== undefined && entry.type !== type) throw wrongType()
    return entry as Entry<T> | undefined
  }

  /** Like read, but creates an empty entry (not yet counted) when the key is missing. */
  write<T>(key: string, type: EntryType, empty: () => T): Entry<T> {
    const existing = this.read<T>(key, type)
    if (existing) return existing
    const entry: Entry<T> = { type, value: empty(), expiresAt: 0, bytes: 0 }
    this.#insert(key, entry as Entry)
    return entry
  }

  /** Stores a whole new entry under `key`, replacing whatever was there (SET semantics). */
  put(key: string, type: EntryType, value: unknown, bytes: number, expiresAt = 0): Entry {
    this.#checkFits(bytes)
    this.delete(key)
    const entry: Entry = { type, value, expiresAt: 0, bytes: 0 }
    this.#insert(key, entry)
    this.setExpiry(key, entry, expiresAt)
    this.resize(key, entry, bytes)
    return entry
  }

  /**
   * Records that `entry`'s value now takes `bytes`, then evicts least-recently-used keys while
   * the store is over its byte budget. Call after every mutation of a collection.
   */
  resize(key: string, entry: Entry, bytes: number): void {
    this.#checkFits(bytes)
    this.usedBytes += bytes - entry.bytes
    entry.bytes = bytes
    while (this.usedBytes > this.maxBytes && this.#lru.size > 1) {
      const lruKey = this.#lruTail()
      if (lruKey === key) {
        this.#lru.get(key) // make it most recent, then evict the next one
        continue
      }
      this.#lru.pop()
    }
  }

  /** Deletes a collection that has become empty (Redis never keeps empty collections). */
  dropIfEmpty(key: string, size: number): void {
    if (size === 0) this.delete(key)
  }

  delete(key: string): boolean {
    const entry = this.index.get(key)
    if (entry === undefined) return false
    this.#lru.delete(key)
    this.#forget(key, entry, false)
    return true
  }

  setExpiry(key: string, entry: Entry, expiresAt: number): void {
    entry.expiresAt = expiresAt
    if (expiresAt === 0) this.#expiring.delete(key)
    else {
      this.#expiring.add(key)
      this.#startSweeper()
    }
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = undefined
  }

  #insert(key: string, entry: Entry): void {
    this.index.set(key, entry)
    this.usedBytes += ENTRY_OVERHEAD + key.length
    this.#lru.set(key, entry)
  }

  #forget(key: string, entry: Entry, evicted: boolean): void {
    if (this.index.get(key) !== entry) return
    this.index.delete(key)
    this.#expiring.delete(key)
    this.usedBytes -= entry.bytes + ENTRY_OVERHEAD + key.length
    this.#onRemove?.(key, entry)
    if (evicted) {
      this.evicted++
      this.#onEvict?.(key)
    }
  }

  #checkFits(bytes: number): void {
    if (bytes > this.maxBytes) {
      throw new RedisKitError(
        'LIMIT_EXCEEDED',
        `a value of ${bytes} bytes does not fit in the memory store (maxBytes ${this.maxBytes}); raise maxBytes`,
      )
    }
  }

  #lruTail(): string | undefined {
    for (const key of this.#lru.rkeys()) return key
    return undefined
  }

  #startSweeper(): void {
    if (this.#timer) return
    this.#timer = setInterval(() => this.#sweep(), SWEEP_INTERVAL_MS)
    this.#timer.unref()
  }

  /** Active expiry: look at a bounded number of volatile keys per tick, round-robin. */
  #sweep(): void {
    if (this.#expiring.size === 0) {
      this.close()
      return
    }
    const now = this.now()
    for (let i = 0; i < SWEEP_BATCH; i++) {
      this.#sweepIterator ??= this.#expiring.values()
      const next = this.#sweepIterator.next()
      if (next.done) {
        this.#sweepIterator = undefined
        return
      }
      const entry = this.index.get(next.value)
      if (entry && entry.expiresAt !== 0 && entry.expiresAt <= now) {
        this.expired++
        this.delete(next.value)
      }
    }
  }
}
