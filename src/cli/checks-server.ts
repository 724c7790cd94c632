/** Doctor checks about the server: version and mode, latency, memory policy, persistence. */
import { evictionWarning } from '../health.js'
import type { StoreInfo } from '../stores/types.js'
import { bytes, type CheckResult, nodeInfo, nodeName, raw, type Status, worst } from './check.js'
import type { Target } from './connect.js'

/** The kit needs GETDEL, XAUTOCLAIM and ZRANGE … BYSCORE: Redis 6.2 or later. */
const MIN_VERSION: [number, number] = [6, 2]

export async function serverCheck(target: Target, clusterConfigured: boolean): Promise<CheckResult> {
  const info = target.info
  if (!info)
    return { id: 'server', status: 'warn', message: 'INFO is not permitted: version and mode unknown' }
  const version = info.redis_version ?? 'unknown'
  const [major = 0, minor = 0] = version.split('.').map(Number)
  const data: Record<string, unknown> = { version, mode: info.redis_mode ?? 'standalone' }
  let status: Status = 'pass'
  const details: string[] = []
  if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1])) {
    status = 'fail'
    details.push(`the kit needs Redis ${MIN_VERSION.join('.')} or later (GETDEL, XAUTOCLAIM, ZRANGE BYSCORE)`)
  }
  let mode: string
  if (info.redis_mode === 'cluster') {
    const clusterInfo = String(
      await raw(target.masters()[0]!, 'cluster', 'info').catch((e: Error) => e.message),
    )
    const state = /cluster_state:(\w+)/.exec(clusterInfo)?.[1] ?? 'unknown'
    const known = /cluster_known_nodes:(\d+)/.exec(clusterInfo)?.[1] ?? '?'
    const masters = target.masters().length
    Object.assign(data, { clusterState: state, masters, knownNodes: Number(known) })
    mode = `Redis Cluster, ${masters} masters, ${known} nodes, cluster_state ${state}`
    if (state !== 'ok') {
      status = 'fail'
      details.push('the cluster does not serve every slot: commands on some keys fail (CLUSTERDOWN)')
    }
    if (!clusterConfigured) {
      status = worst(status, 'warn')
      details.push(
        'a URL reaches one node: configure the kit with createKit({ redis: { cluster: [...] } }) ' +
          '(pass --cluster once it is; commands on other nodes’ keys would fail with MOVED)',
      )
    }
  } else {
    mode = info.role === 'slave' ? 'standalone replica' : 'standalone'
    if (info.role === 'slave') {
      status = 'fail'
      details.push('this server is a read-only replica: every write of the kit fails (READONLY)')
    }
    if (clusterConfigured) {
      status = worst(status, 'warn')
      details.push('--cluster was given but the server is not a cluster node')
    }
  }
  const name = info.valkey_version ? `Valkey ${info.valkey_version}` : `Redis ${version}`
  return { id: 'server', status, message: `${name}, ${mode}`, details, data }
}

export async function latencyCheck(target: Target, samples = 20): Promise<CheckResult> {
  const times: number[] = []
  for (let i = 0; i < samples; i++) times.push(await target.store.ping())
  times.sort((a, b) => a - b)
  const p50 = times[Math.floor(samples / 2)]!
  const max = times[samples - 1]!
  const status: Status = p50 >= 500 ? 'fail' : p50 >= 10 ? 'warn' : 'pass'
  const message = `PING round trip p50 ${p50.toFixed(2)} ms, max ${max.toFixed(2)} ms (${samples} pings)`
  const details =
    status === 'pass'
      ? []
      : [
          status === 'fail'
            ? 'half of the default 1 s command timeout: calls will time out'
            : 'every kit call pays at least this; keep Redis close to the application',
        ]
  return {
    id: 'latency',
    status,
    message,
    details,
    data: { p50Ms: Number(p50.toFixed(3)), maxMs: Number(max.toFixed(3)), samples },
  }
}

