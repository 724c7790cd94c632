import { EventType, type Memory, ModelType, type UUID } from '@elizaos/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  getAgentAnalytics,
  getCachedMemories,
  getCacheStats,
  getRedisKit,
  type RedisKitService,
  redisKitHealthProvider,
} from '../src/index.js'
import { MemoryDatabase } from './support/memory-database.js'
import { type RedisServer, startRedisServer } from './support/redis-server.js'
import { createFakeModel, eventually, newAgentId, startRuntime } from './support/runtime.js'

let redis: RedisServer
beforeAll(async () => {
  redis = await startRedisServer()
})
afterAll(async () => {
  await redis?.stop()
})

/** Runs `work` and checks it answered within `ms` (no call may hang on a dead Redis). */
async function bounded<T>(work: () => Promise<T>, ms = 1500): Promise<T> {
  const started = performance.now()
  const result = await work()
  expect(performance.now() - started).toBeLessThan(ms)
  return result
}

const memory = (roomId: UUID, text: string): Memory => ({
  entityId: newAgentId(),
  roomId,
  content: { text },
  createdAt: Date.now(),
})

describe('Redis stopped mid-test', () => {
  it('keeps every feature answering from memory, then goes back to Redis', async () => {
    const db = new MemoryDatabase()
    const model = createFakeModel()
    const { runtime, service } = await startRuntime({
      db,
      model,
      redisUrl: redis.url,
      settings: { REDIS_KIT_TIMEOUT: '100ms', REDIS_KIT_USER_RATE_LIMIT: '2' },
    })
    const roomId = newAgentId()
    const failovers: unknown[] = []
    service.kit.on('failover', (event) => failovers.push(event))

    // Before: everything on Redis.
    expect(await runtime.setCache('before', 1)).toBe(true)
    await runtime.useModel(ModelType.TEXT_SMALL, { prompt: 'before' })
    expect((await getCacheStats(runtime)).redis.connected).toBe(true)

    await redis.kill()

    // The cache trio.
    expect(await bounded(() => runtime.setCache('during', { ok: true }))).toBe(true)
    expect(await bounded(() => runtime.getCache('during'))).toEqual({ ok: true })
    expect(await bounded(() => runtime.deleteCache('during'))).toBe(true)
    expect(await bounded(() => runtime.getCache('during'))).toBeUndefined()

    // Model answers: the model is called, and the answer is cached in memory meanwhile.
    const calls = model.calls.length
    const answer = await bounded(() =>
      runtime.useModel(ModelType.TEXT_SMALL, { prompt: 'during the outage' }),
    )
    expect(await bounded(() => runtime.useModel(ModelType.TEXT_SMALL, { prompt: 'during the outage' }))).toBe(
      answer,
    )
    expect(model.calls.length - calls).toBe(1)

    // Memories: cached, and invalidated by a write.
    await runtime.createMemory(memory(roomId, 'one'), 'messages')
    expect(await bounded(() => getCachedMemories(runtime, { tableName: 'messages', roomId }))).toHaveLength(1)
    await runtime.createMemory(memory(roomId, 'two'), 'messages')
    expect(await bounded(() => getCachedMemories(runtime, { tableName: 'messages', roomId }))).toHaveLength(2)

    // Analytics and rate limits keep counting.
    const user = newAgentId()
    await bounded(() =>
      runtime.emitEvent(EventType.MESSAGE_RECEIVED, {
        runtime,
        source: 'test',
        message: { ...memory(roomId, 'hello #outage'), entityId: user },
      }),
    )
    const analytics = await bounded(() => getAgentAnalytics(runtime))
    expect(analytics.messages.total).toBe(1)
    expect(analytics.trendingTopics[0]?.member).toBe('outage')
    const limited = await bounded(async () => {
      const decisions: boolean[] = []
      for (let i = 0; i < 3; i++) decisions.push((await service.userLimiter.check(user)).allowed)
      return decisions
    })
    expect(limited).toEqual([true, true, false])

    // Health says so.
    const stats = await bounded(() => getCacheStats(runtime))
    expect(stats.redis.connected).toBe(false)
    expect(stats.redis.info.status).toBe('degraded')
    expect(failovers.length).toBeGreaterThanOrEqual(1)
    const message = memory(roomId, 'status?')
    const state = await runtime.composeState(message, ['REDIS_KIT_HEALTH'])
    const provided = await redisKitHealthProvider.get(runtime, message, state)
    expect(provided.text).toContain('serving from memory')

    // Redis back: the kit recovers by itself.
    await redis.restart()
    await eventually(async () => expect((await getCacheStats(runtime)).redis.connected).toBe(true), 10_000)
    expect(await runtime.setCache('after', 'back')).toBe(true)
    expect(await runtime.getCache('after')).toBe('back')

    await bounded(() => runtime.stop(), 5000)
    expect(getRedisKit(runtime)).toBeUndefined()
  })

  it('starts and stops a runtime while Redis is down (memory from the first call)', async () => {
    const dead = await startRedisServer()
    const url = dead.url
    await dead.stop()
    const model = createFakeModel()
    const { runtime, service } = await bounded(
      () =>
        startRuntime({
          db: new MemoryDatabase(),
          model,
          redisUrl: url,
          settings: { REDIS_KIT_TIMEOUT: '100ms' },
        }),
      5000,
    )
    expect((service as RedisKitService).kit.store.name).not.toBe('memory')
    expect(await bounded(() => runtime.setCache('k', 'v'))).toBe(true)
    expect(await bounded(() => runtime.getCache('k'))).toBe('v')
    const first = await bounded(() => runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'p' }))
    expect(await bounded(() => runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'p' }))).toBe(first)
    expect(model.calls).toHaveLength(1)
    // Closing a kit whose Redis never answered waits for the connection attempts to give up (~4 s).
    await bounded(() => runtime.stop(), 10_000)
  })
})
