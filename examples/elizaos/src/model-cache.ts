/**
 * Model-response caching through ElizaOS's model registry: the plugin registers a handler for each
 * text model at a high priority, so runtime.useModel() reaches it first. It answers from the cache,
 * or hands the call to the next handler registered for that model (the real model plugin) —
 * single flight: identical prompts in flight, in this process or another sharing Redis, make one
 * model call. Streaming calls go straight to the model. Errors are never cached.
 *
 * The cache is redis-kit's LLM cache (`kit.llm.wrap`): the key is a hash of the canonical request
 * (key order, undefined fields and Unicode normalisation do not matter), under the agent's prefix.
 */
import { type IAgentRuntime, ModelType } from '@elizaos/core'
import { isKitError } from 'redis-kit'
import { getRedisKit, LOG_SOURCE, type RedisKitService } from './service.js'

export const PLUGIN_NAME = 'redis-kit'

/** The text models whose answers are cached. */
export const TEXT_MODEL_TYPES = [
  ModelType.TEXT_SMALL,
  ModelType.TEXT_LARGE,
  ModelType.TEXT_REASONING_SMALL,
  ModelType.TEXT_REASONING_LARGE,
  ModelType.TEXT_COMPLETION,
] as const

type ModelHandlerFn = (runtime: IAgentRuntime, params: Record<string, unknown>) => Promise<unknown>
interface RegisteredModel {
  handler: ModelHandlerFn
  provider: string
  priority?: number
}

/** The first handler registered for `type` after this plugin's (the registry is sorted by priority). */
export function nextModel(runtime: IAgentRuntime, type: string): RegisteredModel | undefined {
  const registry = (runtime as { models?: Map<string, RegisteredModel[]> }).models
  return registry?.get(type)?.find((model) => model.provider !== PLUGIN_NAME)
}

/**
 * The request as the cache sees it: the call's parameters, and as `model` the model plugin and
 * type that answer it (`openai/TEXT_LARGE`). ElizaOS adds `user` (the character's name) and
 * `stream`; neither changes the answer, so neither is in the key.
 */
export function modelRequest(provider: string, type: string, params: Record<string, unknown>) {
  const { stream: _stream, onStreamChunk: _chunk, user: _user, ...rest } = params
  return { ...rest, model: `${provider}/${type}` }
}

type Call = () => Promise<unknown>
type Answer = (call: Call, request: Record<string, unknown>) => Promise<unknown>

const answers = new WeakMap<RedisKitService, Answer>()

/** The service's cached answer function: redis-kit's LLM cache wrap (built once per service). */
function answerOf(service: RedisKitService): Answer {
  let answer = answers.get(service)
  if (!answer) {
    // The request is the second argument; the first is the call to the next model handler.
    answer = service.kit.llm.wrap((call: Call, _request: Record<string, unknown>) => call(), {
      request: (_call, request) => request,
      ttl: service.settings.modelCacheTtl,
      nondeterministic: service.settings.modelCacheSampled,
    })
    answers.set(service, answer)
  }
  return answer
}

/** Answers from the model cache, or runs `call` once (across processes) and caches its answer. */
export async function cachedModelCall(
  service: RedisKitService,
  request: Record<string, unknown>,
  call: Call,
): Promise<unknown> {
  let ran = false
  let response: unknown
  try {
    response = await answerOf(service)(() => {
      ran = true
      return call()
    }, request)
  } catch (error) {
    // The cache refused the request before any model call (e.g. a prompt over the LLM cache's
    // size cap): the model answers, uncached. A model's own error is rethrown, never cached.
    if (ran || !isKitError(error)) throw error
    service.modelCacheStats.bypassed++
    return call()
  }
  // A caller that joined another's call in flight did not call the model either: a hit.
  if (ran) service.modelCacheStats.misses++
  else service.modelCacheStats.hits++
  service.kit.analytics
    .trackEvent('model_cache', null, { model: String(request.model), status: ran ? 'miss' : 'hit' })
    .catch(() => {})
  return response
}

function cacheable(params: unknown): params is Record<string, unknown> {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return false
  const p = params as Record<string, unknown>
  return typeof p.prompt === 'string' && p.stream !== true && typeof p.onStreamChunk !== 'function'
}

/** The handler registered for a text model type. */
export function modelCacheHandler(type: string): ModelHandlerFn {
  return async (runtime, params) => {
    const next = nextModel(runtime, type)
    if (!next) {
      throw new Error(
        `redis-kit caches ${type} answers but no model plugin handles ${type}: add one (openai, anthropic, ollama …) to the agent`,
      )
    }
    const call = () => next.handler(runtime, params)
    const service = getRedisKit(runtime)
    if (!service?.settings.modelCache || !cacheable(params)) {
      if (service) service.modelCacheStats.bypassed++
      return call()
    }
    try {
      return await cachedModelCall(service, modelRequest(next.provider, type, params), call)
    } catch (error) {
      runtime.logger.debug(
        { src: LOG_SOURCE, model: type, error: String(error) },
        'model call failed (not cached)',
      )
      throw error
    }
  }
}
