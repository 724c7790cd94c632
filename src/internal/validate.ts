/**
 * Cheap argument checks shared by every Store, so that bad input fails the same way on Redis
 * and on memory, before anything is sent. Kept free of zod: these run on every call.
 */
import { invalidArgument, RedisKitError } from '../errors.js'
import type { StoreValue } from '../stores/types.js'
import { describe } from './keys.js'

export const MAX_BIT_OFFSET = 2 ** 32 - 1

export function assertKey(key: unknown, what = 'key'): asserts key is string {
  if (typeof key !== 'string') throw invalidArgument(`${what} must be a string (got ${describe(key)})`)
}

export function assertKeys(keys: unknown, what = 'keys', allowEmpty = false): asserts keys is string[] {
  if (!Array.isArray(keys))
    throw invalidArgument(`${what} must be an array of strings (got ${describe(keys)})`)
  if (!allowEmpty && keys.length === 0) throw invalidArgument(`${what} must not be empty`)
  for (const k of keys) assertKey(k, `each of ${what}`)
}

export function assertValue(value: unknown, maxBytes: number, what = 'value'): asserts value is StoreValue {
  if (typeof value === 'string') {
    // a UTF-8 string is at most 3 bytes per UTF-16 unit: only measure when it could be too large
    if (value.length * 3 > maxBytes && Buffer.byteLength(value) > maxBytes) throw tooLarge(what, maxBytes)
    return
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalidArgument(`${what} must be a finite number (got ${value})`)
    return
  }
  if (Buffer.isBuffer(value)) {
    if (value.length > maxBytes) throw tooLarge(what, maxBytes)
    return
  }
  throw invalidArgument(`${what} must be a string, a Buffer or a finite number (got ${describe(value)})`)
}

/** A non-empty array of values (LPUSH, RPUSH), each checked as assertValue does. */
export function assertValues(
  values: unknown,
  maxBytes: number,
  what: string,
): asserts values is StoreValue[] {
  if (!Array.isArray(values) || values.length === 0) {
    throw invalidArgument(
      `${what} must be a non-empty array of strings, Buffers or numbers (got ${describe(values)})`,
    )
  }
  for (const v of values) assertValue(v, maxBytes, `each of ${what}`)
}

function tooLarge(what: string, maxBytes: number): RedisKitError {
  return new RedisKitError(
    'VALUE_TOO_LARGE',
    `${what} is larger than maxValueBytes (${maxBytes}); raise the store's maxValueBytes option or store less`,
  )
}

export function assertInteger(n: unknown, what: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw invalidArgument(`${what} must be a safe integer (got ${describe(n)})`)
  }
}

export function assertFinite(n: unknown, what: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw invalidArgument(`${what} must be a finite number (got ${describe(n)})`)
  }
}

/** Any number but NaN (Redis scores and weights accept inf and -inf). */
export function assertNotNaN(n: unknown, what: string): asserts n is number {
  if (typeof n !== 'number' || Number.isNaN(n))
    throw invalidArgument(`${what} must be a number (got ${describe(n)})`)
}

/** A TTL given to SET/EXPIRE: a positive whole number (delete the key instead of passing <= 0). */
export function assertTtl(n: unknown, what: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) {
    throw invalidArgument(
      `${what} must be a positive whole number (got ${describe(n)}); use del() to remove a key now`,
    )
  }
}

export function assertBitOffset(offset: unknown): asserts offset is number {
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > MAX_BIT_OFFSET) {
    throw invalidArgument(`bit offset must be an integer from 0 to 2^32-1 (got ${describe(offset)})`)
  }
}

export function assertStrings(values: unknown, what: string): asserts values is string[] {
  if (!Array.isArray(values) || values.length === 0) {
    throw invalidArgument(`${what} must be a non-empty array of strings (got ${describe(values)})`)
  }
  for (const v of values) {
    if (typeof v !== 'string') throw invalidArgument(`each of ${what} must be a string (got ${describe(v)})`)
  }
}

const SCORE_BOUND = /^\(?(-?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?|[-+]?inf)$/i

/** A score bound: a number, '-inf', '+inf', or '(n' for an exclusive bound. */
export function assertScoreBound(bound: unknown, what: string): void {
  if (
    typeof bound === 'number' ? Number.isNaN(bound) : typeof bound !== 'string' || !SCORE_BOUND.test(bound)
  ) {
    throw invalidArgument(
      `${what} must be a number, '-inf', '+inf' or '(n' for an exclusive bound (got ${describe(bound)})`,
    )
  }
}

export function assertChannel(channel: unknown, what = 'channel'): asserts channel is string {
  if (typeof channel !== 'string' || channel.length === 0) {
    throw invalidArgument(`${what} must be a non-empty string (got ${describe(channel)})`)
  }
}

export function assertFunction(fn: unknown, what: string): void {
  if (typeof fn !== 'function') throw invalidArgument(`${what} must be a function (got ${describe(fn)})`)
}
