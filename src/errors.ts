/**
 * @module errors
 * One error class for the whole kit. Every failure has a stable `code` that callers can switch on,
 * and a message that names the fix. Credentials never appear in a message (see internal/redact).
 */

/** The stable codes a {@link RedisKitError} can carry. */
export const ERROR_CODES = [
  /** An option passed to a factory is missing or invalid. */
  'INVALID_OPTIONS',
  /** An argument passed to a method is invalid (wrong type, negative TTL, NaN, …). */
  'INVALID_ARGUMENT',
  /** A value is larger than the configured `maxValueBytes`. */
  'VALUE_TOO_LARGE',
  /** The key holds a value of another type (Redis WRONGTYPE). */
  'WRONGTYPE',
  /** The stored value is not an integer, or the result would overflow (Redis ERR not an integer). */
  'NOT_INTEGER',
  /** The stored value is not a valid float (Redis ERR not a valid float). */
  'NOT_FLOAT',
  /** The stream or its consumer group does not exist (Redis NOGROUP: create the group first). */
  'NOGROUP',
  /** The keys of one command or script do not hash to the same cluster slot. */
  'CROSSSLOT',
  /** A script failed while running. */
  'SCRIPT_ERROR',
  /** Redis answered with an error that has no more specific code. */
  'COMMAND_ERROR',
  /** A call did not complete within its deadline. */
  'TIMEOUT',
  /** The store cannot be reached (connection refused, closed, reset). */
  'UNAVAILABLE',
  /** The store was closed by `close()`. */
  'CLOSED',
  /** A bound was hit (memory store full, journal full, …). */
  'LIMIT_EXCEEDED',
  /** A write lost a race: the data changed since the version it was based on (sessions). */
  'CONFLICT',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

const BRAND = Symbol.for('redis-kit.error')

/** The base of every error thrown by redis-kit. */
export class RedisKitError extends Error {
  override readonly name = 'RedisKitError'
  readonly code: ErrorCode
  readonly [BRAND] = true

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(`[redis-kit] ${message}`, options)
    this.code = code
  }
}

/**
 * True when `err` is a RedisKitError (optionally with the given code). Works across duplicate
 * copies of the package (ESM and CJS side by side), where `instanceof` would fail.
 */
export function isKitError(err: unknown, code?: ErrorCode): err is RedisKitError {
  if (typeof err !== 'object' || err === null || !(err as Record<symbol, unknown>)[BRAND]) return false
  return code === undefined || (err as RedisKitError).code === code
}

/** Shorthand used across the kit for an invalid argument. */
export function invalidArgument(message: string): RedisKitError {
  return new RedisKitError('INVALID_ARGUMENT', message)
}
