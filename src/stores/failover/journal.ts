/**
 * The outage journal: durable writes served by the fallback, kept in call order until they are
 * replayed on Redis. A write sent to Redis first reserves its place, so that a write that times
 * out later still replays before writes made after it. Bounded: when full, the oldest entries
 * are dropped, counted, and reported. Map order is sequence order: places are created in
 * increasing order and filling a reserved place keeps its position.
 */
import type { CommandName, Script, StoreValue } from '../types.js'

export type JournalEntry =
  | { kind: 'command'; name: CommandName; args: unknown[]; opId: string; inDoubt: boolean; at: number }
  | {
      kind: 'script'
      script: Script
      keys: string[]
      args: StoreValue[]
      opId: string
      inDoubt: boolean
      at: number
    }

const PENDING = Symbol('pending')

export class Journal {
  readonly #max: number
  readonly #entries = new Map<number, JournalEntry | typeof PENDING>()
  readonly #onDrop: (count: number) => void
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

  /** Fills a reservation, or appends when `seq` is omitted. */
  add(entry: JournalEntry, seq?: number): void {
    if (seq !== undefined && this.#entries.get(seq) !== PENDING) return
    this.#entries.set(seq ?? this.#next++, entry)
    this.#filled++
    if (this.#filled > this.#max) this.#dropOldest()
  }

  /** Up to `count` entries in order, stopping at a place still reserved. */
  head(count: number): [number, JournalEntry][] {
    const out: [number, JournalEntry][] = []
    for (const [seq, entry] of this.#entries) {
      if (entry === PENDING || out.length >= count) break
      out.push([seq, entry])
    }
    return out
  }

  /** Removes entries that reached Redis. */
  remove(seqs: number[]): void {
    for (const seq of seqs) {
      if (this.#entries.delete(seq)) {
        this.#filled--
        this.replayed++
      }
    }
  }

  #dropOldest(): void {
    let dropped = 0
    for (const [seq, entry] of this.#entries) {
      if (this.#filled <= this.#max) break
      if (entry === PENDING) continue
      this.#entries.delete(seq)
      this.#filled--
      dropped++
    }
    this.dropped += dropped
    if (dropped > 0) this.#onDrop(dropped)
  }
}
