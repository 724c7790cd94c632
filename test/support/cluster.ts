import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { findExecutable } from './ports.js'
import { HOST, INSTALL_HINT, type RedisServer, startRedisServer } from './redis.js'
import { redisCommand, waitUntil } from './resp.js'

const run = promisify(execFile)
const SLOTS = 16384

export interface ClusterNode {
  host: string
  port: number
}

export interface RedisCluster {
  /** The six nodes as started (3 masters first, then 3 replicas); pid follows restarts. */
  readonly nodes: ReadonlyArray<ClusterNode & { readonly pid: number }>
  /** The servers behind the nodes, for fault tests: kill(), restart(), stop(). */
  readonly servers: readonly RedisServer[]
  /** The masters that own slots right now (changes after a failover). */
  masters(): Promise<ClusterNode[]>
  /**
   * Waits until every running node agrees on full slot coverage (after a kill: until the failover
   * is done) and, when all six run, until all are healthy. A SIGSTOPped node counts as running.
   */
  waitHealthy(timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}

export interface StartClusterOptions {
  /** --cluster-node-timeout in ms. Default 2000. */
  nodeTimeoutMs?: number
  /** Budget for the cluster to converge after `redis-cli --cluster create`. Default 30 s. */
  timeoutMs?: number
  /**
   * 'slots': every node has cluster_state:ok and the same slot owners (enough for clients).
   * 'healthy' (default): also every node knows every replica's role and each replica is synced,
   * which a failover test needs; gossip makes this take about one second longer.
   */
  waitFor?: 'slots' | 'healthy'
}

export function clusterToolsAvailable(): boolean {
  return findExecutable('redis-server') !== undefined && findExecutable('redis-cli') !== undefined
}

interface NodeLine {
  id: string
  addr: string
  flags: string[]
  masterId: string
  link: string
  slots: string[]
}

function parseNodes(text: string): NodeLine[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const f = line.trim().split(' ')
      return {
        id: f[0] ?? '',
        addr: (f[1] ?? '').split('@')[0] ?? '',
        flags: (f[2] ?? '').split(','),
        masterId: f[3] ?? '-',
        link: f[7] ?? '',
        // Entries in brackets are slots being imported/migrated, not owned ones.
        slots: f.slice(8).filter((s) => !s.startsWith('[')),
      }
    })
}

function slotCount(slots: string[]): number {
  return slots.reduce((n, range) => {
    const [a, b] = range.split('-').map(Number)
    return n + ((b ?? a ?? 0) - (a ?? 0) + 1)
  }, 0)
}

/**
 * One node's view as a string that must be identical on every node: who owns which slots and,
 * when `strict`, every replica's master. Throws while the view is not ready.
 */
async function nodeView(port: number, strict: boolean, ports: number[]): Promise<string> {
  const info = String(await redisCommand(port, ['CLUSTER', 'INFO']))
  if (!info.includes('cluster_state:ok')) throw new Error(`node ${port}: cluster_state is not ok`)
  const nodes = parseNodes(String(await redisCommand(port, ['CLUSTER', 'NODES'])))
  const owners = nodes.filter((n) => n.slots.length > 0 && n.flags.includes('master'))
  const covered = owners.reduce((n, o) => n + slotCount(o.slots), 0)
  if (covered !== SLOTS) throw new Error(`node ${port}: sees ${covered} of ${SLOTS} slots owned`)
  // Slots owned by a node outside `ports` (one that was killed) are not served: not converged yet.
  const gone = owners.find((o) => !ports.some((p) => o.addr === `${HOST}:${p}`))
  if (gone) throw new Error(`node ${port}: slots ${gone.slots.join(',')} still owned by ${gone.addr}`)
  const view = owners.map((o) => `${o.addr}=${o.slots.join(',')}`).sort()
  if (!strict) return view.join(' ')
  if (nodes.length !== ports.length) throw new Error(`node ${port}: knows ${nodes.length} nodes`)
  const bad = nodes.find(
    (n) => n.link !== 'connected' || n.flags.some((f) => /fail|handshake|noaddr/.test(f)),
  )
  if (bad) throw new Error(`node ${port}: sees ${bad.addr} as ${bad.flags.join(',')}/${bad.link}`)
  const byId = new Map(nodes.map((n) => [n.id, n.addr]))
  for (const n of nodes.filter((x) => x.flags.includes('slave')))
    view.push(`${n.addr}->${byId.get(n.masterId)}`)
  const self = nodes.find((n) => n.flags.includes('myself'))
  if (self?.flags.includes('slave')) {
    const repl = String(await redisCommand(port, ['INFO', 'replication']))
    if (!repl.includes('master_link_status:up'))
      throw new Error(`replica ${port}: not synced with its master`)
  }
  return view.sort().join(' ')
}

