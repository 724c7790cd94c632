/**
 * expectScriptParity: proves that a script's JavaScript twin (run by the MemoryStore) does what
 * its Lua does on Redis. For random states of the script's KEYS and random ARGV, the same calls
 * run on a fresh MemoryStore and on the shared standalone Redis; every reply (after Lua's reply
 * conversion on one side and toScriptReply on the other) or error code, and the final state of
 * every key, must be the same. Redis is the truth.
 *
 * Every script a primitive defines is proven this way, in a test of its own:
 *
 *   it('reserve: twin = Lua', () =>
 *     expectScriptParity(reserveScript, fc.tuple(fc.integer({ min: 1, max: 5 }), fc.constant('60'))))
 *
 * PARITY_SEED replays or varies the runs, SCRIPT_PARITY_RUNS changes their number.
 */
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { createMemoryStore, createRedisStore } from '../../src/stores/index.js'
import type { Script, Store, StoreValue } from '../../src/stores/types.js'
import { type KeyPool, type SymbolicCommand, sequenceArbitrary } from '../stores/parity/arbitraries.js'
import { assertParity } from '../stores/parity/run.js'
import { redisUrl } from './env.js'

export type { SymbolicCommand } from '../stores/parity/arbitraries.js'

export interface ScriptParityOptions {
  /** Runs (random cases); default SCRIPT_PARITY_RUNS or 100. */
  numRuns?: number
  /** default PARITY_SEED or a fixed seed. */
  seed?: number
  /** How many calls each run makes, one after the other on the same keys (default 1 to 3). */
  calls?: { min: number; max: number }
  /**
   * The state of the keys before the calls, as commands with symbolic keys (`$<name>` for each
   * name in `script.keys`, e.g. `['hset', '$meta', { n: '1' }]`): 'random' (default: keys of
   * any type and contents, see randomState), 'none' (missing keys), or an arbitrary of commands.
   */
  setup?: 'random' | 'none' | fc.Arbitrary<SymbolicCommand[]>
  /** Applied to both replies before they are compared (e.g. only the shape of a TIME reply). */
  normalizeReply?: (reply: unknown) => unknown
  /** The Redis store to compare with (default: a store on the shared standalone Redis). */
  redis?: Store
}

const DEFAULT_SEED = 20_250_102

/** The symbolic name of a script key, as setup commands write it. */
export const symbol = (name: string): string => `$${name}`

/** Random commands creating and changing the script's keys (any type, edge-case contents). */
export function randomState(script: Script): fc.Arbitrary<SymbolicCommand[]> {
  if (script.keys.length === 0) return fc.constant([])
  const keys = script.keys.map(symbol)
  const pool: KeyPool = { keys, tagged: keys }
  return sequenceArbitrary(pool, 1, 5)
}

/** Runs the property; rejects (with fast-check's seed and counterexample) on the first difference. */
export async function expectScriptParity(
  script: Script,
  args: fc.Arbitrary<readonly StoreValue[]>,
  options: ScriptParityOptions = {},
): Promise<void> {
  const setup =
    options.setup === 'none'
      ? fc.constant([])
      : options.setup === undefined || options.setup === 'random'
        ? randomState(script)
        : options.setup
  const { min = 1, max = 3 } = options.calls ?? {}
  const redis = options.redis ?? createRedisStore(redisUrl())
  const id = randomBytes(4).toString('hex')
  let runs = 0
  try {
    await fc.assert(
      fc.asyncProperty(setup, fc.array(args, { minLength: min, maxLength: max }), async (state, calls) => {
        const prefix = `script-parity:${script.name}:${id}:${runs++}`
        const keys = Object.fromEntries(script.keys.map((name) => [symbol(name), `{${prefix}}:${name}`]))
        const evals = calls.map((argv): SymbolicCommand => ['eval', script, script.keys.map(symbol), argv])
        const memory = createMemoryStore()
        try {
          await assertParity({
            memory,
            redis,
            keys,
            channel: `${prefix}:channel`,
            commands: [...state, ...evals],
            ...(options.normalizeReply ? { normalizeScriptReply: options.normalizeReply } : {}),
          })
        } finally {
          await memory.close()
          if (script.keys.length > 0) await redis.del(Object.values(keys))
        }
      }),
      {
        numRuns: options.numRuns ?? Number(process.env.SCRIPT_PARITY_RUNS ?? 100),
        seed: options.seed ?? Number(process.env.PARITY_SEED ?? DEFAULT_SEED),
      },
    )
  } finally {
    if (!options.redis) await redis.close()
  }
}
