/**
 * The 'local' outage policy: while the store cannot answer, this process enforces each limit on
 * its own memory store, running the very same script (its JavaScript twin), with every limit
 * divided by `instances` so that a fleet of that many processes stays within the limit.
 *
 * The memory store is created on the first outage (so a healthy limiter holds no timer) and is
 * bounded like any memory store. Nothing local is written back to Redis: when Redis answers
 * again it counts again, from what it had.
 */
import { createMemoryStore, type MemoryStore } from '../stores/memory/index.js'
import type { Script } from '../stores/types.js'

/** The limit one of `instances` processes enforces alone: never below the request's cost. */
export function share(limit: number, instances: number, cost: number): number {
  return Math.max(cost, Math.floor(limit / instances))
}

export class LocalLimits {
  #store: MemoryStore | undefined
  #closed = false

  run(script: Script<string>, keys: string[], args: string[]): Promise<string> {
    return this.#memory().eval(script, keys, args)
  }

  /** Bounded like any memory store; what it evicts is the least recently limited identifier. */
  #memory(): MemoryStore {
    this.#store ??= createMemoryStore({ maxKeys: 100_000, maxBytes: 32 * 1024 * 1024 })
    return this.#store
  }

  /** Forgets local state of these keys (reset). */
  async del(keys: string[]): Promise<void> {
    if (this.#store && keys.length > 0) await this.#store.del(keys)
  }

  /** Blocks locally too (block during an outage). */
  async block(script: Script<number>, key: string, ms: number): Promise<void> {
    if (this.#closed) return
    await this.#memory().eval(script, [key], ['', ms])
  }

  async close(): Promise<void> {
    this.#closed = true
    const store = this.#store
    this.#store = undefined
    await store?.close()
  }
}
