/**
 * redisKitPlugin: list it in an agent's plugins (after the database and model plugins).
 */
import type { Plugin, Provider } from '@elizaos/core'
import { analyticsEvents } from './analytics.js'
import { modelCacheHandler, PLUGIN_NAME, TEXT_MODEL_TYPES } from './model-cache.js'
import { getRedisKit, RedisKitService } from './service.js'

/** Redis health for the agent's state: status, store, latency, circuit. */
export const redisKitHealthProvider: Provider = {
  name: 'REDIS_KIT_HEALTH',
  description: 'Health of the Redis behind the agent’s caches (ok, degraded: serving from memory, down)',
  dynamic: true,
  async get(runtime) {
    const service = getRedisKit(runtime)
    if (!service) return { text: 'redis-kit is not running', values: { redisKitStatus: 'stopped' } }
    const health = await service.health()
    const latency = health.latencyMs === null ? '' : `, latency ${health.latencyMs.toFixed(1)} ms`
    const detail = health.status === 'degraded' ? ' (Redis unavailable: serving from memory)' : ''
    return {
      text: `Cache store: ${health.store}, status ${health.status}${latency}${detail}`,
      values: { redisKitStatus: health.status, redisKitStore: health.store },
      data: { health },
    }
  },
}

/** Registered above model plugins (priority 0 by default), so cached answers come first. */
export const MODEL_CACHE_PRIORITY = 1000

export const redisKitPlugin: Plugin = {
  name: PLUGIN_NAME,
  description:
    'Redis-backed primitives for the agent (redis-kit): two-tier cache trio, model-response cache, cached memories, analytics, per-user rate limits; memory fallback when Redis is down',
  priority: MODEL_CACHE_PRIORITY,
  services: [RedisKitService],
  providers: [redisKitHealthProvider],
  events: analyticsEvents,
  models: Object.fromEntries(TEXT_MODEL_TYPES.map((type) => [type, modelCacheHandler(type)])),
}

export default redisKitPlugin
