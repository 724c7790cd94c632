/**
 * Property test: the MemoryStore behaves like Redis. Random sequences of every contract command
 * (over a few keys, some sharing a hash tag so that unions, merges and BITOP are legal on every
 * store) run on a fresh MemoryStore and on the shared standalone Redis, under a fresh key
 * prefix; every reply and the final state of every key must be the same. Redis is the truth.
 *
 * PARITY_SEED=<n> replays or varies the run (fast-check prints the seed and path of a failure);
 * PARITY_RUNS=<n> changes the number of sequences.
 */
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COMMANDS } from '../../src/stores/commands.js'
import { createMemoryStore, createRedisStore, type RedisStore } from '../../src/stores/index.js'
import { redisUrl } from '../support/env.js'
import { type KeyPool, type SymbolicCommand, sequenceArbitrary } from './parity/arbitraries.js'
import { assertParity } from './parity/run.js'

const SEED = Number(process.env.PARITY_SEED ?? 20_250_101)
const RUNS = Number(process.env.PARITY_RUNS ?? 1000)
/** PARITY_STATS=1 prints how often each command succeeded, came back empty or failed (by code). */
const coverage = process.env.PARITY_STATS === '1' ? new Map<string, number>() : undefined

/** Four keys sharing a hash tag, two in other slots (for MGET, DEL, EXISTS and plain commands). */
const POOL: KeyPool = { keys: ['$a', '$b', '$c', '$d', '$x', '$y'], tagged: ['$a', '$b', '$c', '$d'] }

function keysOfRun(prefix: string): Record<string, string> {
  return {
    $a: `{${prefix}}:a`,
    $b: `{${prefix}}:b`,
    $c: `{${prefix}}:c`,
    $d: `{${prefix}}:d`,
    $x: `${prefix}:x`,
    $y: `${prefix}:y`,
  }
}

describe('memory store ↔ Redis parity', () => {
  let redis: RedisStore
  const id = randomBytes(4).toString('hex')
  let runs = 0

  beforeAll(() => {
    redis = createRedisStore(redisUrl())
  })
  afterAll(async () => {
    await redis.close()
    if (coverage)
      console.log(
        [...coverage]
          .sort()
          .map(([k, n]) => `${k}: ${n}`)
          .join('\n'),
      )
  })

  it('the sequences use every command of the contract', () => {
    const seen = new Set<string>()
    const visit = (command: SymbolicCommand) => {
      seen.add(command[0])
      if (command[0] === 'batch') for (const c of command[1] as SymbolicCommand[]) visit(c)
    }
    for (const sequence of fc.sample(sequenceArbitrary(POOL, 5, 25), { numRuns: 2000, seed: SEED })) {
      sequence.forEach(visit)
    }
    const missing = Object.keys(COMMANDS).filter((name) => !seen.has(name))
    expect(missing, 'commands without a generator in test/stores/parity/commands.ts').toEqual([])
  })

  it(`${RUNS} random command sequences: same replies, same final state (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(sequenceArbitrary(POOL, 5, 25), async (commands) => {
        const prefix = `parity:${id}:${runs++}`
        const keys = keysOfRun(prefix)
        const memory = createMemoryStore()
        try {
          await assertParity({ memory, redis, keys, channel: `${prefix}:channel`, commands, coverage })
        } finally {
          await memory.close()
          await redis.del(Object.values(keys))
        }
      }),
      { numRuns: RUNS, seed: SEED },
    )
  }, 120_000)
})
