import { ModelType } from '@elizaos/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { getCacheStats, modelRequest } from '../src/index.js'
import { MemoryDatabase } from './support/memory-database.js'
import { type RedisServer, startRedisServer } from './support/redis-server.js'
import {
  createFakeModel,
  type FakeModel,
  newAgentId,
  startRuntime,
  type TestRuntime,
} from './support/runtime.js'

let redis: RedisServer
const started: TestRuntime[] = []
beforeAll(async () => {
  redis = await startRedisServer()
})
afterEach(async () => {
  await Promise.all(started.splice(0).map(({ runtime }) => runtime.stop()))
})
afterAll(async () => {
  await redis?.stop()
})

async function start(model: FakeModel, options: Partial<Parameters<typeof startRuntime>[0]> = {}) {
  const running = await startRuntime({ db: new MemoryDatabase(), model, redisUrl: redis.url, ...options })
  started.push(running)
  return running
}

describe('model-response caching through the model registry', () => {
  it('answers the same prompt twice with one model call', async () => {
    const model = createFakeModel()
    const { runtime, service } = await start(model)
    const first = await runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'What is Redis?' })
    const second = await runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'What is Redis?' })
    expect(first).toBe('answer #1 (TEXT_LARGE): What is Redis?')
    expect(second).toBe(first)
    expect(model.calls).toHaveLength(1)
    const stats = await getCacheStats(runtime)
    expect(stats.modelCache).toMatchObject({ hits: 1, misses: 1 })
    // Answered by redis-kit's LLM cache (kit.llm), which counts per model.
    const llm = service.kit.llm.stats()
    expect(llm).toMatchObject({ hits: 1, misses: 1 })
    expect(Object.keys(llm.byModel)).toEqual(['fake-model/TEXT_LARGE'])
  })

  it('caches sampled answers too (temperature > 0, no seed), unless told not to', async () => {
    const model = createFakeModel()
    const { runtime } = await start(model)
    await runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'sampled', temperature: 0.7 })
    await runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'sampled', temperature: 0.7 })
    expect(model.calls).toHaveLength(1)

    const strict = createFakeModel()
    const other = await start(strict, { settings: { REDIS_KIT_MODEL_CACHE_SAMPLED: 'false' } })
    await other.runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'sampled', temperature: 0.7 })
    await other.runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'sampled', temperature: 0.7 })
    expect(strict.calls).toHaveLength(2)
    await other.runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'greedy', temperature: 0 })
    await other.runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'greedy', temperature: 0 })
    expect(strict.calls).toHaveLength(3)
  })

  it('calls the model again when anything that shapes the answer differs', async () => {
    const model = createFakeModel()
    const { runtime } = await start(model)
    await runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'Hi', temperature: 0 })
    await runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'Hi', temperature: 0.7 })
    await runtime.useModel(ModelType.TEXT_SMALL, { prompt: 'Hi', temperature: 0 })
    await runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'Hi!', temperature: 0 })
    await runtime.useModel(ModelType.TEXT_LARGE, { temperature: 0, prompt: 'Hi' }) // same as the first
    expect(model.calls).toHaveLength(4)
  })

  it('keys ignore parameter order and Unicode normalisation', async () => {
    const model = createFakeModel()
    const { runtime } = await start(model)
    await runtime.useModel(ModelType.TEXT_LARGE, {
      prompt: 'caf\u00e9',
      temperature: 0,
      stopSequences: undefined,
    })
    await runtime.useModel(ModelType.TEXT_LARGE, { temperature: 0, prompt: 'cafe\u0301' })
    expect(model.calls).toHaveLength(1)
    await runtime.useModel(ModelType.TEXT_LARGE, { temperature: 0, prompt: 'cafe' })
    expect(model.calls).toHaveLength(2)
  })

  it('puts the answering model plugin in the request, and leaves out user and stream', () => {
    const request = modelRequest('openai', 'TEXT_LARGE', {
      prompt: 'p',
      user: 'Ada',
      stream: false,
      temperature: 0,
    })
    expect(request).toEqual({ prompt: 'p', temperature: 0, model: 'openai/TEXT_LARGE' })
  })

  it('shares answers between two runtimes of one agent through Redis', async () => {
    const model = createFakeModel()
    const agentId = newAgentId()
    const a = await start(model, { agentId })
    const b = await start(model, { agentId })
    const fromA = await a.runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'Shared question' })
    const fromB = await b.runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'Shared question' })
    expect(fromB).toBe(fromA)
    expect(model.calls).toHaveLength(1)
    expect((await getCacheStats(b.runtime)).modelCache.hits).toBe(1)
  })

  it('makes one model call for identical prompts in flight at once, in one runtime and across two', async () => {
    const model = createFakeModel({ delayMs: 300 })
    const agentId = newAgentId()
    const a = await start(model, { agentId })
    const b = await start(model, { agentId })
    const prompt = { prompt: 'A slow question' }
    const answers = await Promise.all([
      a.runtime.useModel(ModelType.TEXT_LARGE, { ...prompt }),
      a.runtime.useModel(ModelType.TEXT_LARGE, { ...prompt }),
      b.runtime.useModel(ModelType.TEXT_LARGE, { ...prompt }),
      b.runtime.useModel(ModelType.TEXT_LARGE, { ...prompt }),
    ])
    expect(new Set(answers).size).toBe(1)
    expect(model.calls).toHaveLength(1)
  })

  it('never caches an error: the next call reaches the model', async () => {
    const model = createFakeModel()
    const { runtime } = await start(model)
    model.failWith = new Error('model overloaded')
    await expect(runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'flaky' })).rejects.toThrow(
      'model overloaded',
    )
    model.failWith = undefined
    expect(await runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'flaky' })).toBe(
      'answer #2 (TEXT_LARGE): flaky',
    )
    expect(model.calls).toHaveLength(2)
  })

  it('hands streaming calls straight to the model', async () => {
    const model = createFakeModel()
    const { runtime, service } = await start(model)
    await runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'stream me', stream: true })
    await runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'stream me', stream: true })
    expect(model.calls).toHaveLength(2)
    expect(service.modelCacheStats.bypassed).toBe(2)
  })

  it('lets the model answer what the cache refuses (a prompt over its 1 MiB cap)', async () => {
    const model = createFakeModel()
    const { runtime, service } = await start(model)
    const huge = 'x'.repeat(1024 * 1024 + 1)
    expect(await runtime.useModel(ModelType.TEXT_SMALL, { prompt: huge })).toContain('answer #1')
    expect(await runtime.useModel(ModelType.TEXT_SMALL, { prompt: huge })).toContain('answer #2')
    expect(service.modelCacheStats.bypassed).toBe(2)
  })

  it('can be turned off with REDIS_KIT_MODEL_CACHE=false', async () => {
    const model = createFakeModel()
    const { runtime } = await start(model, { settings: { REDIS_KIT_MODEL_CACHE: 'false' } })
    await runtime.useModel(ModelType.TEXT_SMALL, { prompt: 'no cache' })
    await runtime.useModel(ModelType.TEXT_SMALL, { prompt: 'no cache' })
    expect(model.calls).toHaveLength(2)
  })

  it('expires answers after REDIS_KIT_MODEL_CACHE_TTL', async () => {
    const model = createFakeModel()
    const { runtime } = await start(model, { settings: { REDIS_KIT_MODEL_CACHE_TTL: '1s' } })
    await runtime.useModel(ModelType.TEXT_SMALL, { prompt: 'ttl' })
    await runtime.useModel(ModelType.TEXT_SMALL, { prompt: 'ttl' })
    expect(model.calls).toHaveLength(1)
    await new Promise((r) => setTimeout(r, 1100))
    await runtime.useModel(ModelType.TEXT_SMALL, { prompt: 'ttl' })
    expect(model.calls).toHaveLength(2)
  })
})