/** What the kit stores that an evicting policy destroys, given the primitives found in the keyspace. */
export async function memoryCheck(target: Target, cacheOnly: boolean): Promise<CheckResult> {
  let status: Status = 'pass'
  let message = ''
  const details: string[] = []
  const nodes: Record<string, unknown>[] = []
  for (const node of target.masters()) {
    const info = await nodeInfo(node, 'memory')
    if (!info) return { id: 'memory', status: 'warn', message: 'INFO is not permitted: maxmemory unknown' }
    const one = judgeMemory(info, cacheOnly)
    nodes.push({ node: nodeName(node), ...one.data })
    if (!message || worst(status, one.status) !== status) message = one.message
    status = worst(status, one.status)
    if (one.detail && !details.includes(one.detail)) details.push(one.detail)
  }
  return { id: 'memory', status, message, details, data: { nodes } }
}

function judgeMemory(info: StoreInfo, cacheOnly: boolean) {
  const policy = info.maxmemory_policy ?? 'unknown'
  const maxmemory = Number(info.maxmemory ?? 0)
  const used = Number(info.used_memory ?? 0)
  const data = { maxmemory, maxmemoryPolicy: policy, usedMemory: used }
  const limit = maxmemory === 0 ? 'no maxmemory' : `maxmemory ${bytes(maxmemory)}`
  const message = `${limit}, maxmemory-policy ${policy}, ${bytes(used)} used`
  const warning = evictionWarning(info)
  if (warning && cacheOnly)
    return { status: 'warn' as Status, message, data, detail: `${warning} (only cache keys found so far)` }
  if (warning) return { status: 'fail' as Status, message, data, detail: warning }
  if (policy !== 'noeviction' && policy !== 'unknown')
    return {
      status: 'warn' as Status,
      message,
      data,
      detail: `${policy} evicts nothing while maxmemory is 0, but once a limit is set it evicts sessions, rate-limit counters and streams: use noeviction`,
    }
  if (maxmemory > 0 && used > maxmemory * 0.9)
    return {
      status: 'warn' as Status,
      message,
      data,
      detail: 'over 90% of maxmemory: writes fail (OOM) when full',
    }
  return { status: 'pass' as Status, message, data, detail: undefined }
}

export async function persistenceCheck(target: Target): Promise<CheckResult> {
  let status: Status = 'pass'
  let message = ''
  const details: string[] = []
  for (const node of target.masters()) {
    const info = await nodeInfo(node, 'persistence')
    if (!info)
      return { id: 'persistence', status: 'warn', message: 'INFO is not permitted: persistence unknown' }
    const config = await raw(node, 'config', 'get', 'save').catch(() => null)
    const save = Array.isArray(config) ? String(config[1] ?? '') : undefined
    const one = judgePersistence(info, save)
    if (!message || worst(status, one.status) !== status) message = one.message
    status = worst(status, one.status)
    if (one.detail && !details.includes(one.detail)) details.push(one.detail)
  }
  return { id: 'persistence', status, message, details }
}

function judgePersistence(info: StoreInfo, save: string | undefined) {
  const failed = [
    info.rdb_last_bgsave_status === 'err' && 'the last RDB save failed',
    info.aof_last_write_status === 'err' && 'the last AOF write failed',
  ].filter(Boolean)
  const rdb =
    save === undefined
      ? 'RDB schedule unknown (CONFIG GET not permitted)'
      : save
        ? `RDB save "${save}"`
        : 'RDB off'
  const aof = info.aof_enabled === '1'
  const message = `AOF ${aof ? 'on' : 'off'}, ${rdb}`
  if (failed.length > 0)
    return {
      status: 'fail' as Status,
      message,
      detail: `${failed.join(', ')}: Redis may refuse writes (MISCONF)`,
    }
  if (aof) return { status: 'pass' as Status, message, detail: undefined }
  if (save)
    return {
      status: 'warn' as Status,
      message,
      detail:
        'snapshots only: a crash loses the sessions, stream entries and counters written since the last one',
    }
  return {
    status: 'warn' as Status,
    message,
    detail:
      save === undefined
        ? 'AOF is off: unless RDB snapshots run, a restart loses sessions, streams, rate-limit state and analytics'
        : 'no persistence: a restart loses sessions, streams, rate-limit state and analytics',
  }
}
