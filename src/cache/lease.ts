/**
 * The cross-process single flight of getOrSet: a short lease (SET NX PX with a token) elects one
 * loader; the others wait for the bus to say the key changed (or poll), then read the value.
 *
 * Taking the lease is one command (a script: SET NX PX, and whether the value exists), so a miss
 * costs one round trip more than a cache without it. The lease key shares the value key's
 * cluster slot; the holder writes the value, then releases the lease in the same round trip, so
 * whoever takes the lease next also sees the value. The holder
 * renews the lease while its loader runs; if it dies, the lease expires and a waiter takes over;
 * past `waitMs` a waiter loads by itself. Leases are ephemeral: never replayed to Redis.
 */
import { ephemeral } from '../stores/durability.js'
import type { Store } from '../stores/types.js'
import type { Bus } from './bus.js'
import type { Entry } from './envelope.js'
import { releaseLease, renewLease, takeLease } from './scripts.js'

export type Outcome =
  /** `release` stops renewing and deletes the lease: call it in the same tick as the value write. */
  | { kind: 'acquired'; release(): Promise<void> }
  /** Another process stored the value meanwhile. */
  | { kind: 'found'; entry: Entry }
  /** Another process holds the lease and the caller would not wait. */
  | { kind: 'busy' }
  /** No lease (waited too long, or the store failed): load without one. */
  | { kind: 'none' }

export interface LeaseConfig {
  store: Store
  bus: Bus
  ttlMs: number
  waitMs: number
  newToken(): string
  onError(err: unknown, operation: string, key: string): void
}

const POLL_MS = 100

export class Leases {
  readonly #c: LeaseConfig

  constructor(config: LeaseConfig) {
    this.#c = config
  }

  /**
   * Takes the lease of `key`, or waits for the value. `read` gives the stored value as an entry
   * when it ends the wait (fresh, valid, newer than what a refresh replaces). `wait: false`
   * (refreshes) gives up at once when another process holds the lease, and loads when it takes it
   * even if a value is there (the one it refreshes).
   */
  async obtain(
    key: string,
    leaseKey: string,
    read: () => Promise<Entry | undefined>,
    wait: boolean,
    on: { wait(): void; timeout(): void },
  ): Promise<Outcome> {
    const token = this.#c.newToken()
    const deadline = Date.now() + this.#c.waitMs
    let waited = false
    for (;;) {
      let taken: number
      try {
        taken = Number(await this.#c.store.eval(takeLease, [leaseKey, key], [token, this.#c.ttlMs]))
      } catch (err) {
        this.#c.onError(err, 'lease', key)
        return { kind: 'none' }
      }
      if (taken === 1 || (taken === 2 && !wait))
        return { kind: 'acquired', release: this.#holder(key, leaseKey, token) }
      if (taken === 2) {
        // a value appeared since the caller's read: use it if it is good
        const entry = await read().catch(() => undefined)
        if (entry !== undefined) {
          void this.#release(leaseKey, token, key)
          return { kind: 'found', entry }
        }
        return { kind: 'acquired', release: this.#holder(key, leaseKey, token) }
      }
      if (!wait) return { kind: 'busy' }
      if (!waited) {
        waited = true
        on.wait()
      }
      const left = deadline - Date.now()
      if (left <= 0) {
        on.timeout()
        return { kind: 'none' }
      }
      this.#c.bus.start()
      await this.#c.bus.waitFor(key, Math.min(POLL_MS, left))
      const entry = await read().catch(() => undefined)
      if (entry !== undefined) return { kind: 'found', entry }
    }
  }

  /** Renews the lease while the loader runs; the returned function stops renewing and releases it. */
  #holder(key: string, leaseKey: string, token: string): () => Promise<void> {
    const every = Math.max(50, Math.floor(this.#c.ttlMs / 3))
    const timer = setInterval(() => {
      ephemeral(() => this.#c.store.eval(renewLease, [leaseKey], [token, this.#c.ttlMs])).catch((err) =>
        this.#c.onError(err, 'lease', key),
      )
    }, every)
    timer.unref?.()
    let released: Promise<void> | undefined
    return () => {
      if (released === undefined) {
        clearInterval(timer)
        released = this.#release(leaseKey, token, key)
      }
      return released
    }
  }

  #release(leaseKey: string, token: string, key: string): Promise<void> {
    return ephemeral(() => this.#c.store.eval(releaseLease, [leaseKey], [token])).then(
      () => {},
      (err) => this.#c.onError(err, 'lease', key),
    )
  }
}
