/**
 * Turns what ioredis throws into RedisKitErrors with stable codes. Server replies keep their
 * Redis text (so they read the same on memory and on Redis); credentials are redacted.
 */
import { type ErrorCode, isKitError, RedisKitError } from '../errors.js'
import { redact } from '../internal/redact.js'

const REPLY_CODES: [RegExp, ErrorCode][] = [
  [/^WRONGTYPE/, 'WRONGTYPE'],
  [/^ERR ((hash )?value is not an integer|increment or decrement would overflow)/, 'NOT_INTEGER'],
  [
    /^ERR (value is not a valid float|increment would produce NaN|resulting score is not a number)/,
    'NOT_FLOAT',
  ],
  [/^CROSSSLOT/, 'CROSSSLOT'],
  [/^NOGROUP/, 'NOGROUP'],
  [/^(ERR user_script|ERR Error running script|ERR Error compiling script)/, 'SCRIPT_ERROR'],
]

const UNAVAILABLE = [
  /Stream isn't writeable/,
  /Connection is closed/,
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH/,
  /MaxRetriesPerRequest/,
  /None of startup nodes is available/,
  /Failed to refresh slots cache/,
  /Cluster(All)?Failed|CLUSTERDOWN|Too many Cluster redirections/,
  /^(LOADING|READONLY|MASTERDOWN|TRYAGAIN|OOM)/,
  // a redirect ioredis did not follow (an auto-pipeline whose commands were moved to different
  // slots is not retried): the slot is changing owner, the command did not run
  /^(MOVED|ASK) \d+ /,
  /Socket timeout|socket.*(closed|timeout)/i,
]

/** Maps an error from ioredis (or anything thrown while talking to Redis) to a RedisKitError. */
export function toKitError(err: unknown, command: string): RedisKitError {
  if (isKitError(err)) return err
  const message = redact(err instanceof Error ? err.message : String(err))
  const name = err instanceof Error ? err.name : ''
  if (name === 'ReplyError' || /^[A-Z]+ /.test(message)) {
    for (const [pattern, code] of REPLY_CODES) {
      if (pattern.test(message)) return new RedisKitError(code, message, { cause: err })
    }
  }
  if (/Command timed out/.test(message)) {
    return new RedisKitError('TIMEOUT', `${command} timed out (its outcome on the server is unknown)`, {
      cause: err,
    })
  }
  if (UNAVAILABLE.some((pattern) => pattern.test(message)) || /ClusterAllFailedError/.test(name)) {
    return new RedisKitError('UNAVAILABLE', `Redis is unavailable (${command}): ${message}`, { cause: err })
  }
  if (name === 'ReplyError') return new RedisKitError('COMMAND_ERROR', message, { cause: err })
  return new RedisKitError('UNAVAILABLE', `${command} failed: ${message}`, { cause: err })
}
