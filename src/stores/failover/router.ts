/**
 * The FailoverStore's call path. Closed circuit: the call goes to the primary under a deadline;
 * a counting write goes guarded with an op id; a durable write first reserves its place in the
 * journal. An outage (UNAVAILABLE or TIMEOUT) or an open circuit: the call is served by the
 * fallback and, when durable, journaled in call order. Errors that are answers (WRONGTYPE,
 * INVALID_ARGUMENT, …) reach the caller unchanged: they are not outages.
 */
import { isKitError, RedisKitError } from '../../errors.js'
import type { CircuitBreaker } from '../../internal/circuit-breaker.js'
import { withDeadline } from '../../internal/deadline.js'
import type { Deadlines } from '../../internal/deadlines.js'
import type { Store } from '../types.js'
import type { Journal, JournalEntry } from './journal.js'
import type { OpLog } from './op-log.js'

export { ackOp, countingScript, sendCounting, sendGuardedScript } from './send.js'

export interface RouterContext {
  primary: Store
  fallback(): Store | undefined
  breaker: CircuitBreaker
  journal: Journal
  opLog: OpLog
  timeoutMs: number
  /** The deadline of every primary call, swept without a timer per call. */
  deadlines: Deadlines
  onSuccess(): void
  /** A primary call failed; `durable`: a write now waits in the journal (the circuit must open). */
  onFailure(err: RedisKitError, durable: boolean): void
  counters: { primary: number; fallback: number }
  /** Set while recovery drains the last journal entries: new calls wait for it (bounded). */
  gate?: Promise<void>
  /** The primary's value limit (checked here: guarded writes reach it as script arguments). */
  maxValueBytes: number
}

/** Errors that mean "the primary cannot answer now" (as opposed to an answer that is an error). */
export function isOutage(err: unknown): err is RedisKitError {
  return isKitError(err, 'UNAVAILABLE') || isKitError(err, 'TIMEOUT')
}

const NEVER_SENT = /isn't writeable|not ready|connection ended|is closed/i

/** Whether a failed write may nevertheless have run on the server. */
export function isInDoubt(err: RedisKitError): boolean {
  return err.code === 'TIMEOUT' || !NEVER_SENT.test(err.message)
}

/** One call to route: an object literal, or an object whose methods live on its class (routes.ts). */
export interface Route {
  /** A write that must survive an outage: a failure opens the circuit at once. */
  readonly durable: boolean
  /** The call on the primary (run under the deadline while the circuit is closed). */
  attempt(): Promise<unknown>
  /** The same call on the fallback. */
  fallback(store: Store): Promise<unknown>
  /**
   * The journal entry of a durable call served by the fallback (omit to journal it yourself);
   * `result` is what the fallback answered (an XADD journals the id it assigned).
   */
  entry?(inDoubt: boolean, opId?: string, result?: unknown): JournalEntry
  /** The op id the attempt was guarded with, reused by its journal entry. */
  readonly opId?: string
  /** Called when the attempt succeeded within the deadline (a guarded write acks its op id). */
  ack?(): void
  /** Added to the deadline: a blocking read may take its block time. */
  readonly blockMs?: number
}

/**
 * Runs one call: on the primary when the circuit is closed (under the deadline), else — or on
 * an outage — on the fallback, journaling the call's entry when it is durable. (Promise chains,
 * not async/await: this is on every call, and each await is a tick.)
 */
export function route(ctx: RouterContext, call: Route): Promise<unknown> {
  if (ctx.gate && !ctx.breaker.isClosed) {
    // recovery is sending the last journal entries: wait for the circuit to close (bounded)
    return withDeadline(ctx.gate, ctx.timeoutMs, 'recovery').then(
      () => routeNow(ctx, call),
      () => routeNow(ctx, call),
    )
  }
  return routeNow(ctx, call)
}

function routeNow(ctx: RouterContext, call: Route): Promise<unknown> {
  const journaled = call.durable && call.entry !== undefined
  if (!ctx.breaker.isClosed) {
    const entry = journaled ? (result: unknown) => call.entry!(false, undefined, result) : undefined
    return serveFromFallback(ctx, call, entry, -1)
  }
  const seq = journaled ? ctx.journal.reserve() : -1
  let attempt: Promise<unknown>
  try {
    attempt = call.attempt()
  } catch (err) {
    attempt = Promise.reject(err)
  }
  const bounded = call.blockMs
    ? withDeadline(attempt, ctx.timeoutMs + call.blockMs, 'Redis call')
    : ctx.deadlines.bound(attempt)
  return bounded.then(
    (result) => {
      call.ack?.()
      ctx.counters.primary++
      ctx.onSuccess()
      if (seq >= 0) ctx.journal.release(seq)
      return result
    },
    (err: unknown) => {
      if (!isOutage(err)) {
        if (seq >= 0) ctx.journal.release(seq)
        throw err
      }
      ctx.onFailure(err, call.durable)
      const entry = journaled
        ? (result: unknown) => call.entry!(isInDoubt(err), call.opId, result)
        : undefined
      return serveFromFallback(ctx, call, entry, seq)
    },
  )
}

async function serveFromFallback(
  ctx: RouterContext,
  call: Route,
  entry: ((result: unknown) => JournalEntry) | undefined,
  seq: number,
) {
  const fallback = ctx.fallback()
  if (!fallback) {
    if (seq >= 0) ctx.journal.release(seq)
    throw new RedisKitError('UNAVAILABLE', 'Redis is unavailable and this store has no fallback')
  }
  try {
    const result = await call.fallback(fallback)
    ctx.counters.fallback++
    if (entry) ctx.journal.add(entry(result), seq >= 0 ? seq : undefined)
    return result
  } catch (err) {
    if (seq >= 0) ctx.journal.release(seq)
    throw err
  }
}
