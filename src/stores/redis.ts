/**
 * @module stores/redis
 * createRedisStore: the only module that imports ioredis at run time. It builds clients with
 * settings that never hang (no offline queue, a command timeout, a socket timeout, a short
 * connect timeout, a capped reconnect backoff, no blind resend of unfinished writes), or wraps
 * a client the caller already has (left open on close).
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis'
import { invalidArgument } from '../errors.js'
import { toMs } from '../internal/duration.js'
import { parseOptions } from '../internal/options.js'
import { type RedisStoreOptions, redisStoreOptionsSchema } from './redis-options.js'
import { createStoreOverClient, type RedisStore } from './redis-store.js'

export type { RedisStoreOptions } from './redis-options.js'
export type { RedisStore, RedisStoreEvents } from './redis-store.js'

/** What createRedisStore accepts: a URL, options, or an existing ioredis Redis/Cluster client. */
export type RedisConnectionInput = string | RedisStoreOptions | Redis | Cluster

/** Reconnect backoff: 50 ms doubling to 2 s, with jitter; never gives up while the store is open. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 10), 2000) + Math.floor(Math.random() * 100)
}

function isClient(input: unknown): input is Redis | Cluster {
  return (
    input instanceof Redis ||
    input instanceof Cluster ||
    (typeof input === 'object' && input !== null && 'sendCommand' in input && 'duplicate' in input)
  )
}

/** Creates a Store backed by Redis (standalone, Sentinel via `ioredis` options, or Cluster). */
export function createRedisStore(input: RedisConnectionInput): RedisStore {
  if (isClient(input)) return wrapClient(input, {})
  const options = parseOptions(
    redisStoreOptionsSchema,
    typeof input === 'string' ? { url: input } : input,
    'createRedisStore',
  )
  if (options.client) return wrapClient(options.client as Redis | Cluster, options)
  const commandTimeout = toMs(options.commandTimeout, 'commandTimeout')
  const connectTimeout = toMs(options.connectTimeout, 'connectTimeout')
  const socketTimeout = toMs(options.socketTimeout, 'socketTimeout')
  const perNode: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    enableAutoPipelining: false, // standalone: writes are batched by corking (redis-connection.ts)
    commandTimeout,
    connectTimeout,
    socketTimeout: socketTimeout > 0 ? socketTimeout : undefined, // 0: none
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: reconnectDelay,
    reconnectOnError: (err) => (/^READONLY/.test(err.message) ? 1 : false),
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.db !== undefined ? { db: options.db } : {}),
    ...(options.tls ? { tls: options.tls === true ? {} : options.tls } : {}),
    ...(options.ioredis as RedisOptions | undefined),
  }
  const maxValueBytes = options.maxValueBytes
  const common = {
    owned: true,
    maxValueBytes,
    readyTimeoutMs: connectTimeout,
    deadlineMs: 0,
    adaptivePipelining: true,
    maxBlockingConnections: options.maxBlockingConnections,
    blockingGraceMs: commandTimeout,
  }
  if (options.cluster) {
    const nodes = options.cluster.map((node) => (typeof node === 'string' ? urlToNode(node) : node))
    const { enableOfflineQueue: _q, retryStrategy: _r, ...perNodeOptions } = perNode
    // credentials and TLS of the node URLs, unless the options say otherwise
    const redisOptions = { ...clusterUrlOptions(options.cluster), ...perNodeOptions }
    const cluster = new Cluster(nodes, {
      lazyConnect: true,
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      scaleReads: 'master',
      slotsRefreshInterval: toMs(options.slotsRefreshInterval, 'slotsRefreshInterval'),
      slotsRefreshTimeout: 1000,
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 100,
      retryDelayOnTryAgain: 100,
      clusterRetryStrategy: (attempt) => Math.min(100 * attempt, 2000),
      redisOptions,
      ...(options.natMap ? { natMap: options.natMap } : {}),
    })
    return createStoreOverClient(cluster, common)
  }
  // standalone: the store times its commands out itself, with one timer (command-deadlines.ts)
  const { commandTimeout: deadlineMs, socketTimeout: silentMs, ...rest } = perNode
  const deadline = deadlineMs ?? commandTimeout
  const standalone = keepSocketTimeout(silentMs, deadline, options.ioredis)
    ? { ...rest, socketTimeout: silentMs }
    : rest
  const client = options.url
    ? new Redis(options.url, standalone)
    : new Redis({ host: options.host, port: options.port, ...standalone })
  // ioredis lets a URL's credentials and db win over the options: the explicit options win here
  // (lazyConnect: nothing has used them yet)
  for (const name of ['username', 'password', 'db'] as const) {
    if (options[name] !== undefined) Object.assign(client.options, { [name]: options[name] })
  }
  return createStoreOverClient(client, { ...common, deadlineMs: deadline })
}

/**
 * ioredis's socketTimeout sets a timer and a 'data' listener for every command sent while none is
 * armed (every command, one at a time). A standalone store resets the connection when a command
 * passes its deadline (redis-connection.ts), which drops a silent socket sooner whenever the
 * deadline is the shorter: then the timer is left out. Kept when asked for by name in `ioredis`.
 */
function keepSocketTimeout(silentMs: number | undefined, deadlineMs: number, ioredis: object | undefined) {
  if (ioredis !== undefined && 'socketTimeout' in ioredis) return true
  // perNode holds undefined for socketTimeout 0 (none)
  return silentMs !== undefined && (deadlineMs <= 0 || silentMs < deadlineMs)
}

function wrapClient(
  client: Redis | Cluster,
  options: { maxValueBytes?: number; commandTimeout?: unknown; maxBlockingConnections?: number },
) {
  const own = client.options as { commandTimeout?: number; redisOptions?: { commandTimeout?: number } }
  const enforced = own.commandTimeout ?? own.redisOptions?.commandTimeout
  const fallbackMs = toMs((options.commandTimeout as never) ?? '1s', 'commandTimeout')
  return createStoreOverClient(client, {
    owned: false,
    maxValueBytes: options.maxValueBytes ?? 16 * 1024 * 1024,
    readyTimeoutMs: fallbackMs,
    // a client without its own commandTimeout gets the store's deadline, so calls never hang
    deadlineMs: enforced ? 0 : fallbackMs,
    maxBlockingConnections: options.maxBlockingConnections ?? 32,
    blockingGraceMs: enforced ?? fallbackMs,
  })
}

function urlToNode(url: string): { host: string; port: number } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw invalidArgument(`cluster node ${JSON.stringify(url)} is not a URL like redis://host:port`)
  }
  return { host: parsed.hostname, port: Number(parsed.port || 6379) }
}

/** username, password and TLS from `rediss://user:pass@…` node URLs (all nodes must agree). */
function clusterUrlOptions(nodes: readonly unknown[]): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  const seen = new Set<string>()
  let found: Pick<RedisOptions, 'username' | 'password' | 'tls'> = {}
  for (const node of nodes) {
    if (typeof node !== 'string') continue
    const url = new URL(node)
    found = {
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    }
    seen.add(JSON.stringify(found))
  }
  if (seen.size > 1) {
    throw invalidArgument(
      'cluster node URLs disagree on credentials or TLS: give every node the same, or pass username, password and tls as options',
    )
  }
  return found
}
