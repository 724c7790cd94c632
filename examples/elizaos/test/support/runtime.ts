/**
 * Real ElizaOS runtimes for the tests: AgentRuntime from @elizaos/core with the in-memory database
 * adapter, a fake model plugin (counts its calls, emits MODEL_USED as real model plugins do) and
 * the redis-kit plugin. No LLM, no SQL database, no network beyond the local redis-server.
 */
import { randomUUID } from 'node:crypto'
import {
  AgentRuntime,
  type Character,
  EventType,
  type IAgentRuntime,
  ModelType,
  type Plugin,
  type UUID,
} from '@elizaos/core'
import { type RedisKitService, redisKitPlugin, SERVICE_TYPE } from '../../src/index.js'
import { createMemoryAdapter, type MemoryDatabase } from './memory-database.js'

export interface FakeModel {
  plugin: Plugin
  /** Every call the model answered (the cache answered the others). */
  calls: { type: string; prompt: string }[]
  /** Makes the next calls fail with this error (until reset to undefined). */
  failWith: Error | undefined
}

/** A text model that answers after `delayMs`: `answer #<n> (<type>): <prompt>`. */
export function createFakeModel(options: { delayMs?: number } = {}): FakeModel {
  const fake: FakeModel = { plugin: undefined as unknown as Plugin, calls: [], failWith: undefined }
  const answer = (type: string) => async (runtime: IAgentRuntime, params: { prompt?: string }) => {
    const prompt = String(params.prompt ?? '')
    fake.calls.push({ type, prompt })
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs))
    if (fake.failWith) throw fake.failWith
    const tokens = { prompt: prompt.length, completion: 10, total: prompt.length + 10 }
    await runtime.emitEvent(EventType.MODEL_USED, {
      runtime,
      source: 'fake-model',
      provider: 'fake',
      type,
      prompt,
      tokens,
    })
    return `answer #${fake.calls.length} (${type}): ${prompt}`
  }
  fake.plugin = {
    name: 'fake-model',
    description: 'A deterministic text model for tests',
    models: {
      [ModelType.TEXT_SMALL]: answer(ModelType.TEXT_SMALL),
      [ModelType.TEXT_LARGE]: answer(ModelType.TEXT_LARGE),
    },
  }
  return fake
}

export interface TestRuntimeOptions {
  db: MemoryDatabase
  model: FakeModel
  /** REDIS_URL; none → the memory store. */
  redisUrl?: string
  /** The same id for two runtimes = two instances of one agent. */
  agentId?: UUID
  settings?: Record<string, string>
  plugins?: Plugin[]
}

export interface TestRuntime {
  runtime: AgentRuntime
  service: RedisKitService
}

export function newAgentId(): UUID {
  return randomUUID() as UUID
}

export async function startRuntime(options: TestRuntimeOptions): Promise<TestRuntime> {
  const character: Character = {
    id: options.agentId ?? newAgentId(),
    name: 'Ada',
    bio: ['A test agent'],
    settings: { ...options.settings, secrets: options.redisUrl ? { REDIS_URL: options.redisUrl } : {} },
  }
  const runtime = new AgentRuntime({
    character,
    plugins: [options.model.plugin, redisKitPlugin, ...(options.plugins ?? [])],
    adapter: createMemoryAdapter(options.db),
    settings: {},
  })
  await runtime.initialize({ skipMigrations: true })
  const service = (await runtime.getServiceLoadPromise(SERVICE_TYPE)) as RedisKitService
  return { runtime, service }
}

/** Polls `check` until it passes (cross-process invalidation arrives over pub/sub). */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      await check()
      return
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}
