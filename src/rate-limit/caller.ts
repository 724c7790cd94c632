/**
 * How a check reaches the store, and how it learns that the store cannot answer. A check is a
 * decision that only matters now, so the limiter — not the store — decides what happens during
 * an outage (its `onStoreError` policy):
 *
 * - Under a FailoverStore the check goes to its primary directly. Routed through the
 *   FailoverStore, a failed check would be answered by the shared fallback memory with the full
 *   limit and look like a Redis answer, so 'open', 'closed' and the `instances` divisor could
 *   not be honoured. While the FailoverStore's circuit is not closed, checks do not wait on
 *   Redis at all: its breaker already knows.
 * - On any store, a deadline bounds each call, and a small breaker stops waiting on a store that
 *   keeps failing (then lets one probe through, with backoff, until one succeeds).
 *
 * Outages are UNAVAILABLE, TIMEOUT and CLOSED. Other errors (WRONGTYPE on a key someone else
 * wrote, a script error) are bugs, not outages: they are thrown.
 */
import { isKitError, RedisKitError } from '../errors.js'
import { Deadlines } from '../internal/deadlines.js'
import type { Emitter } from '../internal/events.js'
import type { Script, ScriptReply, Store, StoreValue } from '../stores/types.js'
import type { RateLimitEvents } from './types.js'

interface FailoverLike {
  readonly primary: Store
  state(): string
}

function asFailover(store: Store): FailoverLike | undefined {
  const f = store as Partial<FailoverLike>
  return typeof f.state === 'function' && f.primary && typeof f.primary.eval === 'function'
    ? (f as FailoverLike)
    : undefined
}

export function isOutage(err: unknown): err is RedisKitError {
  return isKitError(err, 'UNAVAILABLE') || isKitError(err, 'TIMEOUT') || isKitError(err, 'CLOSED')
}

const MIN_PROBE_MS = 50
const MAX_PROBE_MS = 2000

export class StoreCaller {
  readonly #target: Store
  readonly #failover: FailoverLike | undefined
  readonly #deadlines: Deadlines
  readonly #threshold: number
  readonly #events: Emitter<RateLimitEvents>
  #failures = 0
  #open = false
  #probeAt = 0
  #probeDelay = MIN_PROBE_MS
  #probing = false
  #downSince = 0
  #lastError: RedisKitError | undefined

  constructor(store: Store, timeoutMs: number, threshold: number, events: Emitter<RateLimitEvents>) {
    this.#failover = asFailover(store)
    this.#target = this.#failover?.primary ?? store
    this.#deadlines = new Deadlines(timeoutMs, 'rate-limit check')
    this.#threshold = threshold
    this.#events = events
  }

  /** Whether checks are currently answered by the policy instead of the store. */
  get degraded(): boolean {
    return this.#downSince !== 0
  }

  /**
   * Runs `script` and maps its outcome in the deadline's own promise (one promise per check):
   * `onReply` gets the store's reply; `onOutage` gets the outage (UNAVAILABLE, TIMEOUT, CLOSED,
   * or the store not asked while its circuit is open) and may answer with a promise. Any other
   * error rejects.
   */
  run<R extends ScriptReply, U>(
    script: Script<R>,
    keys: readonly string[],
    args: readonly StoreValue[],
    onReply: (reply: R) => U,
    onOutage: (error: RedisKitError) => U | Promise<U>,
  ): Promise<U> {
    const skip = this.#skip()
    if (skip) {
      try {
        return Promise.resolve(onOutage(skip))
      } catch (err) {
        return Promise.reject(err)
      }
    }
    let sent: Promise<R>
    try {
      sent = this.#target.eval(script, keys, args)
    } catch (err) {
      sent = Promise.reject(err)
    }
    const probe = this.#open
    if (probe) this.#probing = true
    return this.#deadlines.bound<R, U | Promise<U>>(
      sent,
      (reply) => {
        if (probe) this.#probing = false
        this.#success()
        return onReply(reply)
      },
      (err) => {
        if (probe) this.#probing = false
        if (!isOutage(err)) throw err // a bug, not an outage
        this.#failure(err, probe)
        return onOutage(err)
      },
    ) as Promise<U>
  }

  /** Why the store is not asked now, or undefined to ask it. */
  #skip(): RedisKitError | undefined {
    if (this.#failover && this.#failover.state() !== 'closed') {
      const error = new RedisKitError('UNAVAILABLE', 'Redis is unavailable (the failover circuit is open)')
      this.#down(error)
      return error
    }
    if (!this.#open) return undefined
    if (this.#probing || Date.now() < this.#probeAt) {
      return new RedisKitError(
        'UNAVAILABLE',
        `the store is not answering (${this.#lastError?.message ?? 'circuit open'})`,
      )
    }
    return undefined
  }

  #success(): void {
    if (this.#failures === 0 && !this.#open && this.#downSince === 0) return
    this.#failures = 0
    this.#open = false
    this.#probeDelay = MIN_PROBE_MS
    if (this.#downSince !== 0) {
      const downtimeMs = Date.now() - this.#downSince
      this.#downSince = 0
      this.#events.emit('recovered', { downtimeMs })
    }
  }

  #failure(error: RedisKitError, probe: boolean): void {
    this.#lastError = error
    this.#events.emit('error', error)
    this.#down(error)
    if (probe) this.#probeDelay = Math.min(this.#probeDelay * 2, MAX_PROBE_MS)
    else if (++this.#failures < this.#threshold && !isKitError(error, 'CLOSED')) return
    this.#open = true
    this.#probeAt = Date.now() + this.#probeDelay * (0.5 + Math.random() / 2)
  }

  #down(reason: RedisKitError): void {
    if (this.#downSince !== 0) return
    this.#downSince = Date.now()
    this.#events.emit('degraded', { reason })
  }
}
