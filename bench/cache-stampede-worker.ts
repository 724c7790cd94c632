/**
 * One process of the two-process stampede row of bench/cache.ts: builds LIB (two tiers) on
 * REDIS_URL, prints `ready`, waits for `go` on stdin, runs CALLERS concurrent getOrSet on KEY with
 * a 50 ms loader that counts itself in Redis (INCR COUNTER), prints one JSON line and exits.
 */
import { createInterface } from 'node:readline'
import { Redis } from 'ioredis'
import { type LibName, makeLib } from './cache-libs.js'

const env = process.env as Record<string, string>
const lib = makeLib(env.LIB as LibName, { url: env.REDIS_URL!, prefix: env.PREFIX! })
const counter = new Redis(env.REDIS_URL!)
await lib.ready() // connected (and subscribed, where there is a bus) before the start
process.stdout.write('ready\n')

const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  if (line.trim() !== 'go') continue
  const started = performance.now()
  const values = await Promise.all(
    Array.from({ length: Number(env.CALLERS) }, () =>
      lib.getOrSet(
        env.KEY!,
        async () => {
          await counter.incr(env.COUNTER!)
          await new Promise((resolve) => setTimeout(resolve, 50))
          return { by: process.pid }
        },
        60_000,
      ),
    ),
  )
  const ms = performance.now() - started
  const distinct = new Set(values.map((v) => JSON.stringify(v))).size
  process.stdout.write(`${JSON.stringify({ ms, distinct })}\n`)
  break
}
lines.close()
counter.disconnect()
await lib.close()
process.exit(0)
