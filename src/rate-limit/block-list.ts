/**
 * The in-process block list: identifiers known to be over their limit, answered without a round
 * trip until the moment the store said a unit frees up (or the block ends). It only ever denies,
 * so it cannot admit more than the limit; what it saves is the round trip of a client that keeps
 * sending while limited. Entries are exact for requests of one unit, so only those are cached.
 *
 * Its clock is this process's: an entry holds "denied for N ms from when the answer arrived",
 * never the Redis clock, so clock skew between hosts does not matter. Bounded (oldest dropped).
 * A `reset(id)` clears this process's entries; other processes keep theirs until they expire
 * (at most the retryAfter they were told).
 */
import type { RateLimitResult } from './types.js'

export interface BlockEntry {
  /** Local ms until which requests are denied. */
  until: number
  /** Local ms at which the quota is fully replenished (the store's resetAt on this clock). */
  resetUntil: number
  /** The denial the store answered (limit, policy, resetAt, and every policy for checkAll). */
  result: RateLimitResult
}

/** The signature of an explicit block(id): denies every policy of the identifier. */
export const ANY_POLICY = ''

export class BlockList {
  readonly #max: number
  readonly #ids = new Map<string, Map<string, BlockEntry>>()
  #size = 0
  dropped = 0

  constructor(maxSize: number) {
    this.#max = maxSize
  }

  get size(): number {
    return this.#size
  }

  /** The entry denying `signature` (or any policy) for `id` now, if any. */
  get(id: string, signature: string, now: number): BlockEntry | undefined {
    const entries = this.#ids.get(id)
    if (!entries) return undefined
    const hit = this.#live(id, entries, ANY_POLICY, now) ?? this.#live(id, entries, signature, now)
    return hit
  }

  set(id: string, signature: string, entry: BlockEntry): void {
    let entries = this.#ids.get(id)
    if (!entries) {
      if (this.#size >= this.#max) this.#evictOldest()
      entries = new Map()
      this.#ids.set(id, entries)
    }
    if (!entries.has(signature)) this.#size++
    entries.set(signature, entry)
  }

  /** Forgets every entry of `id`. */
  delete(id: string): void {
    const entries = this.#ids.get(id)
    if (!entries) return
    this.#size -= entries.size
    this.#ids.delete(id)
  }

  #live(id: string, entries: Map<string, BlockEntry>, signature: string, now: number) {
    const entry = entries.get(signature)
    if (!entry) return undefined
    if (entry.until > now) return entry
    entries.delete(signature)
    this.#size--
    if (entries.size === 0) this.#ids.delete(id)
    return undefined
  }

  #evictOldest(): void {
    const oldest = this.#ids.keys().next()
    if (oldest.done) return
    this.dropped += this.#ids.get(oldest.value)!.size
    this.delete(oldest.value)
  }
}
