/**
 * createLLMCache(cache, options): LLM answers cached under a hash of everything that changes them,
 * per scope, in the `llm` namespace of a cache (two tiers, bus, tags). wrap() answers once per
 * request across processes through the cache's getOrSet lease; wrapStream() records and replays
 * streams; an optional semantic layer answers near-identical prompts. See docs/llm-cache.md.
 */
import type { Cache } from '../cache/index.js'
import { invalidArgument } from '../errors.js'
import { Accounting, usageOf } from './accounting.js'
import {
  DEFAULT_EXCLUDED,
  DEFAULT_MESSAGE_EXCLUDED,
  type KeyedRequest,
  type KeyRules,
  keyRequest,
} from './key.js'
import { type LLMCacheOptions, resolveLLMOptions, ttlToMs } from './options.js'
import { type Found, type Rec, SemanticLayer } from './semantic-layer.js'
import type { LLMCache, Scope } from './types.js'
import { type LLMContext, wrap, wrapStream } from './wrap.js'

const MAX_PENDING = 1000

export function createLLMCache(cache: Cache, options?: LLMCacheOptions): LLMCache {
  if (typeof cache !== 'object' || cache === null || typeof cache.namespace !== 'function') {
    throw invalidArgument(
      'createLLMCache needs a cache (createCache(store) or kit.cache) as its first argument',
    )
  }
  const o = resolveLLMOptions(options)
  const view = cache.namespace(o.namespace)
  const rules: KeyRules = {
    include: o.fields.include ? new Set(o.fields.include) : undefined,
    exclude: new Set([...DEFAULT_EXCLUDED, ...(o.fields.exclude ?? [])]),
    messageExclude: new Set([...DEFAULT_MESSAGE_EXCLUDED, ...(o.messageFields.exclude ?? [])]),
    maxBytes: o.maxPromptBytes,
  }
  const acct = new Accounting(o.pricing, o.analytics, () => acct.totals.writeErrors++)
  const semantic = o.semantic ? new SemanticLayer(view, o, acct) : undefined
  const background = new Set<Promise<unknown>>()
  /** Misses of get() waiting for their set(): when, and the prompt's vector. */
  const pending = new Map<string, Found>()
  const track = (work: Promise<unknown>) => {
    const p = work.catch(() => acct.totals.writeErrors++).finally(() => background.delete(p))
    background.add(p)
  }
  const keyed = (
    messages: unknown,
    opts: unknown,
    scope: Scope | undefined,
    kind: 'text' | 'stream' = 'text',
  ) => {
    if (o.private && (scope === undefined || scope === null)) {
      throw invalidArgument(
        'this LLM cache is private: pass a scope with every call ({ scope: { user: userId } }), or create it with private: false',
      )
    }
    return keyRequest(messages, opts, scope, rules, kind)
  }
  const skip = (k: KeyedRequest, optIn: boolean) => {
    if (!k.sampled || optIn) return false
    acct.totals.skipped++
    return true
  }
  const ttlMsOf = (ttl: unknown) => ttlToMs(ttl ?? o.ttl)

  const ctx: LLMContext = { o, view, acct, semantic, keyed, skip, track, ttlMsOf, streams: new Map() }
  return {
    keyOf: (messages, opts, call) => `${view.keyPrefix}${keyed(messages, opts, call?.scope).key}`,

    async get<R>(messages: readonly unknown[], opts?: object, call?: { scope?: Scope }) {
      const k = keyed(messages, opts, call?.scope)
      if (skip(k, o.nondeterministic)) return undefined
      const rec = await view.get<Rec>(k.key)
      if (rec !== undefined && 'v' in rec) {
        acct.record('hit', k.model, rec.u, rec.ms, k.scopeId)
        return rec.v as R
      }
      const found: Found = semantic ? await semantic.lookup(k) : { at: performance.now() }
      if (found.rec && 'v' in found.rec) {
        acct.record('semantic', k.model, found.rec.u, found.rec.ms, k.scopeId)
        return found.rec.v as R
      }
      if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!)
      pending.set(k.key, found)
      acct.record('miss', k.model, undefined, 0, k.scopeId)
      return undefined
    },

    async set(messages, opts, response, call) {
      const k = keyed(messages, opts, call?.scope)
      if (skip(k, o.nondeterministic)) return false
      const before = pending.get(k.key)
      pending.delete(k.key)
      const ms = before ? Math.round(performance.now() - before.at) : 0
      const ttl = call?.ttl ?? o.ttl
      await view.set(k.key, { v: response, m: k.model, u: usageOf(response), ms } satisfies Rec, {
        ttl,
        tags: call?.tags,
      })
      if (semantic) await semantic.add(k, before, ttlMsOf(ttl)).catch(() => acct.totals.writeErrors++)
      return true
    },

    invalidateTags: (tags) => view.invalidateTags(tags),
    async clear(scope) {
      semantic?.reset()
      if (scope === undefined) return view.clear()
      const { scopeId } = keyed([], {}, scope)
      const [answers, vectors] = await Promise.all([
        view.clear(`${scopeId}:*`),
        view.clear(`sem:${scopeId}:*`),
      ])
      return answers + vectors
    },
    async settle() {
      while (background.size > 0) await Promise.allSettled([...background])
    },
    stats: () => acct.stats(),
    wrap: (callModel, w) => wrap(ctx, callModel, w),
    wrapStream: (streamModel, w) => wrapStream(ctx, streamModel, w),
    async close() {
      await Promise.allSettled([...background])
      await semantic?.close()
    },
  }
}
