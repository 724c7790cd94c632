/**
 * The state one cache and all its namespaces share (store, L1, bus, tag versions, flights,
 * leases, stats), and the read path: L1, then the store, with tag versions checked on the way.
 *
 * Keys: values `<prefix>cache:v:<ns><key>`, tag versions `<prefix>cache:t:<ns><tag>`, leases
 * `<prefix>cache:l:{<slot tag>}:<ns><key>` (in the value's cluster slot), bus `<prefix>cache:bus`.
 */
import { randomBytes } from 'node:crypto'
import { keySlot } from '../internal/slot.js'
import { slotTag } from '../internal/slot-tags.js'
import type { Store } from '../stores/types.js'
import { ReadBatcher } from './batcher.js'
import { Bus } from './bus.js'
import { Cascade } from './cascade.js'
import { accept, attach, tagsHold } from './check.js'
import type { Entry, TagState } from './envelope.js'
import { type Flight, Flights } from './flights.js'
import { L1 } from './l1.js'
import { Leases } from './lease.js'
import type { ResolvedOptions } from './options.js'
import { Signals } from './signals.js'
import { Tags } from './tags.js'
import type { CacheStats } from './types.js'

export class Core {
  readonly store: Store
  readonly o: ResolvedOptions
  readonly now: () => number
  readonly id = randomBytes(6).toString('base64url')
  readonly valueBase: string
  readonly tagBase: string
  readonly l1: L1 | undefined
  readonly bus: Bus
  readonly leases: Leases | undefined
  readonly flights = new Flights()
  /** Store reads of values, coalesced per tick into MGETs. */
  readonly reads: ReadBatcher
  readonly cascade = new Cascade()
  readonly signals = new Signals()
  readonly tags: Tags
  /** Background refreshes in flight. */
  readonly background = new Set<Promise<unknown>>()
  /** Until when a key's refresh is not retried after a failure. */
  readonly backoff = new Map<string, number>()
  #tokens = 0
  closed = false

  constructor(store: Store, o: ResolvedOptions) {
    this.store = store
    this.reads = new ReadBatcher(store)
    this.o = o
    this.now = o.now
    this.valueBase = `${o.prefix}cache:v:`
    this.tagBase = `${o.prefix}cache:t:`
    // The bus and the leases run on every store (two caches on one memory store coordinate too);
    // the L1 only in front of a remote store (the memory store is in process already).
    const onError = (err: unknown) => this.signals.error(err, 'bus')
    this.bus = new Bus(store, `${o.prefix}cache:bus`, this.id, this.#busHandlers(), onError)
    if (store.name !== 'memory' && o.l1 !== false)
      this.l1 = new L1(this.valueBase, o.l1.maxEntries, o.l1.maxBytes)
    if (o.lease !== false) {
      this.leases = new Leases({
        store,
        bus: this.bus,
        ttlMs: o.lease.ttlMs,
        waitMs: o.lease.waitMs,
        newToken: () => this.newToken(),
        onError: (err, operation, key) => this.signals.error(err, operation, key),
      })
    }
    this.tags = new Tags({
      store,
      keyOf: (tag) => this.tagBase + tag,
      now: this.now,
      maxAgeMs: o.l1 === false ? 60_000 : o.l1.maxAgeMs,
      cacheable: () => this.bus.ready,
      newToken: () => this.newToken(),
    })
  }

  #busHandlers() {
    return {
      keys: (keys: string[]) => {
        for (const key of keys) {
          this.flights.invalidate(key)
          this.l1?.delete(key)
        }
      },
      tags: (tags: string[]) => {
        this.flights.invalidateAll()
        this.tags.drop(tags)
      },
      prefixes: (prefixes: string[]) => {
        this.flights.invalidateAll()
        this.l1?.dropPrefixes(prefixes)
      },
    }
  }

  /** A unique token (lease owner, tag version). */
  newToken(): string {
    return `${this.id}.${(this.#tokens++).toString(36)}`
  }

  /** The lease key of a value key, in the same cluster slot. */
  leaseKey(key: string): string {
    const suffix = key.slice(this.valueBase.length)
    const slot = keySlot(key)
    const candidate = `${this.o.prefix}cache:l:{${slotTag(slot)}}:${suffix}`
    return keySlot(candidate) === slot ? candidate : `{${slotTag(slot)}}${this.o.prefix}cache:l:${suffix}`
  }

