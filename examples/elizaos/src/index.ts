/**
 * redis-kit for ElizaOS agents: the plugin, the adapter wrapper, and the seed's helpers.
 */
export {
  type AgentAnalytics,
  checkUserRate,
  getAgentAnalytics,
  topicsOf,
  withUserRateLimit,
} from './analytics.js'
export {
  adapterCache,
  INNER,
  invalidateRooms,
  isRedisKitAdapter,
  KIT,
  memoryCache,
  type RedisKitAdapter,
  type RedisKitCacheOptions,
  withRedisKitCache,
} from './cache-adapter.js'
export { character } from './character.js'
export { createMemoriesBatch, getCachedMemories, type MemoryQuery } from './memories.js'
export {
  cachedModelCall,
  modelCacheHandler,
  modelRequest,
  nextModel,
  TEXT_MODEL_TYPES,
} from './model-cache.js'
export {
  MODEL_CACHE_PRIORITY,
  redisKitHealthProvider,
  redisKitPlugin,
  redisKitPlugin as default,
} from './plugin.js'
export {
  type CacheStats,
  createAgentKit,
  getCacheStats,
  getRedisKit,
  RedisKitService,
  SERVICE_TYPE,
} from './service.js'
export { type RedisKitSettings, readSettings } from './settings.js'
