/** Options of createStreams and of consume(), validated with zod. */
import { z } from 'zod'
import type { Duration } from '../internal/duration.js'
import { durationSchema } from '../internal/options.js'
import { isSchema, type PayloadSchema } from '../internal/payload.js'
import { prefixSchema } from '../internal/primitive.js'

export interface StreamsOptions {
  /** Prefix of every key: `<prefix>streams:<name>`. @default 'kit:' (as createKit) */
  prefix?: string
  /** Entries kept per stream by append (the seeds' "last 1000"); false: never trim. @default 1000 */
  maxLen?: number | false
  /**
   * 'approximate' (Redis's `~`, cheaper: whole nodes of 100 entries go, so a stream keeps up to
   * ~100 more) or 'exact'. @default 'approximate'
   */
  trim?: 'approximate' | 'exact'
  /**
   * zod schemas checked on append, by stream: the key is a stream name, or its first part
   * (`chat` applies to `chat:42`; the chat helpers use `chat:<id>`, the activity ones `activity:<id>`).
   */
  schemas?: Record<string, PayloadSchema>
  /** How long one blocking read of tail() and consume() waits before it is issued again. @default '5s' */
  block?: Duration
  /** Entries per read when catching up (tail, replay). @default 100 */
  pageSize?: number
}

export const streamsOptionsSchema = z
  .object({
    prefix: prefixSchema(),
    maxLen: z.union([z.number().int().positive(), z.literal(false)]).default(1000),
    trim: z.enum(['approximate', 'exact']).default('approximate'),
    schemas: z
      .record(
        z.string(),
        z.custom<PayloadSchema>(isSchema, { message: 'must be a zod schema (anything with safeParse)' }),
      )
      .default({}),
    block: durationSchema().default('5s'),
    pageSize: z.number().int().min(1).max(10_000).default(100),
  })
  .strict()

export interface ConsumeOptions {
  /** This consumer's name in the group; give a stable one to resume its own pending entries after a restart. @default `<host>:<pid>:<random>` */
  consumer?: string
  /** Handlers running at once. @default 1 */
  concurrency?: number
  /** Entries pending this long on any consumer (one that died) are taken over. @default '30s' */
  claimIdle?: Duration
  /** First retry of a failed entry after this long, doubling each delivery (at most claimIdle). @default '1s' */
  retryDelay?: Duration
  /** Deliveries after which a failing entry goes to the dead-letter stream. @default 5 */
  maxDeliveries?: number
  /** The dead-letter stream's name, or false to drop such entries (reported by the deadLetter event). @default `<stream>:dead` */
  deadLetter?: string | false
  /** Where a group that does not exist yet starts: every entry ('start') or new ones ('now'). @default 'start' */
  from?: 'start' | 'now'
  /** Stops the consumer (like stop()). */
  signal?: AbortSignal
}

export const consumeOptionsSchema = z
  .object({
    consumer: z.string().min(1).optional(),
    concurrency: z.number().int().min(1).max(10_000).default(1),
    claimIdle: durationSchema().default('30s'),
    retryDelay: durationSchema().default('1s'),
    maxDeliveries: z.number().int().min(1).default(5),
    deadLetter: z.union([z.string().min(1), z.literal(false)]).optional(),
    from: z.enum(['start', 'now']).default('start'),
    signal: z.custom<AbortSignal>((v) => typeof v === 'object' && v !== null && 'aborted' in v).optional(),
  })
  .strict()
