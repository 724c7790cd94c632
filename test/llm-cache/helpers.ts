/**
 * Shared pieces of the LLM cache tests: two "processes" (two caches and two LLM caches on two
 * store instances over the same server; on memory both share the one store), a fake model that
 * counts its calls, and a deterministic toy embedding (bag of words hashed into 64 dimensions).
 */
import { createCache } from '../../src/cache/index.js'
import { createLLMCache, type LLMCache, type LLMCacheOptions } from '../../src/llm-cache/index.js'
import type { Store } from '../../src/stores/types.js'
import { deletePrefix, type StoreCase, testPrefix } from '../support/stores.js'

export interface LLMPair {
  a: LLMCache
  b: LLMCache
  storeA: Store
  storeB: Store
  prefix: string
  close(): Promise<void>
}

export async function llmPair(c: StoreCase, options: Omit<LLMCacheOptions, 'store'> = {}): Promise<LLMPair> {
  const storeA = c.create()
  const storeB = c.name === 'memory' ? storeA : c.create()
  const prefix = testPrefix('llm')
  const cacheA = createCache(storeA, { prefix })
  const cacheB = createCache(storeB, { prefix })
  await Promise.all([cacheA.ready(), cacheB.ready()])
  const a = createLLMCache(cacheA, { ...options, store: storeA })
  const b = createLLMCache(cacheB, { ...options, store: storeB })
  return {
    a,
    b,
    storeA,
    storeB,
    prefix,
    async close() {
      await Promise.all([a.close(), b.close()])
      await Promise.all([cacheA.close(), cacheB.close()])
      await deletePrefix(storeA, prefix)
      await storeA.close()
      if (storeB !== storeA) await storeB.close()
    },
  }
}

/** A chat completion as OpenAI returns it. */
export function completion(text: string, usage = { prompt_tokens: 100, completion_tokens: 50 }) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  }
}

/** A deterministic embedding: each word adds 1 to one of 64 dimensions (by a string hash). */
export function toyEmbed(text: string): number[] {
  const v = new Array<number>(64).fill(0)
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619)
    v[(h >>> 0) % 64]! += 1
  }
  return v
}

export const user = (content: string) => ({ role: 'user', content })

/** Polls until `check` holds (real time, at most `limitMs`). */
export async function until(what: string, check: () => boolean | Promise<boolean>, limitMs = 10_000) {
  const deadline = Date.now() + limitMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

export interface Deferred {
  promise: Promise<void>
  resolve(): void
}

export function deferred(): Deferred {
  let resolve!: () => void
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}
