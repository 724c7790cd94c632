/**
 * Configuration from environment variables, as the seeds document them: REDIS_URL (redis:// or
 * rediss://), or REDIS_HOST / REDIS_PORT / REDIS_PASSWORD / REDIS_DB / REDIS_TLS, and
 * REDIS_KEY_PREFIX. Blank values count as unset. Nothing set → no Redis (the memory store).
 */
import { RedisKitError } from '../errors.js'
import type { RedisStoreOptions } from '../stores/redis-options.js'

export interface EnvConfig {
  /** Redis connection options, or undefined when the environment configures no Redis. */
  redis?: RedisStoreOptions
  prefix?: string
}

type Env = Readonly<Record<string, string | undefined>>

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value ? value : undefined
}

function integer(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = read(env, name)
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    throw new RedisKitError(
      'INVALID_OPTIONS',
      `${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`,
    )
  }
  return n
}

function flag(env: Env, name: string): boolean {
  const raw = read(env, name)?.toLowerCase()
  if (raw === undefined || raw === '0' || raw === 'false' || raw === 'no') return false
  if (raw === '1' || raw === 'true' || raw === 'yes') return true
  throw new RedisKitError('INVALID_OPTIONS', `${name} must be true/false or 1/0 (got ${JSON.stringify(raw)})`)
}

/** Reads the kit's configuration from `env` (default: process.env). */
export function configFromEnv(env: Env = process.env): EnvConfig {
  const config: EnvConfig = {}
  const prefix = env.REDIS_KEY_PREFIX
  if (prefix !== undefined && prefix.trim() !== '') config.prefix = prefix.trim()
  const url = read(env, 'REDIS_URL')
  const host = read(env, 'REDIS_HOST')
  const port = integer(env, 'REDIS_PORT', 1, 65535)
  if (url === undefined && host === undefined && port === undefined) return config
  const redis: RedisStoreOptions = url ? { url } : { host: host ?? '127.0.0.1', port: port ?? 6379 }
  const password = read(env, 'REDIS_PASSWORD')
  const db = integer(env, 'REDIS_DB', 0, 1_000_000)
  if (password !== undefined) redis.password = password
  if (db !== undefined) redis.db = db
  if (flag(env, 'REDIS_TLS')) redis.tls = true
  config.redis = redis
  return config
}
