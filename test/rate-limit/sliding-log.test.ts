/**
 * The sliding log (LOG_LUA) on Redis and on memory, check()'s script and the full script mixed
 * on one key:
 * - exact: every decision and number equals a brute-force model's (the sum of the costs of the
 *   admitted requests in the window), whether the newest entry answered alone or the tail was read;
 * - its expiry moves only when the newest score enters a new eighth of the window, and the key
 *   still outlives its newest entry's window after every write, with rejections charged too
 *   (whose merge of two rejected entries can empty the list and so drop its expiry).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkScript } from '../../src/rate-limit/scripts.js'
import { slidingScript } from '../../src/rate-limit/sliding-script.js'
import { parseIntegers } from '../../src/stores/integers-reply.js'
import { createMemoryStore } from '../../src/stores/memory/index.js'
import { createRedisStore } from '../../src/stores/redis.js'
import type { Store } from '../../src/stores/types.js'
import { redisUrl } from '../support/env.js'

const W = 80_000 // an eighth: 10 s
const T = 1_700_000_000_000 // (T + W) is a multiple of an eighth
const KEY = '{e}:log'

const lean = (s: Store, t: number, limit: number, cost = 1) =>
  s.eval(slidingScript, [KEY], [String(t), String(limit), String(W), String(cost)]).then(parseIntegers)
const full = (s: Store, t: number, limit: number, cost = 1, charge = '1') =>
  s
    .eval(
      checkScript(1, false),
      ['{e}:b', KEY],
      [String(t), 'c', charge, '0', 'id', 's', String(limit), String(W), String(limit), String(cost)],
    )
    .then(parseIntegers)

/** The contract by brute force: [allowed, remaining, resetAfterMs, retryAfterMs] of each check. */
function model(limit: number) {
  const admitted: { score: number; cost: number }[] = []
  return (t: number, cost: number): number[] => {
    const live = admitted.filter((e) => e.score > t - W)
    const used = live.reduce((sum, e) => sum + e.cost, 0)
    if (used + cost <= limit) {
      admitted.push({ score: t, cost })
      return [1, limit - used - cost, W, 0]
    }
    let freed = 0
    const first = live.find((e) => (freed += e.cost) >= used + cost - limit)
    return [0, limit - used, used > 0 ? live.at(-1)!.score + W - t : 0, first ? first.score + W - t : W]
  }
}

for (const kind of ['memory', 'redis'] as const) {
  describe(`sliding log expiry (${kind})`, () => {
    let store: Store
    beforeAll(() => {
      store =
        kind === 'memory' ? createMemoryStore() : createRedisStore({ url: redisUrl(), commandTimeout: '10s' })
    })
    afterAll(() => store.close())

    it('decides and counts exactly as the brute-force model', async () => {
      const step = fc.record({
        script: fc.constantFrom('lean', 'full'),
        // within the window, across an eighth, or past the oldest entry's end
        dt: fc.oneof(fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 2 * W })),
        cost: fc.integer({ min: 1, max: 4 }),
      })
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 8 }),
          fc.array(step, { minLength: 1, maxLength: 30 }),
          async (limit, steps) => {
            await store.del([KEY])
            const expected = model(limit)
            let t = T
            for (const { script, dt, cost: c } of steps) {
              t += dt
              const cost = Math.min(c, limit)
              const r =
                script === 'lean' ? await lean(store, t, limit, cost) : await full(store, t, limit, cost, '0')
              expect([r[2], r[3], r[4], r[5]]).toEqual(expected(t, cost))
            }
          },
        ),
        { numRuns: kind === 'memory' ? 300 : 100 },
      )
    }, 60_000)

    it('moves once per eighth of a window, to two eighths past the newest window', async () => {
      await store.del([KEY])
      await lean(store, T, 100)
      // set at T: the newest window ends at T + W, the key two eighths later
      expect(await store.pttl(KEY)).toBeGreaterThan(W + 20_000 - 5_000)
      // 5 s later, the same eighth: left as it was (a new PEXPIRE would give W + 15 s)
      await lean(store, T + 5_000, 100)
      expect(await store.pttl(KEY)).toBeGreaterThan(W + 15_000 + 2_000)
      // 10 s later, the next eighth: moved to W + 20 s past this write
      await lean(store, T + 10_000, 100)
      const ttl = await store.pttl(KEY)
      expect(ttl).toBeGreaterThan(W + 20_000 - 5_000)
      expect(ttl).toBeLessThanOrEqual(W + 20_000)
    })

    it('a log written by 0.1.0 (no ages) gets its expiry moved by the first write', async () => {
      await store.del([KEY])
      await store.lpush(KEY, [`${T}:1:1`])
      await store.pexpire(KEY, W) // 0.1.0: one window after the newest entry
      await lean(store, T + 1_000, 100) // the same eighth as the old entry
      expect(await store.pttl(KEY)).toBeGreaterThan(W + 19_000 - 5_000)
    })

    it('a charged rejection that empties the list still leaves the key an expiry', async () => {
      await store.del([KEY])
      await store.lpush(KEY, [`${T}:1:1:r`])
      const reply = await full(store, T + 1_000, 1)
      expect(reply[2]).toBe(0) // denied, charged: merged with the rejected entry it popped
      expect(await store.lrange(KEY, 0, -1)).toEqual([`${T + 1_000}:2:2:1000:2:r`])
      expect(await store.pttl(KEY)).toBeGreaterThan(0)
    })

    it('after any writes, the key outlives its newest entry by at least its reset', async () => {
      const step = fc.record({
        script: fc.constantFrom(lean, full),
        dt: fc.integer({ min: 0, max: 30_000 }),
        limit: fc.integer({ min: 1, max: 4 }),
        cost: fc.integer({ min: 1, max: 4 }),
      })
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
          await store.del([KEY])
          let t = T
          for (const { script, dt, limit, cost } of steps) {
            t += dt
            const reply = await script(store, t, limit, Math.min(cost, limit))
            const reset = reply[4]!
            if (reset === 0) continue // nothing in the window: the key may be gone
            const ttl = await store.pttl(KEY)
            expect(ttl).toBeGreaterThan(0)
            expect(ttl).toBeGreaterThanOrEqual(reset - 1_000) // a second of real time, at most
          }
        }),
        { numRuns: kind === 'memory' ? 200 : 60 },
      )
    }, 60_000)
  })
}
