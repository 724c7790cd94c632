/** Options of createFailoverStore, validated with zod. */
import { z } from 'zod'
import { durationSchema } from '../../internal/options.js'
import type { Store } from '../types.js'

const store = z.custom<Store>(
  (v) => typeof v === 'object' && v !== null && typeof (v as Store).get === 'function',
  { message: 'must be a Store' },
)

export const failoverOptionsSchema = z
  .object({
    /** The source of truth (a RedisStore). */
    primary: store,
    /** Serves calls while the primary is unavailable: a Store, or false to surface errors. @default a MemoryStore */
    fallback: z.union([store, z.literal(false)]).optional(),
    /** Options of the default MemoryStore fallback. */
    memory: z.record(z.string(), z.unknown()).optional(),
    /** Deadline of every call to the primary. @default '250ms' */
    timeout: durationSchema().default('250ms'),
    /** Consecutive failures or timeouts that open the circuit. @default 3 */
    failureThreshold: z.number().int().min(1).default(3),
    /** Shortest and longest wait between probes of the primary while the circuit is open. */
    probe: z
      .object({ minDelay: durationSchema().default('50ms'), maxDelay: durationSchema().default('1s') })
      .strict()
      .default({ minDelay: '50ms', maxDelay: '1s' }),
    /** Most journaled writes kept while Redis is down; the oldest are dropped beyond. @default 100000 */
    maxJournal: z.number().int().min(1).default(100_000),
    /** Journal entries replayed per round trip. @default 100 */
    replayBatch: z.number().int().min(1).max(10_000).default(100),
    /** Where the op logs of exactly-once writes live, and how long an op id is remembered. */
    opLog: z
      .object({ key: z.string().min(1).default('redis-kit:ops'), retention: durationSchema().default('10m') })
      .strict()
      .default({ key: 'redis-kit:ops', retention: '10m' }),
    /** Close the primary (and a fallback passed in) on close(). @default true for the primary */
    closePrimary: z.boolean().default(true),
  })
  .strict()

export type FailoverStoreOptions = z.input<typeof failoverOptionsSchema>
