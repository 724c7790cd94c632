/**
 * Work in flight per key: the store read that concurrent readers share, and the load that
 * concurrent getOrSet callers share (the per-process single flight). An invalidation of the key
 * (set, delete, a bus message) or of everything (tags, clear) detaches what is in flight: later
 * callers start afresh, and detached work never fills the L1 nor writes the store. That is what
 * makes a read that starts after an invalidation resolved never see the value from before it.
 */
import type { Entry, TagSnapshot } from './envelope.js'

export interface LoadResult {
  value: unknown
  /** The tags the value was stored with (explicit and inherited), for cascades. */
  tags: TagSnapshot | undefined
  /** Whether the value came from the store (another process loaded it) rather than our loader. */
  found: boolean
}

export interface Flight {
  /** Set when an invalidation detached this flight. */
  stale: boolean
  read: Promise<Entry | undefined> | undefined
  /** undefined result: a background load gave up (another process is refreshing). */
  load: Promise<LoadResult | undefined> | undefined
  /** Writes (set) holding the flight. */
  writes: number
}

export class Flights {
  readonly #byKey = new Map<string, Flight>()

  /** The key's current flight (created on demand). */
  take(key: string): Flight {
    let flight = this.#byKey.get(key)
    if (flight === undefined) {
      flight = { stale: false, read: undefined, load: undefined, writes: 0 }
      this.#byKey.set(key, flight)
    }
    return flight
  }

  /** Forgets a flight with nothing left in it. */
  release(key: string, flight: Flight): void {
    if (flight.read === undefined && flight.load === undefined && flight.writes === 0) {
      if (this.#byKey.get(key) === flight) this.#byKey.delete(key)
    }
  }

  invalidate(key: string): void {
    const flight = this.#byKey.get(key)
    if (flight === undefined) return
    flight.stale = true
    this.#byKey.delete(key)
  }

  invalidateAll(): void {
    for (const flight of this.#byKey.values()) flight.stale = true
    this.#byKey.clear()
  }

  get size(): number {
    return this.#byKey.size
  }
}
