/**
 * Counters and events of a cache. Emitting costs nothing while nobody listens: the hot path
 * checks a boolean that on()/off() keep up to date.
 */
import { isKitError, RedisKitError } from '../errors.js'
import { Emitter } from '../internal/events.js'
import type { CacheEvents, CacheStats } from './types.js'

export type Counters = Omit<CacheStats, 'l1' | 'evictions' | 'hits'>

export class Signals {
  readonly counters: Counters = {
    l1Hits: 0,
    l2Hits: 0,
    misses: 0,
    stale: 0,
    loads: 0,
    loadErrors: 0,
    leaseWaits: 0,
    leaseTimeouts: 0,
    sets: 0,
    deletes: 0,
    invalidations: 0,
    errors: 0,
  }
  /** Whether someone listens to cache:hit / cache:miss (checked on every read). */
  hitListeners = false
  missListeners = false
  readonly #events = new Emitter<CacheEvents>()

  on<K extends keyof CacheEvents>(event: K, listener: (...args: CacheEvents[K]) => void): () => void {
    const off = this.#events.on(event, listener as never)
    this.#refresh()
    return () => {
      off()
      this.#refresh()
    }
  }

  #refresh(): void {
    this.hitListeners = this.#events.listenerCount('cache:hit') > 0
    this.missListeners = this.#events.listenerCount('cache:miss') > 0
  }

  hit(key: string, tier: 'l1' | 'l2'): void {
    if (tier === 'l1') this.counters.l1Hits++
    else this.counters.l2Hits++
    if (this.hitListeners) this.#events.emit('cache:hit', { key, tier })
  }

  miss(key: string): void {
    this.counters.misses++
    if (this.missListeners) this.#events.emit('cache:miss', { key })
  }

  /** An absorbed error: counted and emitted, never thrown. */
  error(err: unknown, operation: string, key?: string): void {
    this.counters.errors++
    const error = isKitError(err)
      ? err
      : new RedisKitError('COMMAND_ERROR', `cache ${operation}: ${(err as Error)?.message ?? String(err)}`, {
          cause: err,
        })
    this.#events.emit('cache:error', key === undefined ? { error, operation } : { error, operation, key })
  }

  /** A loader failed where nobody awaits it (a background refresh): its own error is emitted. */
  loaderError(err: unknown, key: string): void {
    const error = err instanceof Error ? err : new Error(String(err))
    this.#events.emit('cache:error', { error, operation: 'refresh', key })
  }

  clear(): void {
    this.#events.removeAllListeners()
    this.#refresh()
  }
}

/** Errors that mean "the store cannot answer now": absorbed by reads and value writes. */
export function isOutage(err: unknown): boolean {
  return isKitError(err, 'UNAVAILABLE') || isKitError(err, 'TIMEOUT') || isKitError(err, 'CLOSED')
}
