import type { TestProject } from 'vitest/node'
import { type ClusterNode, clusterToolsAvailable, startCluster } from './cluster.js'
import { resolveRedis } from './redis.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared standalone Redis (tests isolate themselves by key prefix, never flush). */
    redisUrl: string
    /** The shared cluster's nodes, or null when no cluster could be started (never in CI). */
    clusterNodes: ClusterNode[] | null
    /** Why clusterNodes is null. */
    clusterUnavailable: string | null
  }
}

const requireRedis = process.env.REDIS_KIT_REQUIRE_REDIS === '1'

/** REDIS_CLUSTER_NODES="host:port,host:port" points the tests at an existing cluster. */
function clusterFromEnv(): ClusterNode[] | undefined {
  const raw = process.env.REDIS_CLUSTER_NODES
  if (!raw) return undefined
  return raw.split(',').map((entry) => {
    const at = entry.trim().lastIndexOf(':')
    return { host: entry.trim().slice(0, at), port: Number(entry.trim().slice(at + 1)) }
  })
}

async function resolveCluster() {
  const fromEnv = clusterFromEnv()
  if (fromEnv) return { nodes: fromEnv, stop: async () => {} }
  if (!clusterToolsAvailable()) {
    if (!requireRedis) return undefined
    throw new Error(
      'REDIS_KIT_REQUIRE_REDIS=1 but no Redis Cluster: install redis-server and redis-cli ' +
        '(Debian/Ubuntu: `sudo apt-get install -y redis-server`) or set REDIS_CLUSTER_NODES=host:port,host:port,...',
    )
  }
  const started = performance.now()
  const cluster = await startCluster({ waitFor: 'slots' })
  if (process.env.REDIS_KIT_TIMINGS === '1')
    console.log(`[redis-kit tests] cluster ready in ${Math.round(performance.now() - started)} ms`)
  return { nodes: cluster.nodes.map(({ host, port }) => ({ host, port })), stop: () => cluster.stop() }
}

/** Starts one standalone Redis and one cluster for the whole run; returns their teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [redis, cluster] = await Promise.allSettled([resolveRedis(), resolveCluster()])
  const teardown = async () => {
    await Promise.allSettled([
      redis.status === 'fulfilled' ? redis.value.stop() : undefined,
      cluster.status === 'fulfilled' ? cluster.value?.stop() : undefined,
    ])
  }
  if (redis.status === 'rejected' || cluster.status === 'rejected') {
    await teardown()
    throw redis.status === 'rejected' ? redis.reason : (cluster as PromiseRejectedResult).reason
  }
  project.provide('redisUrl', redis.value.url)
  project.provide('clusterNodes', cluster.value?.nodes ?? null)
  project.provide(
    'clusterUnavailable',
    cluster.value
      ? null
      : 'redis-server/redis-cli not on PATH (set REDIS_CLUSTER_NODES or install redis-server)',
  )
  return teardown
}
