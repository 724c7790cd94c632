/**
 * @module redis-kit/llm-cache
 * LLM-response caching over redis-kit/cache: canonical request keys with privacy scopes, wrap
 * (single flight across processes), stream capture and replay, token and cost accounting, and an
 * optional semantic layer that runs on plain Redis. See docs/llm-cache.md.
 */
export { type LLMCacheDelegates, withLLMDelegates } from './delegates.js'
export { createLLMCache } from './llm-cache.js'
export type { Embed, LLMCacheOptions, Pricing } from './options.js'
export type {
  LLMCache,
  LLMCacheStats,
  LLMCallOptions,
  LLMRequest,
  ModelStats,
  Scope,
  TokenUsage,
  WrapOptions,
  WrapStreamOptions,
} from './types.js'
