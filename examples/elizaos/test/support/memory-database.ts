/**
 * A small in-memory ElizaOS database: what AgentRuntime.initialize() touches (agents, worlds,
 * entities, rooms, participants), memories, logs and the cache trio. One MemoryDatabase stands for
 * one shared database server; each runtime gets its own adapter onto it (as each process would
 * have its own connection). Methods no test reaches answer empty (null / []).
 */
import { randomUUID } from 'node:crypto'
import type { Agent, Entity, IDatabaseAdapter, Memory, Room, UUID, World } from '@elizaos/core'

export class MemoryDatabase {
  readonly agents = new Map<string, Partial<Agent>>()
  readonly worlds = new Map<string, World>()
  readonly entities = new Map<string, Entity>()
  readonly rooms = new Map<string, Room>()
  readonly participants = new Map<string, Set<UUID>>()
  readonly memories = new Map<string, Memory & { tableName: string }>()
  readonly cache = new Map<string, unknown>()
  /** Calls per method, for assertions ("the database was read once"). */
  readonly calls = new Map<string, number>()

  count(method: string): number {
    return this.calls.get(method) ?? 0
  }
}

const clone = <T>(value: T): T => structuredClone(value)

export function createMemoryAdapter(db: MemoryDatabase): IDatabaseAdapter {
  const methods: Partial<Record<keyof IDatabaseAdapter, unknown>> = {
    db,
    async initialize() {},
    async init() {},
    async isReady() {
      return true
    },
    async close() {},
    async getConnection() {
      return db
    },
    async getAgent(agentId: UUID) {
      const agent = db.agents.get(agentId)
      return agent ? clone(agent) : null
    },
    async getAgents() {
      return [...db.agents.values()].map(clone)
    },
    async createAgent(agent: Partial<Agent>) {
      if (!agent.id) return false
      db.agents.set(agent.id, clone(agent))
      return true
    },
    async updateAgent(agentId: UUID, agent: Partial<Agent>) {
      db.agents.set(agentId, { ...db.agents.get(agentId), ...clone(agent) })
      return true
    },
    async deleteAgent(agentId: UUID) {
      return db.agents.delete(agentId)
    },
    async ensureEmbeddingDimension() {},
    async getEntitiesByIds(ids: UUID[]) {
      return ids.flatMap((id) => (db.entities.has(id) ? [clone(db.entities.get(id) as Entity)] : []))
    },
    async getEntitiesForRoom(roomId: UUID) {
      return [...(db.participants.get(roomId) ?? [])].flatMap((id) => {
        const entity = db.entities.get(id)
        return entity ? [clone(entity)] : []
      })
    },
    async createEntities(entities: Entity[]) {
      for (const entity of entities) if (entity.id) db.entities.set(entity.id, clone(entity))
      return true
    },
    async updateEntity(entity: Entity) {
      if (entity.id) db.entities.set(entity.id, clone(entity))
    },
    async getComponent() {
      return null
    },
    async getComponents() {
      return []
    },
    async createWorld(world: World) {
      db.worlds.set(world.id, clone(world))
      return world.id
    },
    async getWorld(id: UUID) {
      const world = db.worlds.get(id)
      return world ? clone(world) : null
    },
    async getRoomsByIds(ids: UUID[]) {
      return ids.flatMap((id) => (db.rooms.has(id) ? [clone(db.rooms.get(id) as Room)] : []))
    },
    async createRooms(rooms: Room[]) {
      for (const room of rooms) db.rooms.set(room.id, clone(room))
      return rooms.map((room) => room.id)
    },
    async getParticipantsForRoom(roomId: UUID) {
      return [...(db.participants.get(roomId) ?? [])]
    },
    async addParticipantsRoom(entityIds: UUID[], roomId: UUID) {
      const set = db.participants.get(roomId) ?? new Set<UUID>()
      for (const id of entityIds) set.add(id)
      db.participants.set(roomId, set)
      return true
    },
    async isRoomParticipant(roomId: UUID, entityId: UUID) {
      return db.participants.get(roomId)?.has(entityId) ?? false
    },
    async getMemories(params: Parameters<IDatabaseAdapter['getMemories']>[0]) {
      const found = [...db.memories.values()]
        .filter(
          (m) =>
            m.tableName === params.tableName &&
            (!params.roomId || m.roomId === params.roomId) &&
            (!params.entityId || m.entityId === params.entityId) &&
            (!params.agentId || m.agentId === params.agentId) &&
            (params.unique === undefined || !params.unique || m.unique === true),
        )
        .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0))
      const start = params.offset ?? 0
      return found
        .slice(start, params.count === undefined ? undefined : start + params.count)
        .map(({ tableName: _table, ...memory }) => clone(memory))
    },
    async getMemoryById(id: UUID) {
      const found = db.memories.get(id)
      if (!found) return null
      const { tableName: _table, ...memory } = found
      return clone(memory)
    },
    async getMemoriesByIds(ids: UUID[]) {
      return ids.flatMap((id) => {
        const found = db.memories.get(id)
        if (!found) return []
        const { tableName: _table, ...memory } = found
        return [clone(memory)]
      })
    },
    async createMemory(memory: Memory, tableName: string, unique?: boolean) {
      const id = (memory.id ?? randomUUID()) as UUID
      db.memories.set(id, {
        ...clone(memory),
        id,
        tableName,
        unique: unique ?? memory.unique ?? false,
        createdAt: memory.createdAt ?? Date.now(),
      })
      return id
    },
    async updateMemory(memory: Partial<Memory> & { id: UUID }) {
      const found = db.memories.get(memory.id)
      if (!found) return false
      db.memories.set(memory.id, { ...found, ...clone(memory) })
      return true
    },
    async deleteMemory(id: UUID) {
      db.memories.delete(id)
    },
    async deleteManyMemories(ids: UUID[]) {
      for (const id of ids) db.memories.delete(id)
    },
    async deleteAllMemories(roomId: UUID, tableName: string) {
      for (const [id, m] of db.memories)
        if (m.roomId === roomId && m.tableName === tableName) db.memories.delete(id)
    },
    async countMemories(roomId: UUID, _unique?: boolean, tableName?: string) {
      return [...db.memories.values()].filter(
        (m) => m.roomId === roomId && (!tableName || m.tableName === tableName),
      ).length
    },
    async log() {},
    async getLogs() {
      return []
    },
    async getCache<T>(key: string) {
      return db.cache.has(key) ? (clone(db.cache.get(key)) as T) : undefined
    },
    async setCache<T>(key: string, value: T) {
      db.cache.set(key, clone(value))
      return true
    },
    async deleteCache(key: string) {
      return db.cache.delete(key)
    },
  }
  return new Proxy(methods as IDatabaseAdapter, {
    get(target, property) {
      if (typeof property !== 'string') return undefined
      if (property in target) {
        const value = target[property as keyof IDatabaseAdapter]
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          db.calls.set(property, (db.calls.get(property) ?? 0) + 1)
          return (value as (...a: unknown[]) => unknown)(...args)
        }
      }
      if (property === 'then') return undefined // not a thenable
      // Anything else initialize() or the tests never reach: an empty answer.
      return async () => (/^get.*s$|^search/.test(property) ? [] : null)
    },
  })
}
