/** Shared pieces of the fault tests: a kit-like failover store over a given Redis, and waits. */
import { Redis } from 'ioredis'
import { createFailoverStore, type FailoverStore } from '../../src/stores/failover/index.js'
import { createRedisStore } from '../../src/stores/redis.js'

export interface Harness {
  store: FailoverStore
  events: { failover: number; recovered: number; replayed: number }
  /** A plain ioredis client straight to the server (not through any proxy), for checking. */
  direct: Redis
  close(): Promise<void>
}

export function failoverOver(
  url: string,
  directUrl = url,
  options: Partial<Parameters<typeof createFailoverStore>[0]> = {},
): Harness {
  const primary = createRedisStore({ url, commandTimeout: '1s', connectTimeout: '300ms' })
  const store = createFailoverStore({ primary, timeout: '250ms', ...options })
  const events = { failover: 0, recovered: 0, replayed: 0 }
  store.on('failover', () => events.failover++)
  store.on('recovered', () => events.recovered++)
  store.on('replayed', ({ count }) => {
    events.replayed += count
  })
  const direct = new Redis(directUrl, { maxRetriesPerRequest: 1 })
  return {
    store,
    events,
    direct,
    async close() {
      direct.disconnect()
      await store.close()
    },
  }
}

/** Polls `check` every 20 ms until it is true (bounded by `timeoutMs`). */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

export function uniquePrefix(name: string): string {
  return `fault:${name}:${Math.random().toString(36).slice(2, 8)}:`
}
