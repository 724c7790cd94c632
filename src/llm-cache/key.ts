/**
 * What makes the key: the messages (role, content, tool calls … without ids and timestamps), the
 * model, and every option that changes the answer (temperature, top_p, max tokens, tools and their
 * schemas, response format, seed, system prompt …), under one spelling (maxTokens = max_tokens),
 * plus the scope. Also: whether a request is sampled, and the semantic layer's partition and text.
 */
import { invalidArgument } from '../errors.js'
import { describe } from '../internal/keys.js'
import { canonicalJson, digest } from './canonical.js'
import type { Scope } from './types.js'

/** camelCase (Vercel AI SDK) and older names → the one spelling the key uses. */
const ALIASES: Record<string, string> = {
  maxTokens: 'max_tokens',
  maxOutputTokens: 'max_tokens',
  max_completion_tokens: 'max_tokens',
  topP: 'top_p',
  topK: 'top_k',
  responseFormat: 'response_format',
  toolChoice: 'tool_choice',
  frequencyPenalty: 'frequency_penalty',
  presencePenalty: 'presence_penalty',
  stopSequences: 'stop',
  parallelToolCalls: 'parallel_tool_calls',
  reasoningEffort: 'reasoning_effort',
  systemPrompt: 'system',
}

/** Options that do not change the answer (transport, callbacks, telemetry, end-user ids). */
export const DEFAULT_EXCLUDED = [
  'stream',
  'stream_options',
  'streamOptions',
  'signal',
  'abortSignal',
  'timeout',
  'headers',
  'maxRetries',
  'max_retries',
  'user',
  'metadata',
  'store',
  'experimental_telemetry',
]

/** Message fields that do not change the answer. */
export const DEFAULT_MESSAGE_EXCLUDED = [
  'id',
  'timestamp',
  'createdAt',
  'created_at',
  'updatedAt',
  'metadata',
]

export interface KeyRules {
  include: Set<string> | undefined
  exclude: Set<string>
  messageExclude: Set<string>
  maxBytes: number
}

export interface KeyedRequest {
  /** `<scope id>:<hash>` */
  key: string
  scopeId: string
  model: string
  sampled: boolean
  messages: readonly unknown[]
  /** The request's options in the key's spelling (for the semantic partition). */
  options: Record<string, unknown>
  scopeCanon: string | undefined
  /** 'text' (wrap, get, set) or 'stream' (wrapStream): never served for one another. */
  kind: 'text' | 'stream'
}

export function modelName(model: unknown): string {
  if (typeof model === 'string') return model.normalize('NFC')
  if (typeof model === 'object' && model !== null) {
    const { provider, modelId } = model as { provider?: unknown; modelId?: unknown }
    if (typeof modelId === 'string') return typeof provider === 'string' ? `${provider}:${modelId}` : modelId
  }
  return model === undefined ? '(none)' : '(custom)'
}

export function scopeCanonical(scope: Scope | undefined, maxBytes: number): string | undefined {
  if (scope === undefined || scope === null) return undefined
  if (typeof scope === 'string') {
    if (scope.length === 0)
      throw invalidArgument('scope must be a non-empty string or an object like { tenant, user }')
    return canonicalJson(scope, maxBytes, 'the scope')
  }
  if (typeof scope !== 'object' || Array.isArray(scope)) {
    throw invalidArgument(
      `scope must be a string or an object like { tenant, user } (got ${describe(scope)})`,
    )
  }
  const canon = canonicalJson(scope, maxBytes, 'the scope')
  if (canon === '{}') throw invalidArgument('scope has no defined field; pass e.g. { user: userId }')
  return canon
}

function normalizeMessage(message: unknown, index: number, exclude: Set<string>): unknown {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw invalidArgument(
      `messages[${index}] must be an object like { role, content } (got ${describe(message)})`,
    )
  }
  const out: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(message)) if (!exclude.has(field)) out[field] = value
  const content = out.content
  // [{ type: 'text', text }] and 'text' are the same message
  if (Array.isArray(content) && content.length === 1) {
    const part = content[0] as { type?: unknown; text?: unknown }
    if (part?.type === 'text' && typeof part.text === 'string' && Object.keys(part).length === 2)
      out.content = part.text
  }
  return out
}

/** The key and its parts for `messages` + `options` under `scope`. Throws typed errors on bad input. */
export function keyRequest(
  messages: unknown,
  options: unknown,
  scope: Scope | undefined,
  rules: KeyRules,
  kind: 'text' | 'stream' = 'text',
): KeyedRequest {
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
    throw invalidArgument(
      `LLM options must be an object like { model, temperature } (got ${describe(options)})`,
    )
  }
  const given = (options ?? {}) as Record<string, unknown>
  let list: readonly unknown[]
  if (messages === undefined && given.prompt !== undefined) list = []
  else if (!Array.isArray(messages)) {
    throw invalidArgument(
      `messages must be an array of { role, content } (got ${describe(messages)}); a single prompt goes in options.prompt`,
    )
  } else list = messages
  const opts: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(given)) {
    const name = ALIASES[field] ?? field
    if (name === 'messages' || rules.exclude.has(field) || rules.exclude.has(name)) continue
    if (rules.include && !rules.include.has(field) && !rules.include.has(name) && name !== 'model') continue
    if (value !== undefined) opts[name] = name === 'model' ? modelName(value) : value
  }
  const normalized = list.map((m, i) => normalizeMessage(m, i, rules.messageExclude))
  const scopeCanon = scopeCanonical(scope, rules.maxBytes)
  const canon = canonicalJson(
    { v: 1, kind, scope: scopeCanon, messages: normalized, options: opts },
    rules.maxBytes,
  )
  const scopeId = scopeCanon === undefined ? 'shared' : digest(scopeCanon, 22)
  const temperature = opts.temperature
  const sampled = typeof temperature === 'number' && temperature > 0 && opts.seed === undefined
  return {
    key: `${scopeId}:${digest(canon)}`,
    scopeId,
    model: typeof opts.model === 'string' ? opts.model : '(none)',
    sampled,
    messages: normalized,
    options: opts,
    scopeCanon,
    kind,
  }
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content))
    return content
      .map((p) => (typeof (p as { text?: unknown })?.text === 'string' ? (p as { text: string }).text : ''))
      .filter(Boolean)
      .join(' ')
  return content === undefined ? '' : JSON.stringify(content)
}

/** The semantic partition: scope, options (model …) and system messages; and the text embedded. */
export function semanticParts(k: KeyedRequest, maxBytes: number): { partition: string; text: string } {
  const system = k.messages.filter((m) => (m as { role?: unknown }).role === 'system')
  const partition = digest(
    canonicalJson({ k: k.kind, s: k.scopeCanon, o: { ...k.options, prompt: undefined }, system }, maxBytes),
    22,
  )
  const lines = k.messages
    .filter((m) => (m as { role?: unknown }).role !== 'system')
    .map((m) => `${String((m as { role?: unknown }).role)}: ${textOf((m as { content?: unknown }).content)}`)
  if (typeof k.options.prompt === 'string') lines.push(`user: ${k.options.prompt}`)
  return { partition, text: lines.join('\n') }
}
