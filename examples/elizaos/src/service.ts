/**
 * RedisKitService: one kit per agent runtime — Redis from the runtime's settings (REDIS_URL …) or
 * the embedded memory store — with every key under `<REDIS_KEY_PREFIX><agentId>:`. It starts after
 * the runtime's initialize() (as every ElizaOS service), puts the cache trio of the runtime's
 * database adapter on the kit, and closes the kit on stop().
 */
import { type IAgentRuntime, type IDatabaseAdapter, Service } from '@elizaos/core'
import { createKit, type Kit, type KitHealth, type RateLimiter } from 'redis-kit'
import {
  adapterCache,
  isRedisKitAdapter,
  KIT,
  type RedisKitAdapter,
  withRedisKitCache,
} from './cache-adapter.js'
import { type RedisKitSettings, readSettings } from './settings.js'

declare module '@elizaos/core' {
  interface ServiceTypeRegistry {
    REDIS_KIT: 'redis-kit'
  }
}

export const SERVICE_TYPE = 'redis-kit'
export const LOG_SOURCE = 'plugin:redis-kit'

/** The seed's cache statistics. */
export interface CacheStats {
  /** The in-process tier: the L1 in front of Redis, or the memory store without Redis. */
  local: { size: number; maxSize: number }
  redis: { connected: boolean; info: KitHealth }
  /** Model-response cache of this process (kit.llm.stats() has tokens and time saved, per model). */
  modelCache: { hits: number; misses: number; bypassed: number }
}

const L1_MAX_ENTRIES = 10_000

/** The kit of an agent: Redis from the runtime's settings, or memory; keys under prefix + agent id. */
export function createAgentKit(
  runtime: IAgentRuntime,
  settings: RedisKitSettings = readSettings(runtime),
): Kit {
  return createKit({
    // Only what the runtime's settings say: never process.env behind the runtime's back.
    env: settings.connection,
    prefix: `${settings.prefix}${runtime.agentId}:`,
    failover: { timeout: settings.timeout },
    cache: { l1: { maxEntries: L1_MAX_ENTRIES } },
    analytics: { breakdown: ['source', 'action', 'status', 'model', 'provider'] },
  })
}

interface ServiceSetup {
  kit: Kit
  settings: RedisKitSettings
  userLimiter: RateLimiter
  /** Whether stop() closes the kit (it created it). */
  ownsKit: boolean
}

/**
 * Subscribes the cache's coherence bus before the first call: until then the L1 stays empty (a
 * process that cannot hear invalidations must not keep copies). Bounded: with Redis down the
 * service starts anyway, on the memory fallback.
 */
async function warmUp(kit: Kit, ms = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    kit.cache.ready().catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms)
      timer.unref()
    }),
  ])
  clearTimeout(timer)
}

type RuntimeWithAdapter = IAgentRuntime & { adapter?: IDatabaseAdapter }

export class RedisKitService extends Service {
  static override serviceType = SERVICE_TYPE
  override capabilityDescription =
    'Redis-backed caching (cache trio, model responses, memories), agent analytics and per-user rate limits (redis-kit), with an in-memory fallback'

  readonly modelCacheStats = { hits: 0, misses: 0, bypassed: 0 }
  #setup: ServiceSetup | undefined
  #restore: (() => void) | undefined
  readonly #unsubscribe: (() => void)[] = []
  #stopped = false

