/**
 * kit.health() and the Redis configuration check: what a dashboard or a readiness probe needs,
 * gathered without ever waiting longer than the store's deadline.
 */
import { isKitError } from './errors.js'
import type { CircuitState } from './internal/circuit-breaker.js'
import { withDeadline } from './internal/deadline.js'
import type { FailoverStore } from './stores/failover/index.js'
import type { Store, StoreInfo } from './stores/types.js'

export interface KitHealth {
  /** ok: Redis answers (or no Redis is configured); degraded: served from memory; down: failing. */
  status: 'ok' | 'degraded' | 'down'
  /** 'redis' or 'memory' (or a custom store's name). */
  store: string
  /** The circuit of the failover store, when there is one. */
  circuit?: CircuitState
  latencyMs: number | null
  journal?: { size: number; dropped: number }
  redis?: { version: string; usedMemory: number; maxmemoryPolicy: string; maxmemory: number }
  warnings: string[]
  error?: string
}

/** The warning for a maxmemory-policy that evicts what the kit must keep, or undefined. */
export function evictionWarning(info: StoreInfo): string | undefined {
  const policy = info.maxmemory_policy
  const maxmemory = Number(info.maxmemory ?? 0)
  if (!policy || policy === 'noeviction' || maxmemory === 0) return undefined
  return (
    `Redis maxmemory-policy is ${policy} (maxmemory ${maxmemory} bytes): when memory is full Redis evicts ` +
    `${policy.startsWith('allkeys') ? 'any key' : 'keys with a TTL'}, including sessions, rate-limit counters and ` +
    'streams. Use noeviction for this Redis (or a separate Redis for caching).'
  )
}

const HEALTH_DEADLINE_MS = 2000

function isFailover(store: Store): store is FailoverStore {
  return typeof (store as FailoverStore).state === 'function' && 'primary' in store
}

export async function storeHealth(store: Store): Promise<KitHealth> {
  const failover = isFailover(store) ? store : undefined
  const health: KitHealth = { status: 'ok', store: store.name, latencyMs: null, warnings: [] }
  if (failover) {
    const stats = failover.stats()
    health.circuit = stats.state
    health.journal = { size: stats.journal.size, dropped: stats.journal.dropped }
  }
  const degraded = failover?.fallback ? 'degraded' : 'down'
  if (failover && failover.state() !== 'closed') return { ...health, status: degraded }
  // Ask Redis itself (not through the failover router, which would answer from memory).
  const target = failover ? failover.primary : store
  try {
    health.latencyMs = await withDeadline(target.ping(), HEALTH_DEADLINE_MS, 'health check')
    if (target.name === 'redis') {
      const info = await withDeadline(target.info(), HEALTH_DEADLINE_MS, 'health check')
      health.redis = {
        version: info.redis_version ?? 'unknown',
        usedMemory: Number(info.used_memory ?? 0),
        maxmemoryPolicy: info.maxmemory_policy ?? 'unknown',
        maxmemory: Number(info.maxmemory ?? 0),
      }
      const warning = evictionWarning(info)
      if (warning) health.warnings.push(warning)
    }
    return health
  } catch (err) {
    const error = isKitError(err) ? err.message : String(err)
    return { ...health, status: failover ? degraded : 'down', error }
  }
}
