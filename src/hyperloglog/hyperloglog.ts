/**
 * createHyperLogLog: unique counts in 12 KB per key, whatever the number of ids (Redis's
 * HyperLogLog, ±0.81%). The memory store runs Redis's own algorithm, so the counts are equal on
 * memory and on Redis for the same ids. Keys are `<prefix>hyperloglog:<key>`.
 */
import { z } from 'zod'
import { invalidArgument } from '../errors.js'
import { createKeyBuilder, describe, keyPart } from '../internal/keys.js'
import { parseOptions } from '../internal/options.js'
import { type Estimate, HLL_STANDARD_ERROR, hllEstimate, prefixSchema } from '../internal/primitive.js'
import type { BatchCommand, Store } from '../stores/types.js'

export interface HyperLogLogOptions {
  /** Prefix of every key. @default 'kit:' (as createKit) */
  prefix?: string
}

export interface HyperLogLogStats {
  /** add() calls, and ids passed to them. */
  adds: number
  ids: number
  /** count() and estimate() calls. */
  counts: number
  merges: number
}

export interface HyperLogLog {
  /**
   * Adds ids to the set counted at `key`. Resolves true when the estimate changed. Any number of
   * ids: large lists are sent in chunks, all in one round trip.
   * @example await hyperloglog.add('analytics:unique:chat_message', userId)
   */
  add(key: string, ...ids: string[]): Promise<boolean>
  /**
   * The number of distinct ids added to the keys (the size of their union), an estimate within
   * ±0.81% (one standard error). Keys counted together must share a `{hash tag}`.
   */
  count(...keys: string[]): Promise<number>
  /** count() with its accuracy: `{ value, approximate: true, standardError: 0.0081 }`. */
  estimate(...keys: string[]): Promise<Estimate>
  /** Stores the union of `sources` (and what `destination` held) in `destination` (PFMERGE). */
  merge(destination: string, ...sources: string[]): Promise<void>
  /** The relative standard error of every count (0.0081). */
  readonly standardError: number
  stats(): HyperLogLogStats
}

const schema = z.object({ prefix: prefixSchema() }).strict()

/** Ids per PFADD: bounded command size, and Redis stays responsive between chunks. */
const CHUNK = 10_000

export function createHyperLogLog(store: Store, options: HyperLogLogOptions = {}): HyperLogLog {
  const opts = parseOptions(schema, options, 'createHyperLogLog')
  const keys = createKeyBuilder(opts.prefix, 'hyperloglog')
  const counters: HyperLogLogStats = { adds: 0, ids: 0, counts: 0, merges: 0 }
  const keyOf = (key: unknown) => keys.key(keyPart(key, 'hyperloglog key'))

  function keysOf(list: unknown[], what: string): string[] {
    if (list.length === 0) throw invalidArgument(`${what} needs at least one key`)
    return list.map(keyOf)
  }

  async function count(list: string[]): Promise<number> {
    const names = keysOf(list, 'count')
    counters.counts++
    return store.pfcount(names)
  }

  return {
    standardError: HLL_STANDARD_ERROR,
    async add(key, ...ids) {
      const name = keyOf(key)
      if (ids.length === 0) throw invalidArgument('add needs at least one id: add(key, id, …)')
      for (const id of ids) {
        if (typeof id !== 'string') {
          const hint = Array.isArray(id)
            ? '; spread an array: add(key, ...ids)'
            : '; convert it with String(id)'
          throw invalidArgument(`each id must be a string (got ${describe(id)})${hint}`)
        }
      }
      counters.adds++
      counters.ids += ids.length
      if (ids.length <= CHUNK) return store.pfadd(name, ids)
      const batch: BatchCommand[] = []
      for (let i = 0; i < ids.length; i += CHUNK) batch.push(['pfadd', name, ids.slice(i, i + CHUNK)])
      const changed = (await store.batch(batch)) as boolean[]
      return changed.some(Boolean)
    },
    count: (...list) => count(list),
    estimate: async (...list) => hllEstimate(await count(list)),
    async merge(destination, ...sources) {
      const names = [keyOf(destination), ...keysOf(sources, 'merge')]
      counters.merges++
      await store.pfmerge(names[0]!, names.slice(1))
    },
    stats: () => ({ ...counters }),
  }
}
