/**
 * How the doctor reaches Redis: through createKit itself (failover off), so that `--url`,
 * `--prefix`, REDIS_URL, REDIS_HOST, REDIS_PORT, REDIS_PASSWORD, REDIS_DB, REDIS_TLS and
 * REDIS_KEY_PREFIX resolve exactly as they do in the application. A server that turns out to
 * be a Redis Cluster node is then reached as a cluster, with the same credentials.
 */
import type { Redis } from 'ioredis'
import { RedisKitError } from '../errors.js'
import { addressOf } from '../internal/redact.js'
import { createKit } from '../kit.js'
import { createRedisStore } from '../stores/redis.js'
import type { RedisStore } from '../stores/redis-store.js'
import type { StoreInfo } from '../stores/types.js'

export interface ConnectOptions {
  url?: string
  prefix?: string
  env: Readonly<Record<string, string | undefined>>
}

export interface Target {
  /** A standalone store, or a cluster store when the server is a cluster node. */
  store: RedisStore
  prefix: string
  /** Where the configuration came from (never the URL itself). */
  source: string
  /** host:port, never credentials. */
  address: string
  /** The password in use, kept only so that output can be scrubbed of it. */
  secrets: string[]
  /** INFO of the server first reached; null when the user may not run INFO. */
  info: StoreInfo | null
  /** The masters (one node when standalone). */
  masters(): Redis[]
  close(): Promise<void>
}

/** A configuration problem (no Redis configured, invalid options): exit 1 before any check. */
export class ConfigProblem extends Error {}

function sourceOf(options: ConnectOptions): string {
  if (options.url !== undefined) return '--url'
  const env = options.env
  if (env.REDIS_URL?.trim()) return 'REDIS_URL'
  return 'REDIS_HOST/REDIS_PORT'
}

/** Connects (bounded by the store's connect timeout) or throws: ConfigProblem or RedisKitError. */
export async function connect(options: ConnectOptions): Promise<Target> {
  let kit: ReturnType<typeof createKit>
  try {
    kit = createKit({
      ...(options.url !== undefined ? { redis: options.url } : {}),
      ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
      failover: false,
      env: { ...options.env },
    })
  } catch (err) {
    throw new ConfigProblem((err as Error).message)
  }
  if (kit.store.name !== 'redis') {
    await kit.close()
    throw new ConfigProblem(
      'no Redis configured: pass --url redis://host:6379 or set REDIS_URL (or REDIS_HOST, REDIS_PORT, REDIS_PASSWORD)',
    )
  }
  const standalone = kit.store as RedisStore
  const client = standalone.client as Redis
  const { password, username, tls, host, port } = client.options
  const secrets = password ? [password] : []
  const base = { prefix: kit.prefix, source: sourceOf(options), address: addressOf(client), secrets }
  const info = await reach(standalone, () => standalone.info().catch(deniedAsNull)).catch(
    async (err: unknown) => {
      await kit.close()
      throw err
    },
  )
  if (info?.redis_mode !== 'cluster') {
    return { ...base, store: standalone, info, masters: () => [client], close: () => kit.close() }
  }
  await kit.close()
  const cluster = createRedisStore({
    cluster: [{ host: host ?? '127.0.0.1', port: port ?? 6379 }],
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(tls ? { tls: tls as Record<string, unknown> } : {}),
  })
  await reach(cluster, () => cluster.ping()).catch(async (err: unknown) => {
    await cluster.close()
    throw err
  })
  const masters = () => (cluster.client as unknown as { nodes(role: 'master'): Redis[] }).nodes('master')
  return { ...base, store: cluster, info, masters, close: () => cluster.close() }
}

/** An ACL refusal (NOPERM) reads as "unknown"; any other error is thrown. */
export function deniedAsNull(err: unknown): null {
  if (/NOPERM/.test((err as Error).message)) return null
  throw err
}

/**
 * Runs the first call on a store, failing at the first connection error (refused, unknown host,
 * WRONGPASS …) rather than after the connect timeout: the doctor reports, it does not retry.
 */
async function reach<T>(store: RedisStore, first: () => Promise<T>): Promise<T> {
  let off = () => {}
  const failed = new Promise<never>((_, reject) => {
    off = store.on('error', (err) => reject(new RedisKitError('UNAVAILABLE', err.message)))
  })
  failed.catch(() => {}) // an error after the race is settled is nobody's business
  try {
    return await Promise.race([store.ping().then(first), failed])
  } finally {
    off()
  }
}

/** True for errors that mean "could not reach or authenticate", after which nothing else runs. */
export function isConnectionError(err: unknown): boolean {
  return err instanceof RedisKitError && (err.code === 'UNAVAILABLE' || err.code === 'TIMEOUT')
}
