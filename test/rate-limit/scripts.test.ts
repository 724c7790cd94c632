/**
 * Every rate-limit script, Lua on Redis against its JavaScript twin on memory
 * (expectScriptParity): all check shapes (1 to MAX_LIMITS limits, with and without analytics)
 * and the block script. The clock is passed in ARGV (a fixed ms value per call, going forward
 * and sometimes back) so that replies and states are comparable; one more run per script uses
 * Redis TIME and compares only what does not depend on the clock.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blockScript, checkScript, MAX_LIMITS } from '../../src/rate-limit/scripts.js'
import { slidingScript } from '../../src/rate-limit/sliding-script.js'
import { createRedisStore, type RedisStore } from '../../src/stores/index.js'
import { parseIntegers } from '../../src/stores/integers-reply.js'
import { createMemoryStore } from '../../src/stores/memory/index.js'
import { redisUrl } from '../support/env.js'
import { expectScriptParity, randomState, type SymbolicCommand } from '../support/script-parity.js'

// The clock is a grid of 2.5 s steps from a time every window divides: every TTL the scripts
// set is then at least 1 s of real time (Redis and memory expire keys on the real clock, so a
// TTL of a few ms would expire between the two runs and differ for no fault of the script).
const T0 = 1_700_000_040_000
const now = fc.integer({ min: 0, max: 48 }).map((k) => String(T0 + k * 2500))

/** One limit's five ARGV: algorithm, limit, window ms, burst, cost (always a valid combination). */
const limitArgsOf = (algorithms: string) =>
  fc
    .record({
      algo: fc.constantFrom(...algorithms),
      limit: fc.integer({ min: 1, max: 5 }),
      window: fc.constantFrom(10_000, 20_000, 30_000),
      extra: fc.integer({ min: 0, max: 3 }),
      cost: fc.integer({ min: 1, max: 5 }),
    })
    .map(({ algo, limit, window, extra, cost }) => {
      const burst = algo === 'g' || algo === 't' ? limit + extra : limit
      return [algo, String(limit), String(window), String(burst), String(Math.min(cost, burst))]
    })

function checkArgs(limits: number, analytics: boolean, clock: fc.Arbitrary<string>, algorithms = 'sgtf') {
  return fc
    .tuple(
      clock,
      fc.constantFrom('c', 'c', 'c', 'p'),
      fc.constantFrom('0', '1'),
      fc.constantFrom('alice', 'bob', 'x:{y}'),
      fc.array(limitArgsOf(algorithms), { minLength: limits, maxLength: limits }),
    )
    .map(([t, mode, charge, id, specs]) => [t, mode, charge, analytics ? '60000' : '0', id, ...specs.flat()])
}

/** States the script itself leaves, plus a block key ending around the calls' clock. */
function setup(limits: number, analytics: boolean) {
  const script = checkScript(limits, analytics)
  const blocked = fc
    .integer({ min: -10, max: 130 })
    .map((d): SymbolicCommand[] => [['set', '$block', String(T0 + d * 1000)]])
  return fc.oneof(randomState(script), fc.constant<SymbolicCommand[]>([]), blocked)
}

/**
 * A sliding log as the scripts write it: running totals, costs, scores around the calls' clock;
 * entries of 0.1.0 (no age) and with an age and live units, consistent or not (live outside
 * cost..total, a cost above the total, a score above 9e15, or a tag other than ':r': the scripts
 * must see a corrupt entry).
 */
function slidingLog(key: string) {
  const tag = fc.constantFrom('', '', ':r', ':x')
  const over = fc.constantFrom(0, 0, 0, 0, 9)
  const huge = fc.constantFrom('', '', '', '', '', '', '99999')
  const ages = fc.option(fc.tuple(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 6 })))
  return fc
    .array(
      fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 4000 }), tag, ages, over, huge),
      {
        maxLength: 6,
      },
    )
    .map((rows): SymbolicCommand[] => {
      let cum = 0
      let score = T0 - 25_000
      return rows.map(([cost, step, tagged, aged, extra, big]) => {
        cum += cost
        score += step * 10
        const age = aged ? `:${aged[0]}:${Math.min(aged[1], cum + 1)}` : ''
        return ['lpush', key, [`${big}${score}:${cum}:${cost + extra}${age}${tagged}`]]
      })
    })
}

/** check()'s ARGV for the sliding script: clock, limit, window, cost (cost ≤ limit). */
const slidingArgs = fc
  .tuple(
    now,
    fc.integer({ min: 1, max: 6 }),
    fc.constantFrom(10_000, 20_000, 30_000),
    fc.integer({ min: 1, max: 6 }),
  )
  .map(([t, limit, window, cost]) => [t, String(limit), String(window), String(Math.min(cost, limit))])

