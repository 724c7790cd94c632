import { existsSync } from 'node:fs'
import { Cluster, Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { clusterNodes, redisUrl } from './env.js'
import { type RedisServer, startRedisServer } from './redis.js'

const clients: Array<Redis | Cluster> = []
const servers: RedisServer[] = []

function client(url: string): Redis {
  const c = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000 })
  c.on('error', () => {}) // restarts reset connections; the assertions below tell what matters
  clients.push(c)
  return c
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect()
  await Promise.all(servers.splice(0).map((s) => s.stop()))
})

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('shared standalone redis', () => {
  it('answers PING', async () => {
    expect(await client(redisUrl()).ping()).toBe('PONG')
  })
})

describe('shared cluster', () => {
  it('has 3 masters that each own slots, and cluster_state:ok', async () => {
    const cluster = new Cluster(clusterNodes(), { redisOptions: { connectTimeout: 2000 } })
    cluster.on('error', () => {})
    clients.push(cluster)
    await cluster.set('support:{probe}', '1')
    expect(await cluster.get('support:{probe}')).toBe('1')
    const masters = cluster.nodes('master')
    expect(masters).toHaveLength(3)
    const owners = new Map<number, number>()
    for (const [from, to, master] of await cluster.cluster('SLOTS')) {
      const port = master?.[1] ?? -1
      owners.set(port, (owners.get(port) ?? 0) + to - from + 1)
    }
    expect(owners.size).toBe(3)
    expect([...owners.values()].reduce((a, b) => a + b, 0)).toBe(16384)
    for (const master of masters) {
      expect(owners.get(master.options.port as number)).toBeGreaterThan(0)
      expect(await master.cluster('INFO')).toContain('cluster_state:ok')
    }
  })
})

describe('startRedisServer', () => {
  it('starts, restarts on the same port, and stops by PID', async () => {
    const server = await startRedisServer()
    servers.push(server)
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`)
    expect(await client(server.url).ping()).toBe('PONG')

    const firstPid = server.pid
    await server.restart()
    expect(server.pid).not.toBe(firstPid)
    expect(pidAlive(firstPid)).toBe(false)
    const after = client(server.url)
    await after.set('support:after-restart', 'yes')
    expect(await after.get('support:after-restart')).toBe('yes')

    server.kill('SIGKILL')
    await server.restart()
    expect(await client(server.url).ping()).toBe('PONG')

    const { pid, dir } = server
    await server.stop()
    expect(server.running).toBe(false)
    expect(pidAlive(pid)).toBe(false)
    expect(existsSync(dir)).toBe(false)
  })
})
