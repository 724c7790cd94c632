/**
 * `redis-kit doctor` against a 3-master Redis Cluster: the shared cluster of the test run (see
 * test/support/global-setup.ts), or one started here with startCluster when the run has none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore } from '../../src/stores/redis.js'
import { type ClusterNode, type RedisCluster, startCluster } from '../support/cluster.js'
import { clusterNodes, hasCluster } from '../support/env.js'
import { runCli, statuses } from './run-cli.js'

let own: RedisCluster | undefined
let nodes: ClusterNode[]

beforeAll(async () => {
  if (hasCluster()) nodes = clusterNodes()
  else {
    own = await startCluster({ waitFor: 'slots' })
    nodes = own.nodes.map(({ host, port }) => ({ host, port }))
  }
})

afterAll(async () => {
  await own?.stop()
})

describe('redis-kit doctor on a Redis Cluster', () => {
  it('reports the cluster, checks every master, and counts keys across all of them', async () => {
    const prefix = `doctor-cluster-${Date.now()}:`
    const store = createRedisStore({ cluster: nodes })
    try {
      for (let i = 0; i < 30; i++) await store.set(`${prefix}cache:v:${i}`, 'x')
      await store.set(`${prefix}sessions:s1`, '{}')
      const url = `redis://${nodes[0]!.host}:${nodes[0]!.port}`
      const run = await runCli(['doctor', '--url', url, '--prefix', prefix, '--cluster'])
      expect(run.code).toBe(0)
      expect(statuses(run.stdout)).toMatchObject({
        connection: 'PASS',
        server: 'PASS',
        memory: 'PASS',
        permissions: 'PASS',
        scripts: 'PASS',
        keyspace: 'PASS',
      })
      expect(run.stdout).toMatch(/Redis \d+\.\d+\.\d+, Redis Cluster, 3 masters, 6 nodes, cluster_state ok/)
      expect(run.stdout).toContain('SCRIPT LOAD and EVALSHA work on all 3 masters')
      expect(run.stdout).toContain(`31 keys under '${prefix}' in 2 primitives`)

      const json = await runCli(['doctor', '--json', '--url', url, '--prefix', prefix])
      const report = JSON.parse(json.stdout)
      expect(report).toMatchObject({ ok: true, mode: 'cluster' })
      const server = report.checks.find((c: { id: string }) => c.id === 'server')
      // without --cluster: a URL alone would give the kit a standalone client
      expect(server.status).toBe('warn')
      expect(server.details.join(' ')).toContain('redis: { cluster: [...] }')
      const memory = report.checks.find((c: { id: string }) => c.id === 'memory')
      expect(memory.data.nodes).toHaveLength(3)
      const keyspace = report.checks.find((c: { id: string }) => c.id === 'keyspace')
      expect(keyspace.data.primitives).toMatchObject({ cache: { keys: 30 }, sessions: { keys: 1 } })
    } finally {
      const keys: string[] = []
      for await (const batch of store.scan({ match: `${prefix}*` })) keys.push(...batch)
      if (keys.length > 0) await store.del(keys)
      await store.close()
    }
  })
})