  /** Whether a value read now may be kept in the L1 (it would hear about changes). */
  canFill(): boolean {
    if (this.l1 === undefined) return false
    if (!this.bus.ready) this.bus.start()
    return this.bus.ready && !this.closed
  }

  fill(key: string, entry: Entry): void {
    if (this.canFill()) this.l1!.set(key, entry, this.now() + (this.o.l1 as { maxAgeMs: number }).maxAgeMs)
  }

  /**
   * The L1's answer for `key` (synchronous): an entry within its grace period whose tag versions
   * hold; or the tags to fetch with the store read (the entry's versions must be re-checked);
   * or undefined (read the store). The caller checks freshness.
   */
  fromL1(key: string, now: number): Entry | readonly string[] | undefined {
    const cached = this.l1?.get(key)
    if (cached === undefined || now >= cached.l1Until!) return undefined
    if (tagsHold(cached, now, this.tags.epoch)) return cached
    const refs = this.tags.check(cached.tags!, now)
    if (refs === false) {
      this.l1!.delete(key)
      return undefined
    }
    if (refs === undefined) return cached.tags!.map(([tag]) => tag)
    this.attach(cached, refs)
    cached.l1Fresh = Math.min(cached.freshUntil, cached.l1Limit!, cached.refsUntil!)
    return cached
  }

  /**
   * The entry of `key` while it is within its grace period (the caller checks freshness), from
   * the L1 or the store; undefined when missing or invalid. `tags`: versions to fetch in the
   * same round trip as the value. Store errors are reported and read as a miss.
   */
  read(key: string, tags?: readonly string[]): Entry | Promise<Entry | undefined> | undefined {
    if (!this.bus.ready) this.bus.start()
    const l1 = this.fromL1(key, this.now())
    if (l1 !== undefined && !Array.isArray(l1)) return l1 as Entry
    return this.readStore(key, (l1 as readonly string[] | undefined) ?? tags)
  }

  /** The store read of `key`, shared by concurrent readers. */
  readStore(key: string, tags?: readonly string[]): Promise<Entry | undefined> {
    const flight = this.flights.take(key)
    if (flight.read !== undefined) return flight.read
    flight.read = this.#readStore(key, tags, flight)
    return flight.read
  }

  async #readStore(
    key: string,
    tags: readonly string[] | undefined,
    flight: Flight,
  ): Promise<Entry | undefined> {
    try {
      let stored: Buffer | null
      try {
        const prefetch = tags?.some((tag) => this.tags.peek(tag, this.now()) === undefined)
        stored = prefetch
          ? (await Promise.all([this.reads.get(key), this.tags.fetch(tags!)]))[0]
          : await this.reads.get(key)
      } catch (err) {
        this.signals.error(err, 'get', this.userKey(key))
        return undefined
      }
      if (stored === null) return undefined
      const checked = this.accept(key, stored, false)
      const entry = checked instanceof Promise ? await checked : checked
      if (entry !== undefined && !flight.stale) this.fill(key, entry)
      return entry
    } finally {
      flight.read = undefined
      this.flights.release(key, flight)
    }
  }

  /** See check.ts. */
  accept(key: string, stored: Buffer, fresh: boolean): Entry | undefined | Promise<Entry | undefined> {
    return accept(this, key, stored, fresh)
  }

  attach(entry: Entry, refs: TagState[]): void {
    attach(this, entry, refs)
  }

  /** The key as the user wrote it (with its namespace), for events. */
  userKey(key: string): string {
    return key.slice(this.valueBase.length)
  }

  stats(): CacheStats {
    const c = this.signals.counters
    return {
      ...c,
      hits: c.l1Hits + c.l2Hits,
      evictions: this.l1?.evictions ?? 0,
      l1: this.l1 === undefined ? null : { entries: this.l1.entries, bytes: this.l1.bytes },
    }
  }

  /** Tracks a background task so that settle() and close() can wait for it. */
  track(task: Promise<unknown>): void {
    this.background.add(task)
    task.finally(() => this.background.delete(task)).catch(() => {})
  }
}
