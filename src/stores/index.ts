/**
 * @module redis-kit/stores
 * The Store contract and the stores that implement it.
 */

export { defineScript, type ScriptDefinition } from './define-script.js'
export { ephemeral } from './durability.js'
export {
  createFailoverStore,
  type FailoverEvents,
  type FailoverStats,
  type FailoverStore,
  type FailoverStoreOptions,
} from './failover/index.js'
export { formatDouble, luaToNumber } from './lua.js'
export {
  createMemoryStore,
  type MemoryStore,
  type MemoryStoreOptions,
  type MemoryStoreStats,
} from './memory/index.js'
export {
  createRedisStore,
  type RedisConnectionInput,
  type RedisStore,
  type RedisStoreEvents,
  type RedisStoreOptions,
} from './redis.js'
export * from './types.js'
