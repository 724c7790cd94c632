/**
 * The public shape of the LLM cache: requests, scopes, per-call options, wrap options, the cache
 * itself, its stats, and the seeds' delegates that kit.cache carries.
 */
import type { Ttl } from '../cache/index.js'
import type { Duration } from '../internal/duration.js'

/**
 * Who may see an answer. A string, or fields such as `{ tenant, user }`. Entries of one scope are
 * never served to another; without a scope, answers are shared by every caller.
 */
export type Scope = string | Readonly<Record<string, string | number | boolean | null | undefined>>

/** A chat request as OpenAI-style SDKs and the Vercel AI SDK take it. */
export interface LLMRequest {
  /** The conversation (role, content, tool calls …). One of messages or prompt is needed. */
  messages?: readonly unknown[]
  /** A single prompt (Vercel AI SDK `prompt`). */
  prompt?: unknown
  /** The model: a name, or an SDK model object (its `provider` and `modelId` are used). */
  model?: unknown
  [option: string]: unknown
}

/** Options of one get / set. */
export interface LLMCallOptions {
  /** Whose answer it is (see Scope). Required when the cache is `private`. */
  scope?: Scope
  /** TTL of what set stores. @default the cache's ttl (1 h) */
  ttl?: Ttl
  /** Tags of what set stores (invalidate with llm.invalidateTags). */
  tags?: readonly string[]
}

export interface WrapOptions<A extends unknown[]> {
  /** The request in the arguments. @default the first argument (`{ messages | prompt, model, … }`) */
  request?: (...args: A) => LLMRequest
  /** Whose answer it is: a scope, or a function of the arguments. */
  scope?: Scope | ((...args: A) => Scope | undefined)
  ttl?: Ttl
  tags?: readonly string[]
  /** Cache sampled answers (temperature > 0 without a seed). @default the cache's option */
  nondeterministic?: boolean
}

export interface WrapStreamOptions<A extends unknown[]> extends WrapOptions<A> {
  /** On a hit, wait this long between replayed chunks (0: as fast as the consumer reads). */
  pace?: Duration
}

/** Tokens counted from a response's `usage` field (OpenAI, Anthropic, Vercel AI SDK spellings). */
export interface TokenUsage {
  input: number
  output: number
}

export interface ModelStats {
  hits: number
  misses: number
  /** Tokens the hits did not spend (input + output of the cached answers). */
  tokensSaved: number
  /** Estimated cost the hits did not spend (from `pricing`), in the pricing's currency. */
  costSaved: number
}

export interface LLMCacheStats extends ModelStats {
  /** Of the hits, those answered by the semantic layer. */
  semanticHits: number
  /** Requests not cached: sampled (temperature > 0 without seed) and not opted in. */
  skipped: number
  /** Model calls (or streams) that failed: never cached. */
  errors: number
  /** Answers, vectors or analytics events that could not be written (store errors, values the codec refuses). */
  writeErrors: number
  /** Embedding calls or index reads that failed (each answered as a miss). */
  semanticErrors: number
  /** Time the hits did not wait: the recorded duration of the model calls they replaced. */
  timeSavedMs: number
  /** The same figures per model (at most 1,000 models; the rest under '(other)'). */
  byModel: Record<string, ModelStats>
}

export interface LLMCache {
  /** The cached answer to this request (exact, then semantic when configured), or undefined. */
  get<R = unknown>(
    messages: readonly unknown[],
    options?: object,
    call?: LLMCallOptions,
  ): Promise<R | undefined>
  /** Stores an answer. Resolves false when the request is sampled and not opted in (not stored). */
  set(
    messages: readonly unknown[],
    options: object | undefined,
    response: unknown,
    call?: LLMCallOptions,
  ): Promise<boolean>
  /** The cache key of a request (`<scope id>:<hash>`, under the llm namespace of the cache). */
  keyOf(messages: readonly unknown[], options?: object, call?: { scope?: Scope }): string
  /** A function like `callModel` that answers from the cache or calls through, once per request across processes. */
  wrap<A extends unknown[], R>(
    callModel: (...args: A) => Promise<R> | R,
    options?: WrapOptions<A>,
  ): (...args: A) => Promise<R>
  /**
   * A function like `streamModel` (returning an async iterable of chunks, or a promise of one): a miss
   * passes chunks through and records them, a hit replays them. A failed or abandoned stream is not stored.
   */
  wrapStream<A extends unknown[], C>(
    streamModel: (...args: A) => AsyncIterable<C> | Promise<AsyncIterable<C>>,
    options?: WrapStreamOptions<A>,
  ): (...args: A) => AsyncIterable<C>
  /** Invalidates the answers stored with one of these tags (set's or wrap's `tags`). */
  invalidateTags(tags: readonly string[]): Promise<void>
  /** Deletes the cached answers of one scope, or all, with their semantic vectors; resolves with the keys deleted. */
  clear(scope?: Scope): Promise<number>
  /** Resolves when the background writes started so far (stream recordings, vectors) are done. */
  settle(): Promise<void>
  stats(): LLMCacheStats
  /** Stops the semantic layer's bus. The cache itself stays open (it is not the LLM cache's). */
  close(): Promise<void>
}

/** The seeds' names, carried by kit.cache and delegating to kit.llm. */
export interface LLMCacheDelegates {
  /** The cached answer to `messages` with `options` (model, temperature …), or null. */
  getCachedLLMResponse<R = unknown>(messages: readonly unknown[], options?: object): Promise<R | null>
  /** Caches `response` for `messages` with `options`; false when not cacheable (sampled). */
  cacheLLMResponse(
    messages: readonly unknown[],
    options: object | undefined,
    response: unknown,
  ): Promise<boolean>
}
