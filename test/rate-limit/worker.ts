/**
 * A child process of processes.test.ts: `callers` concurrent callers hammer one sliding-window
 * limit on the shared test Redis until `durationMs` after the parent says "go" (a line on stdin).
 * Prints one JSON line: the admission times (the Redis clock: resetAt - window), calls, errors.
 * Configuration comes in RL_CONFIG (JSON).
 */
import { createInterface } from 'node:readline'
import { createRateLimit } from '../../src/rate-limit/index.js'
import { createFailoverStore } from '../../src/stores/failover/index.js'
import { createRedisStore } from '../../src/stores/redis.js'
import type { Store } from '../../src/stores/types.js'

interface Config {
  store: 'redis' | 'cluster' | 'failover'
  url: string
  cluster: { host: string; port: number }[]
  prefix: string
  callers: number
  durationMs: number
  limit: number
  windowSeconds: number
}

const config = JSON.parse(process.env.RL_CONFIG ?? '{}') as Config
const store: Store =
  config.store === 'cluster'
    ? createRedisStore({ cluster: config.cluster })
    : config.store === 'failover'
      ? createFailoverStore({ primary: createRedisStore(config.url), timeout: '5s' })
      : createRedisStore(config.url)
// the block list would answer most denials here: off, so that every call reaches Redis
const rateLimit = createRateLimit(store, { prefix: config.prefix, blockList: false, timeout: '5s' })

await rateLimit.check('warm-up', 1, 1) // connected before "ready"
process.stdout.write('ready\n')
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()))

const admitted: number[] = []
const sources = new Set<string>()
let calls = 0
let errors = 0
const stop = Date.now() + config.durationMs
await Promise.all(
  Array.from({ length: config.callers }, async () => {
    while (Date.now() < stop) {
      try {
        const r = await rateLimit.check('shared', config.limit, config.windowSeconds)
        calls++
        sources.add(r.source)
        if (r.allowed) admitted.push(r.resetAt - config.windowSeconds * 1000)
      } catch {
        errors++
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10))
    }
  }),
)
process.stdout.write(`${JSON.stringify({ admitted, calls, errors, sources: [...sources] })}\n`)
await rateLimit.close()
await store.close()
process.exit(0)
