/**
 * @module stores/failover
 * createFailoverStore: Redis as the source of truth, a fallback store (memory by default) while
 * Redis is unavailable. Every call to Redis has a deadline; a circuit breaker stops waiting on
 * a failing Redis; durable writes made meanwhile are journaled and replayed once, in order,
 * before reads return to Redis. See docs/failover.md.
 */
import { RedisKitError } from '../../errors.js'
import { CircuitBreaker, type CircuitState } from '../../internal/circuit-breaker.js'
import { Deadlines } from '../../internal/deadlines.js'
import { toMs } from '../../internal/duration.js'
import { Emitter } from '../../internal/events.js'
import { parseOptions } from '../../internal/options.js'
import { COMMANDS } from '../commands.js'
import { createMemoryStore, type MemoryStoreOptions } from '../memory/index.js'
import type { CommandName, Commands, Store } from '../types.js'
import { routeBatch } from './batch.js'
import { Journal, type JournalEntry } from './journal.js'
import { OpLog } from './op-log.js'
import { type FailoverStoreOptions, failoverOptionsSchema } from './options.js'
import { FailoverSubscriptions } from './pubsub.js'
import { probe, replay } from './recovery.js'
import { isOutage, type RouterContext, route } from './router.js'
import { routeCommand, routeScript } from './routes.js'

export type { FailoverStoreOptions } from './options.js'

export interface FailoverEvents {
  /** The circuit opened: calls are served by the fallback. */
  failover: [info: { reason: RedisKitError }]
  /** The journal was replayed and the circuit closed: calls go to Redis again. */
  recovered: [info: { downtimeMs: number; replayed: number }]
  /** A batch of journal entries reached Redis. */
  replayed: [info: { count: number }]
  /** A full journal dropped its oldest entries. */
  dropped: [info: { count: number }]
  /** Something went wrong that no caller saw (a refused replay, a failed probe setup, …). */
  error: [error: RedisKitError]
  /** A configuration problem worth knowing about (e.g. an evicting maxmemory-policy). */
  warning: [message: string]
  [event: string]: unknown[]
}

export interface FailoverStats {
  state: CircuitState
  primary: number
  fallback: number
  failovers: number
  journal: { size: number; dropped: number; replayed: number }
  /** Replay entries Redis refused (they could never apply). */
  rejected: number
  /** In-doubt counting writes older than the op-log retention: dropped rather than risk counting twice. */
  uncertain: number
}

export interface FailoverStore extends Store {
  readonly primary: Store
  /** The store serving calls while the circuit is open (undefined with `fallback: false`). */
  readonly fallback: Store | undefined
  state(): CircuitState
  stats(): FailoverStats
  on<K extends keyof FailoverEvents>(event: K, listener: (...args: FailoverEvents[K]) => void): () => void
}

