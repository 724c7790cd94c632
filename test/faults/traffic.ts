/**
 * Background load for the fault tests: callers doing INCRBY 1 then GET on a set of keys until
 * stopped, recording every call (when it started, how long it took, whether it threw) and how
 * many increments succeeded per key, so a test can check Redis against the exact counts.
 */
import type { Store } from '../../src/stores/types.js'

export interface TrafficOptions {
  callers: number
  keys: readonly string[]
  /** Pause of each caller between iterations; 0: setImmediate (yield to timers and sockets only). */
  pauseMs?: number
  /** Upper bound of iterations per caller (a runaway loop still ends). */
  maxIterations?: number
}

export interface Traffic {
  /** Successful increments per key (what Redis must hold in the end, when it started empty). */
  readonly counts: Map<string, number>
  /** Errors thrown by calls (none expected). */
  readonly errors: unknown[]
  /** Calls made so far. */
  readonly calls: number
  /** Calls that started at or after `from` (performance.now(), 50 ms resolution), optionally only on `keys`. */
  since(from: number, keys?: ReadonlySet<string>): { calls: number; maxMs: number }
  /** Slowest call of the whole run (ms). */
  maxMs(): number
  /** Stops the callers and waits for their last calls. */
  stop(): Promise<void>
}

const BUCKET_MS = 50

export function startTraffic(store: Store, options: TrafficOptions): Traffic {
  const { callers, keys, pauseMs = 0, maxIterations = 1_000_000 } = options
  const counts = new Map(keys.map((k) => [k, 0]))
  const errors: unknown[] = []
  // calls answered from memory run at hundreds of thousands a second: keep, per 50 ms bucket
  // and key, the number of calls and the slowest one rather than every call
  const t0 = performance.now()
  const calls: number[] = []
  const slowest: number[] = []
  let total = 0
  let stopped = false

  async function timed(i: number, call: () => Promise<unknown>): Promise<boolean> {
    const start = performance.now()
    let ok = true
    try {
      await call()
    } catch (err) {
      ok = false
      errors.push(err)
    }
    const slot = Math.floor((start - t0) / BUCKET_MS) * keys.length + i
    calls[slot] = (calls[slot] ?? 0) + 1
    slowest[slot] = Math.max(slowest[slot] ?? 0, performance.now() - start)
    total++
    return ok
  }

  const done = Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      for (let n = 0; n < maxIterations && !stopped; n++) {
        const i = (caller + n * 7) % keys.length
        const key = keys[i]!
        if (await timed(i, () => store.incrby(key, 1))) counts.set(key, (counts.get(key) ?? 0) + 1)
        await timed(i, () => store.get(key))
        // a caller does other work between calls; without this, calls answered from memory
        // resolve in microtasks only and starve every timer and socket of the process
        await new Promise((resolve) => (pauseMs > 0 ? setTimeout(resolve, pauseMs) : setImmediate(resolve)))
      }
    }),
  )

  return {
    counts,
    errors,
    get calls() {
      return total
    },
    since(from, only) {
      let n = 0
      let maxMs = 0
      // from the bucket holding `from` (so a few calls just before it may count too)
      const first = Math.max(0, Math.floor((from - t0) / BUCKET_MS) * keys.length)
      for (let slot = first; slot < calls.length; slot++) {
        if (calls[slot] === undefined || (only && !only.has(keys[slot % keys.length]!))) continue
        n += calls[slot]!
        maxMs = Math.max(maxMs, slowest[slot]!)
      }
      return { calls: n, maxMs }
    },
    maxMs() {
      return this.since(t0).maxMs
    },
    async stop() {
      stopped = true
      await done
    },
  }
}
