/**
 * Options of createLLMCache (zod, checked once): TTL, privacy, which request fields make the key,
 * the prompt size cap, pricing, analytics, and the optional semantic layer.
 */
import { z } from 'zod'
import type { Ttl } from '../cache/index.js'
import { RedisKitError } from '../errors.js'
import { toMs } from '../internal/duration.js'
import { durationSchema, parseOptions } from '../internal/options.js'
import type { Store } from '../stores/types.js'
import type { TokenUsage } from './types.js'

/** USD (or any currency) per million tokens, per model name; or a function of model and usage. */
export type Pricing =
  | Readonly<Record<string, { input: number; output: number }>>
  | ((model: string, usage: TokenUsage) => number)

/** A function from text to its embedding (any length, the same for every call). */
export type Embed = (text: string) => Promise<ArrayLike<number>> | ArrayLike<number>

const fn = <T>(what: string) =>
  z.custom<T>((v) => typeof v === 'function', { message: `must be a function (${what})` })

const fields = z.array(z.string().min(1)).max(200)

const schema = z
  .object({
    /** Namespace of the cache under which answers live. @default 'llm' */
    namespace: z.string().min(1).max(64).default('llm'),
    /** How long an answer is kept: seconds, a duration or a preset. @default '1h' */
    ttl: z
      .custom<Ttl>(
        (v) => {
          try {
            return ttlToMs(v) > 0
          } catch {
            return false
          }
        },
        {
          message:
            "must be seconds (a positive number), a duration like '1h', or 'short' | 'medium' | 'long'",
        },
      )
      .default('1h'),
    /** Answers are private: every call must name a scope (a typed error otherwise). @default false */
    private: z.boolean().default(false),
    /** Cache sampled answers (temperature > 0 without a seed). @default false */
    nondeterministic: z.boolean().default(false),
    /** Request fields that make the key: only `include` (when given), minus `exclude`. */
    fields: z.object({ include: fields.optional(), exclude: fields.optional() }).strict().default({}),
    /** Message fields left out of the key (besides the defaults: id, timestamp, createdAt …). */
    messageFields: z.object({ exclude: fields.optional() }).strict().default({}),
    /** Largest canonical request, in bytes (VALUE_TOO_LARGE past it). @default 1 MiB */
    maxPromptBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    /** Prices per million tokens by model (or a function), for `costSaved`. */
    pricing: z
      .union([
        z.record(z.string(), z.object({ input: z.number(), output: z.number() })),
        fn<(model: string, usage: TokenUsage) => number>('pricing'),
      ])
      .optional(),
    /** Where hits and misses are tracked as events (`llm_cache_hit`, `llm_cache_miss`). */
    analytics: z
      .custom<{ trackEvent(name: string, userId: string | null, props?: object): Promise<void> }>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          typeof (v as { trackEvent?: unknown }).trackEvent === 'function',
        { message: 'must be an analytics primitive (createAnalytics(store) or kit.analytics)' },
      )
      .optional(),
    /** The store the cache runs on (needed by the semantic layer: vectors and their bus). */
    store: z
      .custom<Store>(
        (v) => typeof v === 'object' && v !== null && typeof (v as Store).getBuffer === 'function',
        {
          message: 'must be the Store the cache runs on (kit.store)',
        },
      )
      .optional(),
    /** On an exact miss, the nearest cached prompt of the same scope, model and options answers. */
    semantic: z
      .object({
        embed: fn<Embed>('text → embedding'),
        /** Cosine similarity from which a cached prompt answers (0 … 1). @default 0.95 */
        threshold: z.number().gt(0).max(1).default(0.95),
        /** Cached prompts kept per scope and model (the oldest leave first). @default 1000 */
        maxEntries: z.number().int().positive().max(100_000).default(1000),
        /** Vectors held in this process across all scopes (least used scopes leave first). @default 20000 */
        maxLoaded: z.number().int().positive().default(20_000),
        /** Longest a loaded index is trusted without the bus. @default '1m' */
        maxAge: durationSchema().default('1m'),
        /** The text embedded. @default role: content of each non-system message, one per line */
        text: fn<(request: { messages: readonly unknown[] }) => string>('request → text').optional(),
      })
      .strict()
      .optional(),
  })
  .strict()

export type LLMCacheOptions = z.input<typeof schema>
export type ResolvedLLMOptions = z.output<typeof schema> & { semanticMaxAgeMs: number }

export function resolveLLMOptions(input: LLMCacheOptions | undefined): ResolvedLLMOptions {
  const o = parseOptions(schema, input, 'createLLMCache')
  if (o.semantic && !o.store) {
    throw new RedisKitError(
      'INVALID_OPTIONS',
      'createLLMCache: invalid options — store: is required with semantic; pass the store the cache runs on (kit.store)',
    )
  }
  return { ...o, semanticMaxAgeMs: o.semantic ? toMs(o.semantic.maxAge) : 0 }
}

const PRESETS: Record<string, number> = { short: 300_000, medium: 3_600_000, long: 86_400_000 }

/** Milliseconds of a TTL (preset names at the cache's defaults: 5 min, 1 h, 24 h). */
export function ttlToMs(ttl: unknown): number {
  if (typeof ttl === 'string' && ttl in PRESETS) return PRESETS[ttl]!
  return toMs(ttl as never, 'ttl')
}
