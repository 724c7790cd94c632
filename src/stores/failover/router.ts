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
import { COMMANDS, checkCommand } from '../commands.js'
import { isEphemeral } from '../durability.js'
import { formatScore, parseScore } from '../redis-commands.js'
import type { CommandName, Script, ScriptReply, Store, StoreValue } from '../types.js'
import { COUNTING_COMMANDS, type CountingCommand, guarded } from './guard.js'
import type { Journal, JournalEntry } from './journal.js'
import type { OpLog } from './op-log.js'

export interface RouterContext {
  primary: Store
  fallback(): Store | undefined
  breaker: CircuitBreaker
  journal: Journal
  opLog: OpLog
  timeoutMs: number
  onSuccess(): void
  /** A primary call failed; `durable`: a write now waits in the journal (the circuit must open). */
  onFailure(err: RedisKitError, durable: boolean): void
  counters: { primary: number; fallback: number }
  /** Set while recovery drains the last journal entries: new calls wait for it (bounded). */
  gate?: Promise<void>
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

/** The ARGV a counting command takes inside its guard, and how its reply is read back. */
const COUNTING_WIRE: Record<CountingCommand, (args: unknown[]) => StoreValue[]> = {
  incrby: (a) => [String(a[1])],
  incrbyfloat: (a) => [String(a[1])],
  hincrby: (a) => [a[1] as string, String(a[2])],
  zincrby: (a) => [formatScore(a[1] as number), a[2] as string],
}

export function countingScript(name: CommandName): Script | undefined {
  return (COUNTING_COMMANDS as Record<string, Script>)[name]
}

/** Sends a counting command guarded by `opId` to `store` and reads the reply as the command's. */
export function sendCounting(ctx: RouterContext, name: CommandName, args: unknown[], opId: string) {
  const key = args[0] as string
  const logKey = ctx.opLog.keyFor(key)
  const acks = ctx.opLog.takeAcks(logKey)
  const argv = [...ctx.opLog.argv(opId, acks), ...COUNTING_WIRE[name as CountingCommand](args)]
  return ctx.primary.eval(guarded(countingScript(name)!), [logKey, key], argv).then(
    (reply) => {
      ctx.opLog.ack(logKey, opId)
      return reply === null ? null : name === 'zincrby' ? parseScore(reply) : Number(reply)
    },
    (err: unknown) => {
      ctx.opLog.putBack(logKey, acks)
      throw err
    },
  )
}

/** Sends a script that is not idempotent guarded by `opId`. */
export function sendGuardedScript(
  ctx: RouterContext,
  script: Script,
  keys: readonly string[],
  args: readonly StoreValue[],
  opId: string,
) {
  const logKey = ctx.opLog.keyFor(keys[0] ?? '')
  const acks = ctx.opLog.takeAcks(logKey)
  return ctx.primary.eval(guarded(script), [logKey, ...keys], [...ctx.opLog.argv(opId, acks), ...args]).then(
    (reply) => {
      ctx.opLog.ack(logKey, opId)
      return reply
    },
    (err: unknown) => {
      ctx.opLog.putBack(logKey, acks)
      throw err
    },
  )
}

type Attempt = () => Promise<unknown>
type Fallback = (store: Store) => Promise<unknown>

export interface Route {
  /** A write that must survive an outage: a failure opens the circuit at once. */
  durable: boolean
  /** The call on the primary (run under the deadline while the circuit is closed). */
  attempt: Attempt
  /** The same call on the fallback. */
  fallback: Fallback
  /** The journal entry of a durable call served by the fallback (omit to journal it yourself). */
  entry?: (inDoubt: boolean, opId?: string) => JournalEntry
  /** The op id the attempt was guarded with, reused by its journal entry. */
  opId?: string
}

/**
 * Runs one call: on the primary when the circuit is closed (under the deadline), else — or on
 * an outage — on the fallback, journaling the call's entry when it is durable.
 */
export async function route(ctx: RouterContext, call: Route): Promise<unknown> {
  const journaled = call.durable && call.entry !== undefined
  if (ctx.gate && !ctx.breaker.isClosed) {
    // recovery is sending the last journal entries: wait for the circuit to close (bounded)
    await withDeadline(ctx.gate, ctx.timeoutMs, 'recovery').catch(() => {})
  }
  if (ctx.breaker.isClosed) {
    const seq = journaled ? ctx.journal.reserve() : -1
    try {
      const result = await withDeadline(call.attempt(), ctx.timeoutMs, 'Redis call')
      ctx.counters.primary++
      ctx.onSuccess()
      if (seq >= 0) ctx.journal.release(seq)
      return result
    } catch (err) {
      if (!isOutage(err)) {
        if (seq >= 0) ctx.journal.release(seq)
        throw err
      }
      ctx.onFailure(err, call.durable)
      const entry = journaled ? () => call.entry!(isInDoubt(err), call.opId) : undefined
      return serveFromFallback(ctx, call.fallback, entry, seq)
    }
  }
  return serveFromFallback(ctx, call.fallback, journaled ? () => call.entry!(false) : undefined, -1)
}

async function serveFromFallback(
  ctx: RouterContext,
  run: Fallback,
  entry: (() => JournalEntry) | undefined,
  seq: number,
) {
  const fallback = ctx.fallback()
  if (!fallback) {
    if (seq >= 0) ctx.journal.release(seq)
    throw new RedisKitError('UNAVAILABLE', 'Redis is unavailable and this store has no fallback')
  }
  try {
    const result = await run(fallback)
    ctx.counters.fallback++
    if (entry) ctx.journal.add(entry(), seq >= 0 ? seq : undefined)
    return result
  } catch (err) {
    if (seq >= 0) ctx.journal.release(seq)
    throw err
  }
}

/** A contract command through the router. */
export function routeCommand(ctx: RouterContext, name: CommandName, args: unknown[]): Promise<unknown> {
  try {
    checkCommand(name, args, { maxValueBytes: Number.POSITIVE_INFINITY })
  } catch (err) {
    return Promise.reject(err)
  }
  const durable = COMMANDS[name].write && !isEphemeral()
  const counting = durable && countingScript(name) !== undefined
  const opId = counting ? ctx.opLog.newId() : undefined
  const call = (store: Store) => (store[name] as (...a: unknown[]) => Promise<unknown>)(...args)
  return route(ctx, {
    durable,
    attempt: () => (counting ? sendCounting(ctx, name, args, opId!) : call(ctx.primary)),
    fallback: call,
    entry: (inDoubt, id) => ({
      kind: 'command',
      name,
      args,
      opId: id ?? ctx.opLog.newId(),
      inDoubt,
      at: Date.now(),
    }),
    opId,
  })
}

/** A script through the router: guarded on the primary unless it is idempotent. */
export function routeScript(
  ctx: RouterContext,
  script: Script,
  keys: readonly string[],
  args: readonly StoreValue[],
) {
  const durable = script.durable && !isEphemeral()
  const guard = durable && !script.idempotent
  const opId = guard ? ctx.opLog.newId() : undefined
  return route(ctx, {
    durable,
    attempt: () =>
      guard ? sendGuardedScript(ctx, script, keys, args, opId!) : ctx.primary.eval(script, keys, args),
    fallback: (store) => store.eval(script, keys, args),
    entry: (inDoubt, id) => ({
      kind: 'script',
      script,
      keys: [...keys],
      args: [...args],
      opId: id ?? ctx.opLog.newId(),
      inDoubt,
      at: Date.now(),
    }),
    opId,
  }) as Promise<ScriptReply>
}
