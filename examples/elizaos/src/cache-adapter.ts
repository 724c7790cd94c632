/**
 * withRedisKitCache(adapter, kit): any ElizaOS database adapter, with its cache trio
 * (getCache / setCache / deleteCache) served by the kit's two-tier cache — real TTLs in Redis, an
 * in-process L1 kept coherent across processes, the memory fallback while Redis is down — and
 * every other method handed to the wrapped adapter. Memory writes that go through the wrapper
 * also invalidate the memory queries cached by getCachedMemories, in every process.
 */
import type { IDatabaseAdapter, Memory, UUID } from '@elizaos/core'
import type { Cache, Kit, Ttl } from 'redis-kit'

/** The wrapped adapter (`adapter[INNER]`), and the kit a wrapper uses (`adapter[KIT]`). */
export const INNER = Symbol.for('redis-kit.elizaos.inner')
export const KIT = Symbol.for('redis-kit.elizaos.kit')

export interface RedisKitCacheOptions {
  /** TTL of each cache entry: one for all, or chosen per key (undefined → the default). @default '1h' */
  ttl?: Ttl | ((key: string) => Ttl | undefined)
  /** Called when a cache call failed and answered as a miss / `false` (never silent). */
  onError?: (error: unknown, operation: CacheOperation, key: string) => void
}

/** What failed: a cache call, or the invalidation after a memory write (the write itself succeeded). */
export type CacheOperation = 'getCache' | 'setCache' | 'deleteCache' | 'invalidate'

export type RedisKitAdapter<A extends IDatabaseAdapter = IDatabaseAdapter> = A & {
  readonly [INNER]: A
  readonly [KIT]: Kit
}

/** The namespace of the ElizaOS cache trio inside the kit's cache. */
export function adapterCache(kit: Kit): Cache {
  return kit.cache.namespace('db')
}

/** The namespace of cached memory queries (shared by the wrapper and getCachedMemories). */
export function memoryCache(kit: Kit): Cache {
  return kit.cache.namespace('memories')
}

/** Every cached memory query of a room carries this tag; `ALL_ROOMS` is on all of them. */
export const roomTag = (roomId: string): string => `room:${roomId}`
export const ALL_ROOMS = 'rooms:all'

/** Invalidates the memory queries cached for these rooms (unknown room: all of them), everywhere. */
export async function invalidateRooms(kit: Kit, roomIds: Iterable<string | undefined>): Promise<void> {
  const tags = new Set<string>()
  for (const roomId of roomIds) tags.add(roomId ? roomTag(roomId) : ALL_ROOMS)
  if (tags.size > 0) await memoryCache(kit).invalidateTags([...tags])
}

export function isRedisKitAdapter(adapter: unknown): adapter is RedisKitAdapter {
  return typeof adapter === 'object' && adapter !== null && KIT in adapter
}

/** Wraps `adapter`; the kit stays yours to close. */
export function withRedisKitCache<A extends IDatabaseAdapter>(
  adapter: A,
  kit: Kit,
  options: RedisKitCacheOptions = {},
): RedisKitAdapter<A> {
  if (isRedisKitAdapter(adapter)) return adapter as RedisKitAdapter<A>
  const cache = adapterCache(kit)
  const ttlOf = (key: string): Ttl | undefined =>
    typeof options.ttl === 'function' ? options.ttl(key) : (options.ttl ?? '1h')
  const failed = (error: unknown, operation: CacheOperation, key: string) => {
    options.onError?.(error, operation, key)
  }
  // A memory write that succeeded is not reported as failed because its invalidation did not
  // reach the cache (with the kit's failover store it never fails: it is journaled and replayed).
  const invalidate = async (rooms: (string | undefined)[]) => {
    try {
      await invalidateRooms(kit, rooms)
    } catch (error) {
      failed(error, 'invalidate', rooms.join(','))
    }
  }
  const roomsOf = async (ids: UUID[]): Promise<(string | undefined)[]> => {
    try {
      const found = await adapter.getMemoriesByIds(ids)
      return found.length === ids.length ? found.map((m) => m.roomId) : [undefined]
    } catch {
      return [undefined]
    }
  }

  const overrides: Record<PropertyKey, unknown> = {
    [INNER]: adapter,
    [KIT]: kit,
    async getCache<T>(key: string): Promise<T | undefined> {
      try {
        return await cache.get<T>(key)
      } catch (error) {
        failed(error, 'getCache', key)
        return undefined
      }
    },
    async setCache<T>(key: string, value: T): Promise<boolean> {
      try {
        if (value === undefined) await cache.delete(key)
        else await cache.set(key, value, { ttl: ttlOf(key) ?? '1h' })
        return true
      } catch (error) {
        failed(error, 'setCache', key)
        return false
      }
    },
    async deleteCache(key: string): Promise<boolean> {
      try {
        await cache.delete(key)
        return true
      } catch (error) {
        failed(error, 'deleteCache', key)
        return false
      }
    },
    async createMemory(memory: Memory, tableName: string, unique?: boolean): Promise<UUID> {
      const id = await adapter.createMemory(memory, tableName, unique)
      await invalidate([memory.roomId])
      return id
    },
    async updateMemory(memory: Parameters<IDatabaseAdapter['updateMemory']>[0]): Promise<boolean> {
      const rooms = memory.roomId ? [memory.roomId] : await roomsOf([memory.id])
      const updated = await adapter.updateMemory(memory)
      await invalidate(rooms)
      return updated
    },
    async deleteMemory(memoryId: UUID): Promise<void> {
      const rooms = await roomsOf([memoryId])
      await adapter.deleteMemory(memoryId)
      await invalidate(rooms)
    },
    async deleteManyMemories(memoryIds: UUID[]): Promise<void> {
      if (memoryIds.length === 0) return adapter.deleteManyMemories(memoryIds)
      const rooms = await roomsOf(memoryIds)
      await adapter.deleteManyMemories(memoryIds)
      await invalidate(rooms)
    },
    async deleteAllMemories(roomId: UUID, tableName: string): Promise<void> {
      await adapter.deleteAllMemories(roomId, tableName)
      await invalidate([roomId])
    },
  }

  return new Proxy(adapter, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property]
      const value = Reflect.get(target, property, target)
      // Bound to the adapter itself, so class adapters with private fields keep working.
      return typeof value === 'function' ? value.bind(target) : value
    },
    has(target, property) {
      return Object.hasOwn(overrides, property) || Reflect.has(target, property)
    },
  }) as RedisKitAdapter<A>
}
