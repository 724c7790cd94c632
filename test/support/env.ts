import { inject } from 'vitest'
import type { ClusterNode } from './cluster.js'

/** CI sets REDIS_KIT_REQUIRE_REDIS=1: then no Redis-backed test may skip. */
export const requireRedis = process.env.REDIS_KIT_REQUIRE_REDIS === '1'

/** URL of the shared standalone Redis started by global-setup.ts (or REDIS_URL). */
export function redisUrl(): string {
  return inject('redisUrl')
}

/** Whether the shared cluster exists. Always true when REDIS_KIT_REQUIRE_REDIS=1 (setup fails otherwise). */
export function hasCluster(): boolean {
  return inject('clusterNodes') !== null
}

/** Nodes of the shared cluster, for `new Redis.Cluster(clusterNodes())`. Throws when there is none. */
export function clusterNodes(): ClusterNode[] {
  const nodes = inject('clusterNodes')
  if (!nodes) throw new Error(`no Redis Cluster for this run: ${inject('clusterUnavailable')}`)
  return nodes.map((n) => ({ ...n }))
}
