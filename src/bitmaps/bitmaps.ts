/**
 * createBitmaps: one bit per integer id (SETBIT, GETBIT, BITCOUNT, BITOP) and feature flags for
 * string user ids on top (`bitmaps.flags`). A bitmap takes (highest offset + 1) / 8 bytes: dense
 * ids only. Keys are `<prefix>bitmaps:<key>`; flags live under `<prefix>flags:{flags}:…`.
 */
import { z } from 'zod'
import { invalidArgument } from '../errors.js'
import { createKeyBuilder, describe, keyPart } from '../internal/keys.js'
import { parseOptions } from '../internal/options.js'
import { prefixSchema } from '../internal/primitive.js'
import { MAX_BIT_OFFSET } from '../internal/validate.js'
import type { BitOp, Store } from '../stores/types.js'
import { createFlags, type Flags } from './flags.js'

export interface BitmapsOptions {
  /** Prefix of every key. @default 'kit:' (as createKit) */
  prefix?: string
}

export interface BitRange {
  /** First and last byte (or bit, with unit 'BIT'); negative counts from the end. */
  start: number
  end: number
  /** @default 'BYTE' */
  unit?: 'BYTE' | 'BIT'
}

export interface BitmapsStats {
  sets: number
  gets: number
  counts: number
  /** enable / disable / reset / rollout calls, and flag checks (isEnabled, getAll). */
  flagWrites: number
  flagChecks: number
}

export interface Bitmaps {
  /**
   * Sets the bit at `offset` (0 to 2^32-1) to `value`; resolves with its previous value.
   * @example await bitmaps.setBit('features:beta', userIdOffset, 1)
   */
  setBit(key: string, offset: number, value: 0 | 1): Promise<0 | 1>
  /** The bit at `offset` (0 when the key or the bit was never set). */
  getBit(key: string, offset: number): Promise<0 | 1>
  /** How many bits are set, in all of the key or in a range (BITCOUNT). Exact. */
  count(key: string, range?: BitRange): Promise<number>
  /**
   * Stores `AND`/`OR`/`XOR` of the keys (or `NOT` of one) in `destination`; resolves with its
   * length in bytes. The keys must share a `{hash tag}` (e.g. 'active:{2025-01}:01').
   */
  bitOp(operation: BitOp, destination: string, ...keys: string[]): Promise<number>
  /** Feature flags for string user ids (see Flags). */
  readonly flags: Flags
  stats(): BitmapsStats
}

const schema = z.object({ prefix: prefixSchema() }).strict()
const OPERATIONS: readonly string[] = ['AND', 'OR', 'XOR', 'NOT']

function checkOffset(offset: unknown): number {
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > MAX_BIT_OFFSET) {
    throw invalidArgument(
      `bit offset must be a whole number from 0 to 2^32-1 (got ${describe(offset)}); for string ids use bitmaps.flags`,
    )
  }
  return offset
}

export function createBitmaps(store: Store, options: BitmapsOptions = {}): Bitmaps {
  const opts = parseOptions(schema, options, 'createBitmaps')
  const keys = createKeyBuilder(opts.prefix, 'bitmaps')
  const counters: BitmapsStats = { sets: 0, gets: 0, counts: 0, flagWrites: 0, flagChecks: 0 }
  const keyOf = (key: unknown) => keys.key(keyPart(key, 'bitmap key'))
  const flags = createFlags(store, createKeyBuilder(opts.prefix, 'flags'), counters)

  return {
    flags,
    async setBit(key, offset, value) {
      const name = keyOf(key)
      checkOffset(offset)
      if (value !== 0 && value !== 1)
        throw invalidArgument(`bit value must be 0 or 1 (got ${describe(value)})`)
      counters.sets++
      return store.setbit(name, offset, value)
    },
    async getBit(key, offset) {
      const name = keyOf(key)
      counters.gets++
      return store.getbit(name, checkOffset(offset))
    },
    async count(key, range) {
      const name = keyOf(key)
      if (range !== undefined) {
        const r = range as Partial<BitRange> | null
        if (
          typeof r !== 'object' ||
          r === null ||
          !Number.isSafeInteger(r.start) ||
          !Number.isSafeInteger(r.end)
        ) {
          throw invalidArgument(
            `count range must be { start, end, unit? } with whole numbers (got ${describe(range)})`,
          )
        }
        if (r.unit !== undefined && r.unit !== 'BYTE' && r.unit !== 'BIT') {
          throw invalidArgument(`count range unit must be 'BYTE' or 'BIT' (got ${describe(r.unit)})`)
        }
      }
      counters.counts++
      return store.bitcount(name, range)
    },
    async bitOp(operation, destination, ...sources) {
      if (!OPERATIONS.includes(operation as string)) {
        throw invalidArgument(
          `bitOp operation must be 'AND', 'OR', 'XOR' or 'NOT' (got ${describe(operation)})`,
        )
      }
      if (sources.length === 0) throw invalidArgument('bitOp needs at least one source key')
      if (operation === 'NOT' && sources.length !== 1)
        throw invalidArgument('bitOp NOT takes exactly one source key')
      return store.bitop(operation, keyOf(destination), sources.map(keyOf))
    },
    stats: () => ({ ...counters }),
  }
}
