/**
 * Accounting: hits, misses, tokens and estimated cost saved, per model, from the `usage` field of
 * responses (OpenAI `prompt_tokens`/`completion_tokens`, Anthropic `input_tokens`/`output_tokens`,
 * Vercel AI SDK `promptTokens`/`inputTokens` …) or of the last stream chunk that carries one.
 * Optionally reported as analytics events.
 */
import type { Pricing } from './options.js'
import type { LLMCacheStats, ModelStats, TokenUsage } from './types.js'

const MAX_MODELS = 1000

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0)

/** Tokens in a `usage` object, whatever its spelling; undefined when there is none. */
export function usageOf(value: unknown): TokenUsage | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const u = (value as { usage?: unknown }).usage
  if (typeof u !== 'object' || u === null) return undefined
  const r = u as Record<string, unknown>
  const input = num(r.prompt_tokens) || num(r.input_tokens) || num(r.promptTokens) || num(r.inputTokens)
  const output =
    num(r.completion_tokens) || num(r.output_tokens) || num(r.completionTokens) || num(r.outputTokens)
  if (input === 0 && output === 0) {
    const total = num(r.total_tokens) || num(r.totalTokens)
    return total > 0 ? { input: total, output: 0 } : undefined
  }
  return { input, output }
}

/** The usage reported by a stream: the last chunk that carries one. */
export function usageOfChunks(chunks: readonly unknown[]): TokenUsage | undefined {
  for (let i = chunks.length - 1; i >= 0; i--) {
    const found = usageOf(chunks[i])
    if (found) return found
  }
  return undefined
}

export type Outcome = 'hit' | 'semantic' | 'miss'

export interface AnalyticsSink {
  trackEvent(name: string, userId: string | null, props?: object): Promise<void>
}

export class Accounting {
  readonly totals = {
    hits: 0,
    misses: 0,
    semanticHits: 0,
    skipped: 0,
    errors: 0,
    writeErrors: 0,
    semanticErrors: 0,
    tokensSaved: 0,
    costSaved: 0,
    timeSavedMs: 0,
  }
  private readonly models = new Map<string, ModelStats>()

  constructor(
    private readonly pricing: Pricing | undefined,
    private readonly analytics: AnalyticsSink | undefined,
    private readonly onError: (error: unknown) => void,
  ) {}

  cost(model: string, usage: TokenUsage | undefined): number {
    if (!usage || !this.pricing) return 0
    if (typeof this.pricing === 'function') return num(this.pricing(model, usage))
    const price = this.pricing[model] ?? this.pricing[model.slice(model.indexOf(':') + 1)]
    return price ? (usage.input * price.input + usage.output * price.output) / 1e6 : 0
  }

  record(outcome: Outcome, model: string, usage: TokenUsage | undefined, ms: number, scopeId: string): void {
    const m = this.model(model)
    const t = this.totals
    if (outcome === 'miss') {
      t.misses++
      m.misses++
    } else {
      const tokens = usage ? usage.input + usage.output : 0
      const cost = this.cost(model, usage)
      t.hits++
      m.hits++
      if (outcome === 'semantic') t.semanticHits++
      t.tokensSaved += tokens
      m.tokensSaved += tokens
      t.costSaved += cost
      m.costSaved += cost
      t.timeSavedMs += ms
    }
    if (this.analytics) {
      const props = { model, scope: scopeId, semantic: outcome === 'semantic' }
      this.analytics
        .trackEvent(outcome === 'miss' ? 'llm_cache_miss' : 'llm_cache_hit', null, props)
        .catch(this.onError)
    }
  }

  private model(name: string): ModelStats {
    let m = this.models.get(name)
    if (!m) {
      if (this.models.size >= MAX_MODELS && name !== '(other)') return this.model('(other)')
      m = { hits: 0, misses: 0, tokensSaved: 0, costSaved: 0 }
      this.models.set(name, m)
    }
    return m
  }

  stats(): LLMCacheStats {
    return { ...this.totals, byModel: Object.fromEntries([...this.models].map(([k, v]) => [k, { ...v }])) }
  }
}
