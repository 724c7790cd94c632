/**
 * The seeds' names on a cache: `cache.getCachedLLMResponse(messages, options)` and
 * `cache.cacheLLMResponse(messages, options, response)`, delegating to an LLM cache built on
 * first use (createKit gives kit.cache these, over kit.llm).
 */
import type { Cache } from '../cache/index.js'
import type { LLMCache, LLMCacheDelegates } from './types.js'

export type { LLMCacheDelegates } from './types.js'

/** Adds the seeds' LLM methods to `cache` (in place) and returns it. */
export function withLLMDelegates<C extends Cache>(cache: C, llm: () => LLMCache): C & LLMCacheDelegates {
  const delegates: LLMCacheDelegates = {
    async getCachedLLMResponse<R>(messages: readonly unknown[], options?: object) {
      const found = await llm().get<R>(messages, options)
      return found === undefined ? null : found
    },
    cacheLLMResponse: (messages, options, response) => llm().set(messages, options, response),
  }
  return Object.assign(cache, delegates)
}
