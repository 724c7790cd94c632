/**
 * The in-process tier: an lru-cache bounded by entries and by bytes, holding decoded values (an
 * L1 hit parses nothing). Expiry is checked by the reader against the entry's own limits
 * (`l1Fresh`, `l1Until`), so no timer runs. What the bounds drop is counted.
 *
 * Entries are kept under the key as the caller wrote it (with its namespace, without the store
 * prefix): a hit on the root namespace builds no string, and the caller's string already carries
 * its hash. Methods take store keys (`<base><key>`) unless named `…Local`.
 */
import { LRUCache } from 'lru-cache'
import type { Entry } from './envelope.js'

/** Rough per-entry overhead (the entry object, the key, the LRU's slots), in bytes. */
const OVERHEAD = 120

export class L1 {
  readonly #lru: LRUCache<string, Entry>
  readonly #baseLength: number
  evictions = 0

  constructor(base: string, maxEntries: number, maxBytes: number) {
    this.#baseLength = base.length
    this.#lru = new LRUCache<string, Entry>({
      max: maxEntries,
      maxSize: maxBytes,
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') this.evictions++
      },
    })
  }

  /** The entry of a local key (namespace + key), expired or not (the caller checks). */
  getLocal(local: string): Entry | undefined {
    return this.#lru.get(local)
  }

  get(key: string): Entry | undefined {
    return this.#lru.get(key.slice(this.#baseLength))
  }

  set(storeKey: string, entry: Entry, maxAgeUntil: number): void {
    const key = storeKey.slice(this.#baseLength)
    entry.l1Limit = maxAgeUntil
    entry.l1Fresh = Math.min(entry.freshUntil, maxAgeUntil, entry.refsUntil ?? Number.POSITIVE_INFINITY)
    entry.l1Until = Math.min(entry.staleUntil, maxAgeUntil)
    const size = entry.size + key.length + OVERHEAD
    if (size > this.#lru.maxSize) {
      this.#lru.delete(key) // too large for the L1: the store keeps it
      return
    }
    this.#lru.set(key, entry, { size })
  }

  delete(key: string): void {
    this.#lru.delete(key.slice(this.#baseLength))
  }

  /** Drops every key that starts with one of `prefixes` (store keys). */
  dropPrefixes(prefixes: readonly string[]): void {
    const local = prefixes.map((p) => p.slice(this.#baseLength))
    for (const key of [...this.#lru.keys()]) {
      for (const p of local) {
        if (key.startsWith(p)) {
          this.#lru.delete(key)
          break
        }
      }
    }
  }

  clear(): void {
    this.#lru.clear()
  }

  get entries(): number {
    return this.#lru.size
  }

  get bytes(): number {
    return this.#lru.calculatedSize
  }
}