  /** ElizaOS constructs services through start(); `setup` is what start() built. */
  constructor(runtime?: IAgentRuntime, setup?: ServiceSetup) {
    super(runtime)
    this.#setup = setup
    if (!runtime || !setup) return
    const { kit, settings } = setup
    const log = runtime.logger
    this.#unsubscribe.push(
      kit.on('failover', ({ reason }) =>
        log.warn(
          { src: LOG_SOURCE, agentId: runtime.agentId, reason: reason.message },
          'Redis unavailable, serving from memory',
        ),
      ),
      kit.on('recovered', ({ downtimeMs, replayed }) =>
        log.info({ src: LOG_SOURCE, agentId: runtime.agentId, downtimeMs, replayed }, 'Redis is back'),
      ),
      kit.on('error', (error) =>
        log.warn(
          { src: LOG_SOURCE, agentId: runtime.agentId, code: error.code, error: error.message },
          'redis-kit error',
        ),
      ),
    )
    // The cache trio of the runtime's adapter goes through the kit, unless the host already wrapped it.
    const holder = runtime as RuntimeWithAdapter
    const adapter = holder.adapter
    if (adapter && !isRedisKitAdapter(adapter)) {
      holder.adapter = withRedisKitCache(adapter, kit, {
        ttl: settings.cacheTtl,
        onError: (error, operation, key) =>
          log.warn(
            { src: LOG_SOURCE, agentId: runtime.agentId, operation, key, error: String(error) },
            'cache call failed',
          ),
      })
      this.#restore = () => {
        if (holder.adapter && isRedisKitAdapter(holder.adapter) && holder.adapter[KIT] === kit)
          holder.adapter = adapter
      }
    }
  }

  #started(): ServiceSetup {
    if (!this.#setup) throw new Error('RedisKitService is used before start()')
    return this.#setup
  }

  /** The agent's kit (cache, analytics, sorted sets, rate limits, … on Redis or memory). */
  get kit(): Kit {
    return this.#started().kit
  }

  get settings(): RedisKitSettings {
    return this.#started().settings
  }

  /** Per-user message limit (REDIS_KIT_USER_RATE_LIMIT per REDIS_KIT_USER_RATE_WINDOW). */
  get userLimiter(): RateLimiter {
    return this.#started().userLimiter
  }

  static override async start(runtime: IAgentRuntime): Promise<RedisKitService> {
    const settings = readSettings(runtime)
    const adapter = (runtime as RuntimeWithAdapter).adapter
    // A host that wrapped the adapter itself (withRedisKitCache) chose the kit: share it, leave it open.
    const shared = adapter && isRedisKitAdapter(adapter) ? (adapter as RedisKitAdapter)[KIT] : undefined
    const kit = shared ?? createAgentKit(runtime, settings)
    const userLimiter = kit.rateLimit.define({
      name: 'user-messages',
      limit: settings.userRateLimit,
      window: settings.userRateWindow,
    })
    const service = new RedisKitService(runtime, {
      kit,
      settings,
      userLimiter,
      ownsKit: shared === undefined,
    })
    await warmUp(kit)
    runtime.logger.info(
      { src: LOG_SOURCE, agentId: runtime.agentId, store: kit.store.name, prefix: kit.prefix },
      'redis-kit started',
    )
    return service
  }

  static override async stop(runtime: IAgentRuntime): Promise<void> {
    await runtime.getService<RedisKitService>(SERVICE_TYPE)?.stop()
  }

  get stopped(): boolean {
    return this.#stopped
  }

  override async stop(): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    this.#restore?.()
    for (const off of this.#unsubscribe) off()
    if (this.#setup?.ownsKit) await this.#setup.kit.close()
  }

  health(): Promise<KitHealth> {
    return this.kit.health()
  }

  /** `{ local: { size, maxSize }, redis: { connected, info }, modelCache }`. */
  async getCacheStats(): Promise<CacheStats> {
    const info = await this.kit.health()
    const stats = this.kit.stats()
    const l1 = adapterCache(this.kit).stats().l1
    const remote = this.kit.store.name !== 'memory'
    const memory = stats.memory
    const local = remote
      ? { size: l1?.entries ?? 0, maxSize: L1_MAX_ENTRIES }
      : { size: memory?.keys ?? 0, maxSize: memory?.maxKeys ?? Number.POSITIVE_INFINITY }
    return {
      local,
      redis: { connected: info.store === 'redis' && info.status === 'ok', info },
      modelCache: { ...this.modelCacheStats },
    }
  }
}

/** The running service of a runtime, or undefined (not started yet, or stopped). */
export function getRedisKit(runtime: IAgentRuntime): RedisKitService | undefined {
  const service = runtime.getService<RedisKitService>(SERVICE_TYPE)
  return service && !service.stopped ? service : undefined
}

/** The seed's getCacheStats(), for a runtime. */
export async function getCacheStats(runtime: IAgentRuntime): Promise<CacheStats> {
  const service = getRedisKit(runtime)
  if (!service) throw new Error('redis-kit service is not running on this runtime')
  return service.getCacheStats()
}
