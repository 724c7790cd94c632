import type { Memory, UUID } from '@elizaos/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createMemoriesBatch, getCachedMemories, getRedisKit, type RedisKitService } from '../src/index.js'
import { MemoryDatabase } from './support/memory-database.js'
import { type RedisServer, startRedisServer } from './support/redis-server.js'
import { createFakeModel, eventually, newAgentId, startRuntime, type TestRuntime } from './support/runtime.js'

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

/** Two instances of one agent on one database and one Redis. */
async function twoInstances() {
  const db = new MemoryDatabase()
  const agentId = newAgentId()
  const model = createFakeModel()
  const a = await startRuntime({ db, model, agentId, redisUrl: redis.url })
  const b = await startRuntime({ db, model, agentId, redisUrl: redis.url })
  started.push(a, b)
  return { db, agentId, a: a.runtime, b: b.runtime }
}

const message = (roomId: UUID, entityId: UUID, text: string, createdAt = Date.now()): Memory => ({
  entityId,
  roomId,
  content: { text },
  createdAt,
})

describe('cached memories (the seed’s getCachedMemories / createMemoriesBatch)', () => {
  it('reads the database once for repeated queries, and again after a write from another runtime', async () => {
    const { db, agentId, a, b } = await twoInstances()
    const roomId = newAgentId()
    const user = newAgentId()
    await a.createMemory(message(roomId, user, 'first', 1), 'messages')
    const query = { tableName: 'messages', roomId, count: 20 }

    const before = db.count('getMemories')
    expect((await getCachedMemories(a, query)).map((m) => m.content.text)).toEqual(['first'])
    expect((await getCachedMemories(a, query)).map((m) => m.content.text)).toEqual(['first'])
    expect((await getCachedMemories(b, query)).map((m) => m.content.text)).toEqual(['first']) // from Redis
    expect(db.count('getMemories') - before).toBe(1)

    // Another instance writes through the runtime (its adapter is wrapped by the service).
    await b.createMemory(message(roomId, user, 'second', 2), 'messages')
    await eventually(async () =>
      expect((await getCachedMemories(a, query)).map((m) => m.content.text)).toEqual(['second', 'first']),
    )
    expect(agentId).toBe(a.agentId)
  })

  it('keeps other rooms cached when one room changes', async () => {
    const { db, a, b } = await twoInstances()
    const [room1, room2, user] = [newAgentId(), newAgentId(), newAgentId()]
    await a.createMemory(message(room1, user, 'in room 1'), 'messages')
    await a.createMemory(message(room2, user, 'in room 2'), 'messages')
    await getCachedMemories(a, { tableName: 'messages', roomId: room1 })
    await getCachedMemories(a, { tableName: 'messages', roomId: room2 })
    const reads = db.count('getMemories')
    await b.createMemory(message(room1, user, 'more in room 1'), 'messages')
    await eventually(async () =>
      expect(await getCachedMemories(a, { tableName: 'messages', roomId: room1 })).toHaveLength(2),
    )
    expect(await getCachedMemories(a, { tableName: 'messages', roomId: room2 })).toHaveLength(1)
    expect(db.count('getMemories') - reads).toBe(1) // room 1 read again, room 2 still cached
  })

  it('invalidates after updates and deletes too', async () => {
    const { a, b } = await twoInstances()
    const [roomId, user] = [newAgentId(), newAgentId()]
    const id = await a.createMemory(message(roomId, user, 'draft'), 'messages')
    const query = { tableName: 'messages', roomId }
    expect((await getCachedMemories(a, query))[0]?.content.text).toBe('draft')
    await b.updateMemory({ id, content: { text: 'final' } })
    await eventually(async () => expect((await getCachedMemories(a, query))[0]?.content.text).toBe('final'))
    await b.deleteMemory(id)
    await eventually(async () => expect(await getCachedMemories(a, query)).toEqual([]))
  })

  it('createMemoriesBatch writes every memory, returns the ids in order, and invalidates once per room', async () => {
    const { db, a, b } = await twoInstances()
    const [roomId, otherRoom, user] = [newAgentId(), newAgentId(), newAgentId()]
    const query = { tableName: 'facts', roomId, count: 50 }
    expect(await getCachedMemories(a, query)).toEqual([])

    const service = getRedisKit(b) as RedisKitService
    const invalidationsBefore = service.kit.cache.stats().invalidations
    const batch = Array.from({ length: 12 }, (_, i) =>
      message(i < 10 ? roomId : otherRoom, user, `fact ${i}`, i),
    )
    const ids = await createMemoriesBatch(b, batch, 'facts', true)
    expect(ids).toHaveLength(12)
    expect(ids.map((id) => db.memories.get(id)?.content.text)).toEqual(batch.map((m) => m.content.text))
    expect(ids.every((id) => db.memories.get(id)?.unique === true)).toBe(true)
    // One invalidation for the batch (both rooms' tags together), not twelve.
    expect(service.kit.cache.stats().invalidations - invalidationsBefore).toBe(1)
    // Memories written one by one through the runtime invalidate one by one.
    await b.createMemory(message(roomId, user, 'single 1', 100), 'facts')
    await b.createMemory(message(roomId, user, 'single 2', 101), 'facts')
    expect(service.kit.cache.stats().invalidations - invalidationsBefore).toBe(3)

    await eventually(async () => expect(await getCachedMemories(a, query)).toHaveLength(12))
  })
})
