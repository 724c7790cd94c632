/**
 * The plugin's settings, read with runtime.getSetting (character secrets, character settings, or
 * the runtime's `settings`; ElizaOS does not read process.env unless the host passes it in).
 */
import type { IAgentRuntime } from '@elizaos/core'
import type { Duration } from 'redis-kit'

/** The connection settings redis-kit understands (see redis-kit's docs/configuration.md). */
export const CONNECTION_SETTINGS = [
  'REDIS_URL',
  'REDIS_HOST',
  'REDIS_PORT',
  'REDIS_PASSWORD',
  'REDIS_DB',
  'REDIS_TLS',
] as const

export interface RedisKitSettings {
  /** The connection settings present, as strings (redis-kit's environment form). */
  connection: Record<string, string>
  /** Global key prefix; the agent id follows it. REDIS_KEY_PREFIX, default 'eliza:'. */
  prefix: string
  /** Deadline of each Redis call before the memory fallback answers. REDIS_KIT_TIMEOUT, default '250ms'. */
  timeout: Duration
  /** TTL of the cache trio (getCache/setCache). REDIS_KIT_CACHE_TTL, default '1h'. */
  cacheTtl: Duration
  /** Model-response caching on/off. REDIS_KIT_MODEL_CACHE, default true. */
  modelCache: boolean
  /** Also cache sampled answers (temperature > 0 without a seed). REDIS_KIT_MODEL_CACHE_SAMPLED, default true. */
  modelCacheSampled: boolean
  /** TTL of a cached model response. REDIS_KIT_MODEL_CACHE_TTL, default '1h'. */
  modelCacheTtl: Duration
  /** TTL of cached memory queries. REDIS_KIT_MEMORY_TTL, default '5m'. */
  memoryTtl: Duration
  /** Messages per user per window. REDIS_KIT_USER_RATE_LIMIT, default 20. */
  userRateLimit: number
  /** The window of that limit. REDIS_KIT_USER_RATE_WINDOW, default '1m'. */
  userRateWindow: Duration
}

function text(runtime: IAgentRuntime, name: string): string | undefined {
  const value = runtime.getSetting(name)
  if (value === null || value === undefined) return undefined
  const s = String(value).trim()
  return s === '' ? undefined : s
}

/** A duration setting: a number of seconds or a duration string ('250ms', '5m', '1h'). */
function duration(runtime: IAgentRuntime, name: string, fallback: Duration): Duration {
  const raw = text(runtime, name)
  if (raw === undefined) return fallback
  return /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : (raw as Duration)
}

function positiveInteger(runtime: IAgentRuntime, name: string, fallback: number): number {
  const raw = text(runtime, name)
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1 (got ${raw})`)
  return n
}

function flag(runtime: IAgentRuntime, name: string, fallback: boolean): boolean {
  const raw = text(runtime, name)?.toLowerCase()
  if (raw === undefined) return fallback
  return !(raw === 'false' || raw === '0' || raw === 'no' || raw === 'off')
}

export function readSettings(runtime: IAgentRuntime): RedisKitSettings {
  const connection: Record<string, string> = {}
  for (const name of CONNECTION_SETTINGS) {
    const value = text(runtime, name)
    if (value !== undefined) connection[name] = value
  }
  return {
    connection,
    prefix: text(runtime, 'REDIS_KEY_PREFIX') ?? 'eliza:',
    timeout: duration(runtime, 'REDIS_KIT_TIMEOUT', '250ms'),
    cacheTtl: duration(runtime, 'REDIS_KIT_CACHE_TTL', '1h'),
    modelCache: flag(runtime, 'REDIS_KIT_MODEL_CACHE', true),
    modelCacheSampled: flag(runtime, 'REDIS_KIT_MODEL_CACHE_SAMPLED', true),
    modelCacheTtl: duration(runtime, 'REDIS_KIT_MODEL_CACHE_TTL', '1h'),
    memoryTtl: duration(runtime, 'REDIS_KIT_MEMORY_TTL', '5m'),
    userRateLimit: positiveInteger(runtime, 'REDIS_KIT_USER_RATE_LIMIT', 20),
    userRateWindow: duration(runtime, 'REDIS_KIT_USER_RATE_WINDOW', '1m'),
  }
}
