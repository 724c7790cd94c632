// The fake model behind the LLM cache (kit.llm, redis-kit/llm-cache). Same question, same answer:
// the second time the recorded chunks are replayed from Redis and the model is not called.
import type { LLMCache } from 'redis-kit'
import { getKit } from './kit.mjs'
import { type ChatRequest, chatRequest, fakeModel } from './model'

export interface Answer {
  /** The answer's chunks as they come: from the model on a miss (and recorded), replayed on a hit. */
  chunks: AsyncIterable<string>
  /** After the stream ended: whether the model ran for this request. */
  modelCalled(): boolean
}

type StreamAnswer = (request: ChatRequest, onCall: () => void) => AsyncIterable<string>

const WRAPPED = Symbol.for('redis-kit.example.nextjs.answer')

/**
 * fakeModel wrapped once per process. The cache key is a hash of the request (the first argument:
 * model, messages, temperature); `onCall` is not part of it. The answers do not depend on who
 * asks, so they are shared by every user; pass `scope: (request) => ({ user })` for private ones.
 */
function wrapped(): StreamAnswer {
  const scope = globalThis as unknown as Record<symbol, StreamAnswer | undefined>
  const llm: LLMCache = getKit().llm
  scope[WRAPPED] ??= llm.wrapStream(fakeModel, { ttl: '1h', pace: '10ms' }) // a hit streams too, just faster
  return scope[WRAPPED]
}

/** Streams the answer to `question`: from the cache, or from the model (recorded for next time). */
export function answer(question: string): Answer {
  let called = false
  const chunks = wrapped()(chatRequest(question), () => {
    called = true
  })
  return { chunks, modelCalled: () => called }
}
