/**
 * The store matrix every primitive's tests run on: the memory store, a standalone Redis, a
 * 3-master Redis Cluster, and a FailoverStore over Redis (what createKit builds). Use with
 * `describe.each(storeMatrix())`; create stores in beforeAll/beforeEach and close them after.
 * Keys are isolated by a per-test prefix from `testPrefix()`, never by flushing.
 */
import { randomBytes } from 'node:crypto'
import { createFailoverStore } from '../../src/stores/failover/index.js'
import { createMemoryStore } from '../../src/stores/memory/index.js'
import { createRedisStore } from '../../src/stores/redis.js'
import type { Store } from '../../src/stores/types.js'
import { clusterNodes, redisUrl } from './env.js'

export interface StoreCase {
  name: 'memory' | 'redis' | 'cluster' | 'failover'
  create(): Store
}

export function storeMatrix(
  which: StoreCase['name'][] = ['memory', 'redis', 'cluster', 'failover'],
): StoreCase[] {
  const all: StoreCase[] = [
    { name: 'memory', create: () => createMemoryStore() },
    { name: 'redis', create: () => createRedisStore(redisUrl()) },
    { name: 'cluster', create: () => createRedisStore({ cluster: clusterNodes() }) },
    {
      name: 'failover',
      create: () => createFailoverStore({ primary: createRedisStore(redisUrl()), timeout: '2s' }),
    },
  ]
  return all.filter((c) => which.includes(c.name))
}

/** A unique key prefix for one test (ends with ':'). */
export function testPrefix(name = 't'): string {
  return `test:${name}:${randomBytes(5).toString('hex')}:`
}

/** Deletes every key under `prefix` (SCAN + DEL per key: works on a cluster too). */
export async function deletePrefix(store: Store, prefix: string): Promise<void> {
  const escaped = prefix.replace(/[\\*?[\]]/g, '\\$&')
  for await (const keys of store.scan({ match: `${escaped}*`, count: 500 })) {
    await Promise.all(keys.map((key) => store.del([key])))
  }
}
