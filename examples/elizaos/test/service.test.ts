import { AgentRuntime } from '@elizaos/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  character,
  getCacheStats,
  getRedisKit,
  isRedisKitAdapter,
  RedisKitService,
  redisKitHealthProvider,
  redisKitPlugin,
  SERVICE_TYPE,
} from '../src/index.js'
import { createMemoryAdapter, MemoryDatabase } from './support/memory-database.js'
import { keysMatching, rawStore } from './support/raw.js'
import { type RedisServer, startRedisServer } from './support/redis-server.js'
import { createFakeModel, newAgentId, startRuntime } from './support/runtime.js'

let redis: RedisServer
beforeAll(async () => {
  redis = await startRedisServer()
})
afterAll(async () => {
  await redis?.stop()
})

describe('RedisKitService on a real AgentRuntime', () => {
  it('starts after initialize() with Redis from REDIS_URL, and stops with runtime.stop()', async () => {
    const db = new MemoryDatabase()
    const { runtime, service } = await startRuntime({ db, model: createFakeModel(), redisUrl: redis.url })
    expect(service).toBeInstanceOf(RedisKitService)
    expect(runtime.getService(SERVICE_TYPE)).toBe(service)
    expect(runtime.plugins.map((p) => p.name)).toContain(redisKitPlugin.name)
    expect(service.kit.store.name).not.toBe('memory') // the failover store over Redis
    expect(service.kit.prefix).toBe(`eliza:${runtime.agentId}:`)
    expect((await service.health()).status).toBe('ok')
    expect(isRedisKitAdapter(runtime.adapter)).toBe(true)

    // Keys are namespaced by agent id under the global prefix.
    await runtime.setCache('greeting', { text: 'hello' })
    const raw = rawStore(redis.url)
    try {
      const keys = await keysMatching(raw, `eliza:${runtime.agentId}:*`)
      expect(keys.some((key) => key.includes('greeting'))).toBe(true)
      expect(await keysMatching(raw, '*greeting*')).toEqual(keys.filter((key) => key.includes('greeting')))
    } finally {
      await raw.close()
    }

    await runtime.stop()
    expect(service.stopped).toBe(true)
    expect(getRedisKit(runtime)).toBeUndefined()
    expect(isRedisKitAdapter(runtime.adapter)).toBe(false) // the original adapter is back
    expect(service.kit.store.name).toBeDefined()
  })

  it('falls back to the memory store when no Redis is configured', async () => {
    const { runtime, service } = await startRuntime({ db: new MemoryDatabase(), model: createFakeModel() })
    try {
      expect(service.kit.store.name).toBe('memory')
      await runtime.setCache('k', [1, 2, 3])
      expect(await runtime.getCache('k')).toEqual([1, 2, 3])
      const stats = await getCacheStats(runtime)
      expect(stats.redis.connected).toBe(false)
      expect(stats.local.size).toBeGreaterThan(0)
    } finally {
      await runtime.stop()
    }
  })

  it('reads its settings with getSetting (character settings), e.g. the global prefix', async () => {
    const { runtime, service } = await startRuntime({
      db: new MemoryDatabase(),
      model: createFakeModel(),
      redisUrl: redis.url,
      settings: { REDIS_KEY_PREFIX: 'agents:', REDIS_KIT_USER_RATE_LIMIT: '7' },
    })
    try {
      expect(service.kit.prefix).toBe(`agents:${runtime.agentId}:`)
      expect(service.userLimiter.limit).toBe(7)
    } finally {
      await runtime.stop()
    }
  })

  it('runs the example character (settings from the character, plugins passed as objects)', async () => {
    expect(character.plugins).toContain('redis-kit-example-elizaos')
    const runtime = new AgentRuntime({
      character: { ...structuredClone(character), id: newAgentId(), secrets: { REDIS_URL: redis.url } },
      plugins: [createFakeModel().plugin, redisKitPlugin],
      adapter: createMemoryAdapter(new MemoryDatabase()),
      settings: {},
    })
    await runtime.initialize({ skipMigrations: true })
    const service = (await runtime.getServiceLoadPromise(SERVICE_TYPE)) as RedisKitService
    try {
      expect(service.kit.prefix).toBe(`eliza:${runtime.agentId}:`)
      expect(service.settings.modelCacheTtl).toBe('1h')
      expect(service.userLimiter.limit).toBe(20)
      expect((await service.health()).store).toBe('redis')
    } finally {
      await runtime.stop()
    }
  })

  it('reports the seed’s cache statistics and health through the provider', async () => {
    const { runtime } = await startRuntime({
      db: new MemoryDatabase(),
      model: createFakeModel(),
      redisUrl: redis.url,
    })
    try {
      await runtime.setCache('a', 1)
      await runtime.getCache('a')
      const stats = await getCacheStats(runtime)
      expect(stats.local).toEqual({ size: expect.any(Number), maxSize: 10_000 })
      expect(stats.local.size).toBeGreaterThanOrEqual(1)
      expect(stats.redis.connected).toBe(true)
      expect(stats.redis.info.redis?.version).toMatch(/^\d+\./)

      const message = { entityId: runtime.agentId, roomId: runtime.agentId, content: { text: 'hi' } }
      const state = await runtime.composeState(message, ['REDIS_KIT_HEALTH'])
      expect(state.values.redisKitStatus).toBe('ok')
      const result = await redisKitHealthProvider.get(runtime, message, state)
      expect(result.text).toMatch(/^Cache store: redis, status ok/)
    } finally {
      await runtime.stop()
    }
  })
})
