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

export type Outcome<R> = { ok: true; reply: R } | { ok: false; error: RedisKitError }

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

  // not async: the deadline's own promise carries the outcome (one promise per check, not two)
  eval<R extends ScriptReply>(
    script: Script<R>,
    keys: readonly string[],
    args: readonly StoreValue[],
  ): Promise<Outcome<R>> {
    const skip = this.#skip()
    if (skip) return Promise.resolve({ ok: false, error: skip })
    let sent: Promise<R>
    try {
      sent = this.#target.eval(script, keys, args)
    } catch (err) {
      sent = Promise.reject(err)
    }
    if (!this.#open) return this.#deadlines.bound(sent, this.#answered, this.#failed) as Promise<Outcome<R>>
    this.#probing = true
    return this.#deadlines.bound(
      sent,
      (reply) => {
        this.#probing = false
        return this.#answered(reply) as Outcome<R>
      },
      (err) => {
        this.#probing = false
        return this.#failed(err, true) as Outcome<R>
      },
    )
  }

  readonly #answered = (reply: unknown): Outcome<unknown> => {
    this.#success()
    return { ok: true, reply }
  }

  /** An outage becomes an outcome; anything else is a bug and is thrown. */
  readonly #failed = (err: unknown, probe = false): Outcome<unknown> => {
    if (!isOutage(err)) throw err
    this.#failure(err, probe)
    return { ok: false, error: err }
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