export function createFailoverStore(options: FailoverStoreOptions): FailoverStore {
  const opts = parseOptions(failoverOptionsSchema, options, 'createFailoverStore')
  const primary = opts.primary
  const memoryOptions = opts.memory as MemoryStoreOptions | undefined
  const ownsFallback = opts.fallback === undefined
  let fallback: Store | undefined =
    opts.fallback === false ? undefined : (opts.fallback ?? createMemoryStore(memoryOptions))
  const events = new Emitter<FailoverEvents>()
  const breaker = new CircuitBreaker(opts.failureThreshold)
  const journal = new Journal(opts.maxJournal, (count) => events.emit('dropped', { count }))
  const counters = { primary: 0, fallback: 0, failovers: 0, rejected: 0, uncertain: 0 }
  const abort = new AbortController()
  let recovery: Promise<void> | undefined
  let closed = false

  const timeoutMs = toMs(opts.timeout, 'timeout')
  const ctx: RouterContext = {
    primary,
    fallback: () => fallback,
    breaker,
    journal,
    opLog: new OpLog(opts.opLog.key, toMs(opts.opLog.retention)),
    timeoutMs,
    deadlines: new Deadlines(timeoutMs, 'Redis call', Math.max(5, Math.min(25, Math.floor(timeoutMs / 8)))),
    maxValueBytes: (primary as { maxValueBytes?: number }).maxValueBytes ?? Number.POSITIVE_INFINITY,
    counters,
    onSuccess: () => breaker.success(),
    onFailure(err, durable) {
      const opened = breaker.failure() || (durable && breaker.isClosed && forceOpen())
      if (opened) {
        counters.failovers++
        events.emit('failover', { reason: err })
        startRecovery()
      }
    },
  }
  const subscriptions = new FailoverSubscriptions(primary, () => fallback, ctx.timeoutMs)

  function forceOpen(): boolean {
    breaker.reopen()
    breaker.openedAt = Date.now()
    return true
  }

  function startRecovery(): void {
    if (recovery || closed) return
    recovery = recover().finally(() => {
      recovery = undefined
    })
  }

  async function recover(): Promise<void> {
    const recoveryOptions = {
      minDelayMs: toMs(opts.probe.minDelay),
      maxDelayMs: toMs(opts.probe.maxDelay),
      batchSize: opts.replayBatch,
      signal: abort.signal,
      onRejected: (_entry: JournalEntry, err: RedisKitError) => {
        counters.rejected++
        events.emit(
          'error',
          new RedisKitError(err.code, `a journaled write was refused on replay: ${err.message}`, {
            cause: err,
          }),
        )
      },
      onUncertain: () => {
        counters.uncertain++
      },
      onReplayed: (count: number) => events.emit('replayed', { count }),
    }
    while (!closed) {
      try {
        await probe(primary, ctx.timeoutMs, recoveryOptions)
        breaker.recovering()
        const before = journal.replayed
        await replay(ctx, recoveryOptions, 'catch-up')
        await subscriptions.restorePrimary(breaker.openedAt)
        let open!: () => void
        ctx.gate = new Promise<void>((resolve) => {
          open = resolve
        })
        try {
          await replay(ctx, recoveryOptions, 'drain')
          breaker.close() // same tick as the check that the journal is empty
        } finally {
          ctx.gate = undefined
          open()
        }
        events.emit('recovered', {
          downtimeMs: Date.now() - breaker.openedAt,
          replayed: journal.replayed - before,
        })
        await resetFallback()
        return
      } catch (err) {
        if (closed || abort.signal.aborted) return
        breaker.reopen()
        if (!isOutage(err))
          events.emit(
            'error',
            err instanceof RedisKitError ? err : new RedisKitError('UNAVAILABLE', String(err)),
          )
      }
    }
  }

  /** After a replay everything durable is in Redis: start the next outage from a clean memory. */
  async function resetFallback(): Promise<void> {
    if (!ownsFallback || !fallback || !breaker.isClosed) return
    const old = fallback
    const next = createMemoryStore(memoryOptions)
    fallback = next
    await subscriptions.moveFallback(next)
    await old.close()
  }

  const commands = {} as Record<CommandName, (...args: unknown[]) => Promise<unknown>>
  for (const name of Object.keys(COMMANDS) as CommandName[]) {
    commands[name] = (...args: unknown[]) => (closed ? rejectClosed() : routeCommand(ctx, name, args))
  }

  const store: FailoverStore = {
    ...(commands as unknown as Commands),
    name: primary.name,
    primary,
    get fallback() {
      return fallback
    },
    eval: (script, keys, args) => (closed ? rejectClosed() : routeScript(ctx, script, keys, args)) as never,
    batch: (batch) => (closed ? rejectClosed() : routeBatch(ctx, batch)) as never,
    scan: (scanOptions) => scanWithFallback(ctx, scanOptions),
    subscribe: (channel, handler) => subscriptions.add('subscribe', channel, handler),
    psubscribe: (pattern, handler) => subscriptions.add('psubscribe', pattern, handler),
    onSubscriptionGap: (listener) => subscriptions.onGap(listener),
    ping: () =>
      route(ctx, {
        durable: false,
        attempt: () => primary.ping(),
        fallback: (s) => s.ping(),
      }) as Promise<number>,
    info: () =>
      route(ctx, { durable: false, attempt: () => primary.info(), fallback: (s) => s.info() }) as never,
    async close() {
      if (closed) return
      closed = true
      abort.abort()
      subscriptions.clear()
      await recovery?.catch(() => {})
      await Promise.allSettled([
        opts.closePrimary ? primary.close() : undefined,
        ownsFallback ? fallback?.close() : undefined,
      ])
    },
    state: () => breaker.state,
    stats: () => ({
      state: breaker.state,
      primary: counters.primary,
      fallback: counters.fallback,
      failovers: counters.failovers,
      journal: { size: journal.size, dropped: journal.dropped, replayed: journal.replayed },
      rejected: counters.rejected,
      uncertain: counters.uncertain,
    }),
    on: (event, listener) => events.on(event, listener as never),
  }
  const primaryEvents = primary as Partial<{ on(e: string, l: (err: RedisKitError) => void): unknown }>
  primaryEvents.on?.('error', (err) => events.emit('error', err))
  return store
}

function rejectClosed(): Promise<never> {
  return Promise.reject(new RedisKitError('CLOSED', 'the store is closed'))
}

async function* scanWithFallback(ctx: RouterContext, options: Parameters<Store['scan']>[0]) {
  if (ctx.breaker.isClosed) {
    try {
      for await (const keys of ctx.primary.scan(options)) yield keys
      return
    } catch (err) {
      if (!isOutage(err) || !ctx.fallback()) throw err
      ctx.onFailure(err, false)
    }
  }
  const fallback = ctx.fallback()
  if (!fallback) throw new RedisKitError('UNAVAILABLE', 'Redis is unavailable and this store has no fallback')
  yield* fallback.scan(options)
}