describe('rate-limit scripts: Lua on Redis ↔ twin on memory', () => {
  let redis: RedisStore
  beforeAll(() => {
    // a loaded test machine can stall a command past the default 1 s: that is not what is tested
    redis = createRedisStore({ url: redisUrl(), commandTimeout: '10s' })
  })
  afterAll(() => redis.close())

  for (const analytics of [false, true]) {
    for (let limits = 1; limits <= MAX_LIMITS; limits++) {
      const runs = limits === 1 ? 250 : limits <= 3 ? 100 : 25
      it(`check, ${limits} limit(s)${analytics ? ', analytics' : ''}`, async () => {
        const script = checkScript(limits, analytics)
        await expectScriptParity(script, checkArgs(limits, analytics, now), {
          redis,
          setup: setup(limits, analytics),
          calls: { min: 1, max: 8 },
          numRuns: runs,
        })
      }, 90_000)
    }
  }

  for (const algorithm of ['s', 'g', 't', 'f']) {
    it(`check with only one algorithm's Lua (${algorithm}), 1 and 2 limits`, async () => {
      for (const limits of [1, 2]) {
        const script = checkScript(limits, false, algorithm)
        expect(script.sha1).not.toBe(checkScript(limits, false).sha1)
        await expectScriptParity(script, checkArgs(limits, false, now, algorithm), {
          redis,
          setup: setup(limits, false),
          calls: { min: 1, max: 8 },
          numRuns: 60,
        })
      }
    }, 90_000)
  }

  it('check on the Redis clock (TIME): the same decisions and state', async () => {
    // a fixed window of 10^12 ms: both clocks are in the same window, so the state (window
    // index, count) is the same; replies keep the decisions and counts, not the times
    const decisions = (reply: unknown) => {
      const r = parseIntegers(reply as string)
      return r.filter((_, i) => i === 0 || (i >= 2 && (i - 2) % 4 < 2))
    }
    const args = fc
      .tuple(fc.constantFrom('c', 'p'), fc.constantFrom('0', '1'), fc.integer({ min: 1, max: 4 }))
      .map(([mode, charge, limit]) => [
        '',
        mode,
        charge,
        '0',
        'id',
        'f',
        String(limit),
        '1000000000000',
        '1',
        '1',
      ])
    await expectScriptParity(checkScript(1, false), args, {
      redis,
      setup: 'none',
      calls: { min: 1, max: 6 },
      normalizeReply: decisions,
      numRuns: 40,
    })
  })

  it('sliding (the check() script): logs, expired entries, corrupt entries', async () => {
    const setup = fc.oneof(
      { arbitrary: slidingLog('$limit'), weight: 3 },
      randomState(slidingScript),
      fc.constant<SymbolicCommand[]>([]),
    )
    await expectScriptParity(slidingScript, slidingArgs, {
      redis,
      setup,
      calls: { min: 1, max: 8 },
      numRuns: 250,
    })
  }, 90_000)

  it('sliding: a newest entry that cannot be one is corrupt, even where it would allow', async () => {
    // each would allow a charge of 1 of 5 if it were read as an entry: the script must drop it
    const heads = [
      `99999${T0}:3:1:10:1`, // score above 9e15
      `${T0}:99999999999999999:1:10:1`, // total above 9e15
      `${T0}:3:1:10:4`, // live units above the total
      `${T0}:3:2:10:1`, // live units below the entry's own cost
      `${T0}:3:1:${T0 + 1}:1`, // age above the score
      `${T0}:3:1:10:1:x`, // a tag other than ':r'
    ]
    await expectScriptParity(slidingScript, fc.constant([String(T0 + 5), '5', '10000', '1']), {
      redis,
      setup: fc.constantFrom(...heads).map((head): SymbolicCommand[] => [['lpush', '$limit', [head]]]),
      calls: { min: 1, max: 2 },
      numRuns: 30,
    })
  })

  it('sliding decides as the check script does for the same log (memory)', async () => {
    const generic = checkScript(1, false)
    await fc.assert(
      fc.asyncProperty(
        slidingLog('log'),
        fc.array(slidingArgs, { minLength: 1, maxLength: 8 }),
        // one window per key, as the key names it (a denied check trims what its window left)
        fc.constantFrom('10000', '20000', '30000'),
        async (log, calls, w) => {
          const a = createMemoryStore()
          const b = createMemoryStore()
          for (const [, , values] of log as [string, string, string[]][]) {
            await a.lpush('{k}:log', values)
            await b.lpush('{k}:log', values)
          }
          // a clock that only moves forward: going back, the trim of a denied check would show
          const forward = [...calls].sort((x, y) => Number(x[0]) - Number(y[0]))
          for (const [t, limit, , cost] of forward) {
            const lean = await a.eval(slidingScript, ['{k}:log'], [t!, limit!, w, cost!])
            const full = await b.eval(
              generic,
              ['{k}:b', '{k}:log'],
              [t!, 'c', '0', '0', 'id', 's', limit!, w, limit!, cost!],
            )
            expect(lean).toBe(full) // the same reply, character for character
            expect(await a.lrange('{k}:log', 0, -1)).toEqual(await b.lrange('{k}:log', 0, -1))
            // the same expiry, give or take the real milliseconds between the two calls
            expect(Math.abs((await a.pttl('{k}:log')) - (await b.pttl('{k}:log')))).toBeLessThan(100)
          }
          await a.close()
          await b.close()
        },
      ),
      { numRuns: 200 },
    )
  }, 90_000)

  it('block', async () => {
    const args = fc.tuple(
      now,
      fc.integer({ min: 10, max: 100 }).map((s) => String(s * 1000)),
    )
    await expectScriptParity(blockScript, args, { redis, calls: { min: 1, max: 3 } })
  })
})
