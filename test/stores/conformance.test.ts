/**
 * The Store conformance suite (redis-kit/testing) against every store redis-kit ships: the
 * memory store, a standalone Redis and a 3-master Redis Cluster, both started by the test
 * support (test/support/global-setup.ts) or given by REDIS_URL / REDIS_CLUSTER_NODES.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFailoverStore, createMemoryStore, createRedisStore } from '../../src/stores/index.js'
import { storeConformance } from '../../src/testing/index.js'
import { clusterNodes, redisUrl } from '../support/env.js'

const test = { describe, it, expect, beforeAll, afterAll }

storeConformance({
  name: 'memory',
  createStore: (limits) => createMemoryStore({ ...limits }),
  test,
})

storeConformance({
  name: 'redis',
  createStore: (limits) => createRedisStore({ url: redisUrl(), ...limits }),
  test,
})

storeConformance({
  name: 'redis cluster',
  createStore: (limits) => createRedisStore({ cluster: clusterNodes(), ...limits }),
  cluster: true,
  test, // without a cluster (no redis-cli, no REDIS_CLUSTER_NODES) these fail, naming the fix
})

storeConformance({
  name: 'failover (redis primary, healthy)',
  createStore: (limits) =>
    createFailoverStore({ primary: createRedisStore({ url: redisUrl(), ...limits }), timeout: '2s' }),
  test,
})
