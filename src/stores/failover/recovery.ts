/**
 * Recovery: probe the primary with exponential backoff and jitter (p-retry), then replay the
 * journal in order, in batches, before the circuit closes and reads return to Redis. Under
 * load new writes keep arriving during the replay, so the last batches are sent while new calls
 * wait at a gate (at most one deadline), and the circuit closes the moment the journal is empty. A replay
 * cut short (a second outage) leaves the unconfirmed entries in place; counting writes carry
 * their op ids, so an entry that did run before the cut is skipped by its guard next time.
 */
import pRetry from 'p-retry'
import { isKitError, type RedisKitError } from '../../errors.js'
import { withDeadline } from '../../internal/deadline.js'
import type { Store } from '../types.js'
import type { JournalEntry } from './journal.js'
import {
  ackOp,
  countingScript,
  isInDoubt,
  isOutage,
  type RouterContext,
  sendCounting,
  sendGuardedScript,
} from './router.js'

export interface RecoveryOptions {
  minDelayMs: number
  maxDelayMs: number
  batchSize: number
  signal: AbortSignal
  /** Called for an entry Redis refused (an answer, not an outage): it can never apply. */
  onRejected(entry: JournalEntry, err: RedisKitError): void
  /** Called for an in-doubt counting entry older than the op-log retention: it is dropped. */
  onUncertain(entry: JournalEntry): void
  onReplayed(count: number): void
}

/** Resolves once the primary answers a ping (rejects only when aborted). */
export function probe(primary: Store, timeoutMs: number, o: RecoveryOptions): Promise<void> {
  return pRetry(
    async () => {
      await withDeadline(primary.ping(), timeoutMs, 'probe')
    },
    {
      retries: Number.POSITIVE_INFINITY,
      factor: 2,
      minTimeout: o.minDelayMs,
      maxTimeout: o.maxDelayMs,
      randomize: true,
      signal: o.signal,
      unref: true,
    },
  )
}

function replayOne(ctx: RouterContext, entry: JournalEntry): Promise<unknown> {
  if (entry.kind === 'command') {
    if (countingScript(entry.name)) return sendCounting(ctx, entry.name, entry.args, entry.opId)
    return (ctx.primary[entry.name] as (...a: unknown[]) => Promise<unknown>)(...entry.args)
  }
  if (entry.script.idempotent) return ctx.primary.eval(entry.script, entry.keys, entry.args)
  return sendGuardedScript(ctx, entry.script, entry.keys, entry.args, entry.opId)
}

function firstKey(entry: JournalEntry): string {
  return entry.kind === 'command' ? (entry.args[0] as string) : (entry.keys[0] ?? '')
}

function isGuarded(entry: JournalEntry): boolean {
  return entry.kind === 'command' ? countingScript(entry.name) !== undefined : !entry.script.idempotent
}

const CATCH_UP_ROUNDS = 50

/**
 * Replays the journal; throws the outage that interrupted it. 'catch-up' stops once what is
 * left fits in one batch (or after 50 rounds: writes keep arriving meanwhile); 'drain' — run
 * while new calls wait at the gate — stops only when the journal is empty, so the caller can
 * close the circuit in the same tick.
 */
export async function replay(
  ctx: RouterContext,
  o: RecoveryOptions,
  until: 'catch-up' | 'drain',
): Promise<void> {
  let rounds = 0
  for (let idle = 0; ctx.journal.size > 0 || ctx.journal.hasReserved(); ) {
    o.signal.throwIfAborted()
    if (until === 'catch-up' && (ctx.journal.size <= o.batchSize || rounds++ >= CATCH_UP_ROUNDS)) return
    const batch = ctx.journal.head(o.batchSize)
    if (batch.length === 0) {
      // the oldest place is still reserved by a call in flight: it settles within its deadline
      if (++idle > 1000) throw new Error('journal head stayed reserved')
      await new Promise((resolve) => setTimeout(resolve, 5))
      continue
    }
    idle = 0
    const now = Date.now()
    const settled = await Promise.allSettled(
      batch.map(([, entry]) => {
        if (entry.inDoubt && isGuarded(entry) && now - entry.at > ctx.opLog.retentionMs) {
          o.onUncertain(entry)
          return Promise.resolve()
        }
        entry.at = now
        return withDeadline(replayOne(ctx, entry), ctx.timeoutMs, 'replay')
      }),
    )
    // every entry whose outcome was lost may have run (or still run), also past the first outage
    settled.forEach((result, i) => {
      if (result.status === 'rejected' && isOutage(result.reason))
        batch[i]![1].inDoubt ||= isInDoubt(result.reason)
    })
    const done: number[] = []
    let outage: RedisKitError | undefined
    for (let i = 0; i < settled.length; i++) {
      const result = settled[i]!
      const [seq, entry] = batch[i]!
      if (result.status === 'fulfilled') {
        done.push(seq)
        // an entry sent before (in doubt) may have copies still on their way: keep its id
        if (isGuarded(entry) && !entry.inDoubt) ackOp(ctx, firstKey(entry), entry.opId)
        continue
      }
      if (isOutage(result.reason)) {
        outage = result.reason
        // keep order: everything from here is sent again. Guarded entries that did run skip
        // themselves, as long as their ids stay in the op log: they are not acked (above).
        break
      }
      if (isKitError(result.reason)) o.onRejected(entry, result.reason)
      done.push(seq)
    }
    ctx.journal.remove(done)
    if (done.length > 0) o.onReplayed(done.length)
    if (outage) throw outage
  }
}