/** Waits until all `ports` report cluster_state:ok and the same slot owners (strict: same everything). */
export function waitForCluster(ports: number[], { strict = true, timeoutMs = 30_000 } = {}): Promise<void> {
  return converge(`cluster on ports ${ports.join(',')}`, () => ({ ports, strict }), timeoutMs)
}

/** `pick` runs on every poll, so a node killed just before the call drops out once it has exited. */
function converge(what: string, pick: () => { ports: number[]; strict: boolean }, timeoutMs: number) {
  return waitUntil(
    `${what} to converge`,
    async () => {
      const { ports, strict } = pick()
      const views = await Promise.all(ports.map((p) => nodeView(p, strict, ports)))
      return new Set(views).size === 1 ? true : 'nodes disagree on slot owners'
    },
    { timeoutMs, intervalMs: 50 },
  )
}

async function currentMasters(servers: readonly RedisServer[]): Promise<ClusterNode[]> {
  const errors: string[] = []
  for (const server of servers.filter((s) => s.running)) {
    try {
      const nodes = parseNodes(String(await redisCommand(server.port, ['CLUSTER', 'NODES'])))
      return nodes
        .filter((n) => n.flags.includes('master') && n.slots.length > 0 && !n.flags.includes('fail'))
        .map((n) => ({
          host: n.addr.slice(0, n.addr.lastIndexOf(':')),
          port: Number(n.addr.split(':').pop()),
        }))
        .sort((a, b) => a.port - b.port)
    } catch (err) {
      errors.push((err as Error).message)
    }
  }
  throw new Error(`no cluster node answered: ${errors.join('; ')}`)
}

/** Six redis-server child processes (3 masters + 3 replicas) formed into a cluster on free ports. */
export async function startCluster(options: StartClusterOptions = {}): Promise<RedisCluster> {
  if (!clusterToolsAvailable())
    throw new Error(`redis-server and redis-cli are needed for the cluster. ${INSTALL_HINT}`)
  const started = await Promise.allSettled(
    Array.from({ length: 6 }, () =>
      startRedisServer({ cluster: true, clusterNodeTimeoutMs: options.nodeTimeoutMs ?? 2000 }),
    ),
  )
  const servers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const stop = async () => void (await Promise.all(servers.map((s) => s.stop())))
  try {
    const failed = started.find((r) => r.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
    const addrs = servers.map((s) => `${HOST}:${s.port}`)
    await run('redis-cli', ['--cluster', 'create', ...addrs, '--cluster-replicas', '1', '--cluster-yes'], {
      timeout: 30_000,
    }).catch((err: Error & { stdout?: string }) => {
      throw new Error(`redis-cli --cluster create failed: ${err.message}\n${err.stdout ?? ''}`)
    })
    await waitForCluster(
      servers.map((s) => s.port),
      { strict: options.waitFor !== 'slots', timeoutMs: options.timeoutMs ?? 30_000 },
    )
  } catch (err) {
    await stop()
    throw err
  }
  return {
    servers,
    nodes: servers.map((s) => ({
      host: s.host,
      port: s.port,
      get pid() {
        return s.pid
      },
    })),
    masters: () => currentMasters(servers),
    waitHealthy: (timeoutMs = 30_000) =>
      converge(
        'cluster',
        () => {
          const running = servers.filter((s) => s.running)
          return { ports: running.map((s) => s.port), strict: running.length === servers.length }
        },
        timeoutMs,
      ),
    stop,
  }
}
