/**
 * The seed's memory helpers on a runtime: getCachedMemories (cached per query, invalidated in every
 * process when memories in the room change) and createMemoriesBatch (writes a batch, invalidates
 * once per room).
 */
import { createHash } from 'node:crypto'
import type { IAgentRuntime, IDatabaseAdapter, Memory, UUID } from '@elizaos/core'
import {
  ALL_ROOMS,
  INNER,
  invalidateRooms,
  isRedisKitAdapter,
  KIT,
  memoryCache,
  roomTag,
} from './cache-adapter.js'
import { getRedisKit } from './service.js'

export type MemoryQuery = Parameters<IDatabaseAdapter['getMemories']>[0] & { roomId: UUID }

/** The memories of a query, from the cache or the database (then cached for REDIS_KIT_MEMORY_TTL). */
export async function getCachedMemories(runtime: IAgentRuntime, query: MemoryQuery): Promise<Memory[]> {
  const service = getRedisKit(runtime)
  if (!service) return runtime.getMemories(query)
  const { roomId } = query
  const fields = Object.entries(query)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
  const digest = createHash('sha256').update(JSON.stringify(fields)).digest('base64url')
  return memoryCache(service.kit).getOrSet(`${roomId}:${digest}`, () => runtime.getMemories(query), {
    ttl: service.settings.memoryTtl,
    tags: [roomTag(roomId), ALL_ROOMS],
  })
}

const BATCH_CONCURRENCY = 8

/**
 * Creates `memories` in `tableName` and returns their ids, in order; the cached queries of each
 * room touched are invalidated once, after the writes (in every process sharing Redis).
 */
export async function createMemoriesBatch(
  runtime: IAgentRuntime,
  memories: readonly Memory[],
  tableName: string,
  unique?: boolean,
): Promise<UUID[]> {
  const service = getRedisKit(runtime)
  // Write through the unwrapped adapter when there is one, so the batch invalidates once, not per memory.
  const adapter = (runtime as { adapter?: IDatabaseAdapter }).adapter
  const wrapped = adapter && isRedisKitAdapter(adapter) ? adapter : undefined
  const kit = service?.kit ?? wrapped?.[KIT]
  const create = wrapped
    ? (memory: Memory) => {
        if (unique !== undefined) memory.unique = unique
        return wrapped[INNER].createMemory(memory, tableName, unique)
      }
    : (memory: Memory) => runtime.createMemory(memory, tableName, unique)
  const ids: UUID[] = new Array(memories.length)
  let next = 0
  const worker = async () => {
    while (next < memories.length) {
      const index = next++
      ids[index] = await create(memories[index] as Memory)
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, memories.length) }, worker))
  } finally {
    // Even a batch that failed half-way wrote some memories: their rooms must not stay cached.
    if (kit && memories.length > 0) await invalidateRooms(kit, new Set(memories.map((m) => m.roomId)))
  }
  return ids
}
