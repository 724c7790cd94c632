/**
 * Pieces that primitive factories share: the `prefix` and `now` options (zod), argument checks
 * that name the fix, and approximate answers (`Estimate`) for HyperLogLog-based figures.
 */
import { z } from 'zod'
import { invalidArgument } from '../errors.js'
import { describe } from './keys.js'

/** The default key prefix, the same as createKit's, so a primitive alone writes the kit's keys. */
export const DEFAULT_PREFIX = 'kit:'

/** `prefix` of a primitive factory: any string without glob characters (it reaches SCAN MATCH). */
export function prefixSchema() {
  return z
    .string()
    .max(256)
    .refine((p) => !/[*?[\]\\]/.test(p), { message: 'must not contain glob characters * ? [ ] \\' })
    .default(DEFAULT_PREFIX)
}

/** `now` of a primitive factory: a clock in milliseconds since the epoch (inject one in tests). */
export function clockSchema() {
  return z
    .custom<() => number>((v) => typeof v === 'function', {
      message: 'must be a function returning milliseconds since the epoch (like Date.now)',
    })
    .default(() => Date.now)
}

/** Reads an injected clock, refusing what would corrupt time buckets. */
export function readClock(now: () => number): number {
  const t = now()
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw invalidArgument(
      `the clock (option now) must return milliseconds since the epoch (got ${describe(t)})`,
    )
  }
  return t
}

/** A positive safe integer argument, e.g. how many members to return. */
export function assertCount(n: unknown, what: string, max = Number.MAX_SAFE_INTEGER): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? 'a positive whole number' : `a whole number from 1 to ${max}`
    throw invalidArgument(`${what} must be ${range} (got ${describe(n)})`)
  }
}

/** Redis's HyperLogLog: 16384 registers, standard error 1.04 / sqrt(16384) ≈ 0.81%. */
export const HLL_STANDARD_ERROR = 0.0081

/**
 * An approximate answer, as dashboards need it: the value, and how far it may be off. For a
 * HyperLogLog, `standardError` is relative (one standard deviation): about 68% of reads are within
 * ±0.81% of the truth and 95% within ±1.62%.
 */
export interface Estimate {
  value: number
  approximate: true
  standardError: number
}

export function hllEstimate(value: number): Estimate {
  return { value, approximate: true, standardError: HLL_STANDARD_ERROR }
}
