/**
 * Blocked stream reads of the memory store. A read that found nothing waits on its keys; when a
 * key is touched (an entry added, the key removed, a group destroyed) the waiters of that key
 * are served in arrival order, right after the operation that touched it (a microtask later,
 * before the caller's continuation), by running the read again on that key only — as Redis
 * serves a blocked client on the key that became ready. A wait ends with null after its block
 * time, or rejects with the signal's reason when aborted.
 */
import type { RedisKitError } from '../../../errors.js'

interface Waiter {
  keys: readonly string[]
  attempt(key: string): unknown
  settle(result: { value: unknown } | { error: unknown }): void
}

export class StreamWaiters {
  readonly #byKey = new Map<string, Waiter[]>()
  readonly #ready = new Set<string>()
  #scheduled = false

  /** Waiters blocked now. */
  get size(): number {
    let n = 0
    for (const list of this.#byKey.values()) n += list.length
    return n
  }

  wait<T>(
    keys: readonly string[],
    attempt: (key: string) => T | null,
    blockMs: number,
    signal: AbortSignal | undefined,
  ): Promise<T | null> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise<T | null>((resolve, reject) => {
      const timer = setTimeout(() => waiter.settle({ value: null }), blockMs)
      const onAbort = () => waiter.settle({ error: signal!.reason })
      let done = false
      const waiter: Waiter = {
        keys,
        attempt,
        settle: (result) => {
          if (done) return
          done = true
          clearTimeout(timer)
          signal?.removeEventListener('abort', onAbort)
          this.#remove(waiter)
          if ('error' in result) reject(result.error)
          else resolve(result.value as T | null)
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      for (const key of keys) {
        const list = this.#byKey.get(key)
        if (list) list.push(waiter)
        else this.#byKey.set(key, [waiter])
      }
    })
  }

  /** `key` changed: its waiters are served after the current operation. */
  touch(key: string): void {
    if (!this.#byKey.has(key)) return
    this.#ready.add(key)
    if (this.#scheduled) return
    this.#scheduled = true
    queueMicrotask(() => this.#serve())
  }

  /** Rejects every waiter (the store closed). */
  close(error: RedisKitError): void {
    for (const list of [...this.#byKey.values()]) for (const waiter of [...list]) waiter.settle({ error })
    this.#byKey.clear()
  }

  #serve(): void {
    this.#scheduled = false
    const keys = [...this.#ready]
    this.#ready.clear()
    for (const key of keys) {
      for (const waiter of [...(this.#byKey.get(key) ?? [])]) {
        try {
          const value = waiter.attempt(key)
          if (value !== null) waiter.settle({ value })
        } catch (error) {
          waiter.settle({ error })
        }
      }
    }
  }

  #remove(waiter: Waiter): void {
    for (const key of waiter.keys) {
      const list = this.#byKey.get(key)
      if (!list) continue
      const i = list.indexOf(waiter)
      if (i !== -1) list.splice(i, 1)
      if (list.length === 0) this.#byKey.delete(key)
    }
  }
}
