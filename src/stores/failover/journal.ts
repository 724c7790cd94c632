/**
 * The outage journal: durable writes served by the fallback, kept in call order until they are
 * replayed on Redis. A write sent to Redis first reserves its place, so that a write that times
 * out later still replays before writes made after it. Bounded: when full, the oldest entries
 * are dropped, counted, and reported. Map order is sequence order: places are created in
 * increasing order and filling a reserved place keeps its position.
 */
import type { CommandName, Script, StoreValue } from '../types.js'
import { fold, keysOf } from './coalesce.js'

interface EntryState {
  opId: string
  /** It may have run on Redis already (its outcome was lost): replay it guarded. */
  inDoubt: boolean
  /** When it was last sent (or made). */
  at: number
  /** Taken for replay: nothing may be folded into it any more. */
  sealed?: boolean
}

export type JournalEntry =
  | ({ kind: 'command'; name: CommandName; args: unknown[] } & EntryState)
  | ({ kind: 'script'; script: Script; keys: string[]; args: StoreValue[] } & EntryState)

const PENDING = Symbol('pending')

export class Journal {
  readonly #max: number
  readonly #entries = new Map<number, JournalEntry | typeof PENDING>()
  readonly #onDrop: (count: number) => void
  /** The newest entry of each key, for folding increments (see coalesce.ts). */
  readonly #newest = new Map<string, number>()
  #next = 0
  #filled = 0
  dropped = 0
  replayed = 0

  constructor(max: number, onDrop: (count: number) => void) {
    this.#max = max
    this.#onDrop = onDrop
  }

  /** Entries waiting for replay (reserved places not counted). */
  get size(): number {
    return this.#filled
  }

  /** Whether some write sent to Redis has not settled yet (its place is still reserved). */
  hasReserved(): boolean {
    return this.#entries.size > this.#filled
  }

  /** Reserves the next place, for a write whose outcome is not known yet. */
  reserve(): number {
    const seq = this.#next++
    this.#entries.set(seq, PENDING)
    return seq
  }

  /** Gives up a reservation (the write reached Redis). */
  release(seq: number): void {
    if (this.#entries.get(seq) === PENDING) this.#entries.delete(seq)
  }

  /** Fills a reservation, or appends when `seq` is omitted (folding increments where it can). */
  add(entry: JournalEntry, seq?: number): void {
    if (seq !== undefined && this.#entries.get(seq) !== PENDING) return
    const keys = keysOf(entry)
    if (seq === undefined && keys.length === 1) {
      const newest = this.#entries.get(this.#newest.get(keys[0]!) ?? -1)
      if (newest && newest !== PENDING && fold(newest, entry)) return
    }
    const place = seq ?? this.#next++
    this.#entries.set(place, entry)
    // a filled reservation is older than what followed it: it only becomes the newest if none is
    for (const key of keys) if (seq === undefined || !this.#newest.has(key)) this.#newest.set(key, place)
    this.#filled++
    if (this.#filled > this.#max) this.#dropOldest()
  }

  /** Up to `count` entries in order, stopping at a place still reserved. */
  head(count: number): [number, JournalEntry][] {
    const out: [number, JournalEntry][] = []
    for (const [seq, entry] of this.#entries) {
      if (entry === PENDING || out.length >= count) break
      entry.sealed = true
      out.push([seq, entry])
    }
    return out
  }

  /** Removes entries that reached Redis. */
  remove(seqs: number[]): void {
    for (const seq of seqs) {
      const entry = this.#entries.get(seq)
      if (entry === undefined || entry === PENDING) continue
      this.#forget(seq, entry)
      this.replayed++
    }
  }

  #forget(seq: number, entry: JournalEntry): void {
    this.#entries.delete(seq)
    this.#filled--
    for (const key of keysOf(entry)) if (this.#newest.get(key) === seq) this.#newest.delete(key)
  }

  #dropOldest(): void {
    let dropped = 0
    for (const [seq, entry] of this.#entries) {
      if (this.#filled <= this.#max) break
      if (entry === PENDING) continue
      this.#forget(seq, entry)
      dropped++
    }
    this.dropped += dropped
    if (dropped > 0) this.#onDrop(dropped)
  }
}
