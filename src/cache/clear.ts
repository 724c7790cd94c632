/**
 * Pattern clears: SCAN (every master of a cluster: the store's scan visits them all) and UNLINK
 * in bounded batches, only under the cache's prefix and namespace (escaped, so a prefix or
 * namespace is never a glob). The pattern itself is a Redis glob: escape user input in it with
 * `escapeGlob` or the `glob` template. Other processes drop, from their L1, every key under the
 * pattern's literal prefix (a superset of what matched: harmless).
 *
 * During a failover outage the scan sees only the memory store, so a clear made then is made
 * again on Redis when the store reports `recovered` (the store contract has no journal entry for
 * "delete what matches").
 *
 * watchStore reacts to what a store reports outside of replies, both optional capabilities looked
 * up by name (without them the L1's maxAge bounds how long a missed message can leave a value
 * stale): a subscription gap (bus messages were missed: the L1, the cached tag versions and the
 * work in flight are dropped), and `recovered` (a FailoverStore back on Redis: the clears of the
 * outage are made again; deletes and tag invalidations need nothing, their journaled scripts
 * publish their bus messages to every process when replayed).
 */
import { invalidArgument } from '../errors.js'
import { describe, escapeGlob } from '../internal/keys.js'
import type { Core } from './core.js'

const BATCH = 500
const MAX_PENDING = 1000

interface Degradable {
  state?: () => string
}

export class Clears {
  readonly #core: Core
  /** SCAN MATCH patterns cleared while the store was degraded, made again on recovery. */
  readonly #pending = new Map<string, string>()

  constructor(core: Core) {
    this.#core = core
  }

  async clear(base: string, pattern: string): Promise<number> {
    if (typeof pattern !== 'string' || pattern.length === 0) {
      throw invalidArgument(
        `clear pattern must be a non-empty glob string like 'user:42:*' (got ${describe(pattern)})`,
      )
    }
    const match = escapeGlob(base) + pattern
    const literal = base + literalPrefix(pattern)
    const degraded = this.#degraded()
    const deleted = await this.#run(match, literal)
    if (degraded || this.#degraded()) {
      this.#pending.set(match, literal)
      if (this.#pending.size > MAX_PENDING) this.#pending.delete(this.#pending.keys().next().value as string)
    }
    return deleted
  }

  async #run(match: string, literal: string): Promise<number> {
    const core = this.#core
    let deleted = 0
    try {
      for await (const keys of core.store.scan({ match, count: BATCH })) {
        for (let i = 0; i < keys.length; i += BATCH)
          deleted += await core.store.unlink(keys.slice(i, i + BATCH))
      }
    } finally {
      core.flights.invalidateAll()
      core.l1?.dropPrefixes([literal])
    }
    core.signals.counters.invalidations++
    await core.bus.publish('p', [literal])
    return deleted
  }

  #degraded(): boolean {
    const store = this.#core.store as unknown as Degradable
    return typeof store.state === 'function' && store.state() !== 'closed'
  }

  /** Makes the clears of an outage again, now that the store reaches Redis. */
  rerun(): void {
    const core = this.#core
    const pending = [...this.#pending]
    this.#pending.clear()
    for (const [match, literal] of pending) {
      core.track(this.#run(match, literal).catch((err) => core.signals.error(err, 'clear')))
    }
  }
}

/** The part of a glob before its first wildcard, unescaped: every match starts with it. */
export function literalPrefix(glob: string): string {
  let out = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*' || c === '?' || c === '[') break
    if (c === '\\') {
      if (i + 1 >= glob.length) break
      out += glob[++i]
    } else out += c
  }
  return out
}

interface Observable {
  onSubscriptionGap?: (listener: (gap: { since: number; until: number }) => void) => () => void
  on?: (event: string, listener: () => void) => () => void
}

/** Starts watching; returns the function that stops. */
export function watchStore(core: Core, clears: Clears): () => void {
  const store = core.store as unknown as Observable
  const offs: (() => void)[] = []
  if (typeof store.onSubscriptionGap === 'function') {
    offs.push(
      store.onSubscriptionGap(() => {
        core.flights.invalidateAll()
        core.l1?.clear()
        core.tags.dropAll()
      }),
    )
  }
  if (typeof store.on === 'function' && typeof (store as { state?: unknown }).state === 'function') {
    const off = store.on('recovered', () => clears.rerun())
    if (typeof off === 'function') offs.push(off)
  }
  return () => {
    for (const off of offs.splice(0)) off()
  }
}
