/**
 * wrap() and wrapStream(): functions like the model call that answer from the cache or call
 * through. wrap runs through the cache's getOrSet (single flight across processes, errors never
 * cached) and answers a miss as soon as the model did; wrapStream replays recorded streams and
 * shares live ones within the process (stream.ts).
 */
import type { Cache } from '../cache/index.js'
import { invalidArgument } from '../errors.js'
import { toMs } from '../internal/duration.js'
import { describe } from '../internal/keys.js'
import { type Accounting, type Outcome, usageOf, usageOfChunks } from './accounting.js'
import type { KeyedRequest } from './key.js'
import type { ResolvedLLMOptions } from './options.js'
import type { Found, Rec, SemanticLayer } from './semantic-layer.js'
import { isIterable, LiveStream, replayStream } from './stream.js'
import type { LLMCallOptions, LLMRequest, Scope, WrapOptions, WrapStreamOptions } from './types.js'

/** What wrap and wrapStream share with the LLM cache that made them. */
export interface LLMContext {
  o: ResolvedLLMOptions
  view: Cache
  acct: Accounting
  semantic: SemanticLayer | undefined
  keyed(messages: unknown, opts: unknown, scope: Scope | undefined, kind?: 'text' | 'stream'): KeyedRequest
  skip(k: KeyedRequest, optIn: boolean): boolean
  track(work: Promise<unknown>): void
  ttlMsOf(ttl: unknown): number
  /** Streams being recorded in this process, by key. */
  streams: Map<string, LiveStream<never>>
}

function fromArgs<A extends unknown[]>(w: WrapOptions<A>, args: A) {
  const req = w.request ? w.request(...args) : (args[0] as LLMRequest)
  if (typeof req !== 'object' || req === null) {
    throw invalidArgument(
      `the wrapped function's first argument must be the request { messages | prompt, model, … } (got ${describe(req)}); or pass options.request`,
    )
  }
  const { messages, ...rest } = req
  const scope = typeof w.scope === 'function' ? w.scope(...args) : w.scope
  return { messages, rest, scope }
}

export function wrap<A extends unknown[], R>(
  ctx: LLMContext,
  callModel: (...args: A) => Promise<R> | R,
  w: WrapOptions<A> = {},
): (...args: A) => Promise<R> {
  const { o, view, acct, semantic, keyed, skip, track, ttlMsOf } = ctx
  if (typeof callModel !== 'function') {
    throw invalidArgument(`llm.wrap needs the function that calls the model (got ${describe(callModel)})`)
  }
  const optIn = w.nondeterministic ?? o.nondeterministic
  const ttl = w.ttl ?? o.ttl
  return async (...args) => {
    const { messages, rest, scope } = fromArgs(w, args)
    const k = keyed(messages, rest, scope)
    if (skip(k, optIn)) return callModel(...args)
    let outcome = 'hit' as Outcome
    let found: Found | undefined
    // a miss answers as soon as the model did: the write goes on in the background
    let answered!: (rec: Rec) => void
    const early = new Promise<Rec>((resolve) => {
      answered = resolve
    })
    const stored = view.getOrSet<Rec>(
      k.key,
      async (ctx) => {
        found = semantic ? await semantic.lookup(k) : undefined
        if (found?.rec && 'v' in found.rec) {
          outcome = 'semantic'
          ctx.skip()
          return found.rec
        }
        outcome = 'miss'
        const t0 = performance.now()
        const response = await Promise.resolve()
          .then(() => callModel(...args))
          .catch((err: unknown) => {
            acct.totals.errors++
            throw err
          })
        const rec: Rec = {
          v: response,
          m: k.model,
          u: usageOf(response),
          ms: Math.round(performance.now() - t0),
        }
        answered(rec)
        return rec
      },
      { ttl, tags: w.tags },
    )
    const rec = await Promise.race([stored, early])
    acct.record(outcome, k.model, rec.u, rec.ms, k.scopeId)
    // the vector once the answer is in the store, so that whoever finds it can read the answer
    if (outcome === 'miss') track(semantic ? stored.then(() => semantic.add(k, found, ttlMsOf(ttl))) : stored)
    return rec.v as never
  }
}

export function wrapStream<A extends unknown[], C>(
  ctx: LLMContext,
  streamModel: (...args: A) => AsyncIterable<C> | Promise<AsyncIterable<C>>,
  w: WrapStreamOptions<A> = {},
): (...args: A) => AsyncIterable<C> {
  const { o, view, acct, semantic, keyed, skip, streams } = ctx
  if (typeof streamModel !== 'function') {
    throw invalidArgument(
      `llm.wrapStream needs the function that streams from the model (got ${describe(streamModel)})`,
    )
  }
  const optIn = w.nondeterministic ?? o.nondeterministic
  const ttl = w.ttl ?? o.ttl
  const paceMs = w.pace === undefined ? 0 : toMs(w.pace, 'pace')
  return (...args) => {
    const { messages, rest, scope } = fromArgs(w, args)
    const k = keyed(messages, rest, scope, 'stream')
    const open = async () => {
      const source = await streamModel(...args)
      if (!isIterable(source)) {
        throw invalidArgument(
          `the wrapped stream function must return an async iterable of chunks (got ${describe(source)})`,
        )
      }
      return source as AsyncIterable<never>
    }
    async function* run() {
      if (skip(k, optIn)) return yield* await open()
      let live = streams.get(k.key)
      if (!live) {
        const rec = await view.get<Rec>(k.key)
        const found: Found = rec?.s ? { at: 0, rec } : semantic ? await semantic.lookup(k) : { at: 0 }
        if (found.rec?.s) {
          acct.record(rec?.s ? 'hit' : 'semantic', k.model, found.rec.u, found.rec.ms, k.scopeId)
          return yield* replayStream(found.rec.s as never[], paceMs)
        }
        live = streams.get(k.key) // another caller may have started it meanwhile
        if (!live) {
          acct.record('miss', k.model, undefined, 0, k.scopeId)
          return yield* startStream(ctx, k, open, found, ttl, w.tags).join()
        }
      }
      acct.record('hit', k.model, undefined, 0, k.scopeId) // joined a live stream
      yield* live.join()
    }
    return { [Symbol.asyncIterator]: () => run()[Symbol.asyncIterator]() }
  }
}

/** Starts recording a stream (joined by identical requests until it ends), and stores it at its end. */
function startStream(
  ctx: LLMContext,
  k: KeyedRequest,
  open: () => Promise<AsyncIterable<never>>,
  found: Found,
  ttl: LLMCallOptions['ttl'],
  tags: readonly string[] | undefined,
): LiveStream<never> {
  const { acct, view, semantic, streams } = ctx
  const t0 = performance.now()
  const live = new LiveStream<never>(open, (end) => {
    if ('error' in end) acct.totals.errors++
    if (!('chunks' in end)) return undefined
    const ms = Math.round(performance.now() - t0)
    const stored: Rec = { s: end.chunks, m: k.model, u: usageOfChunks(end.chunks), ms }
    return view
      .set(k.key, stored, { ttl, tags })
      .then(() => semantic?.add(k, found, ctx.ttlMsOf(ttl)))
      .catch(() => acct.totals.writeErrors++)
  })
  streams.set(k.key, live)
  ctx.track(live.finished.finally(() => streams.get(k.key) === live && streams.delete(k.key)))
  return live
}
