import { randomUUID } from 'node:crypto'
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis'
import { redisUrl } from './env.js'
import { type FaultProxy, startFaultProxy } from './fault-proxy.js'
import { waitUntil } from './resp.js'

/** Fail-fast profile for clients behind a fault proxy: nothing queues, nothing waits > 300 ms. */
export const FAIL_FAST = {
  enableOfflineQueue: false,
  commandTimeout: 300,
  maxRetriesPerRequest: 0,
  connectTimeout: 500,
  retryStrategy: () => 50,
} satisfies RedisOptions

const RUN = randomUUID().slice(0, 8)
/** Keys of this test run on the shared Redis (never flushed). */
export const key = (name: string) => `fault-proxy:${RUN}:${name}`

const proxies: Array<{ stop(): Promise<void> }> = []
const clients: Array<Redis | Cluster> = []

/** For afterEach: disconnects every client, then stops every proxy. */
export async function cleanup(): Promise<void> {
  for (const c of clients.splice(0)) c.disconnect()
  await Promise.all(proxies.splice(0).map((p) => p.stop()))
}

/** Registers anything with stop() for cleanup(). */
export function stopLater<T extends { stop(): Promise<void> }>(thing: T): T {
  proxies.push(thing)
  return thing
}

/** A proxy in front of the shared standalone Redis. */
export async function proxy(): Promise<FaultProxy> {
  const url = new URL(redisUrl())
  return stopLater(await startFaultProxy({ host: url.hostname, port: Number(url.port || 6379) }))
}

/** A connected fail-fast client (error events swallowed: the assertions say which errors matter). */
export async function client(url: string, options: RedisOptions = {}): Promise<Redis> {
  const c = new Redis(url, { ...FAIL_FAST, lazyConnect: true, ...options })
  c.on('error', () => {})
  clients.push(c)
  await c.connect()
  return c
}

/** A connected fail-fast Cluster client. */
export async function clusterClient(
  seeds: Array<{ host: string; port: number }>,
  options: ClusterOptions = {},
): Promise<Cluster> {
  // Node connections reconnect by clusterRetryStrategy; redisOptions may not set retryStrategy.
  const { enableOfflineQueue, retryStrategy: _, ...redisOptions } = FAIL_FAST
  const c = new Cluster(seeds, {
    enableOfflineQueue,
    lazyConnect: true,
    clusterRetryStrategy: () => 100,
    redisOptions,
    ...options,
  })
  c.on('error', () => {})
  clients.push(c)
  await c.connect()
  return c
}

/** Bounded: the client answers PING again within 5 s (it reconnects every 50 ms). */
export function recovered(c: Redis): Promise<void> {
  return waitUntil('the client to answer again', async () => (await c.ping()) === 'PONG', {
    timeoutMs: 5000,
    intervalMs: 50,
  })
}
