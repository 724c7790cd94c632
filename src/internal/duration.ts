/**
 * Durations: numbers are seconds (as in Redis and the seeds); strings carry a unit:
 * '250ms', '30s', '30m', '1h', '1d', '1.5h', also with a space ('10 s').
 */
import { RedisKitError } from '../errors.js'

export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd'
export type Duration = number | `${number}${DurationUnit}` | `${number} ${DurationUnit}`

const FACTORS: Record<DurationUnit, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const PATTERN = /^(\d+(?:\.\d+)?) ?(ms|s|m|h|d)$/

/** Milliseconds in a duration. Rejects negatives, NaN and unknown units with a typed error. */
export function toMs(duration: Duration, what = 'duration'): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration < 0) throw badDuration(what, duration)
    return Math.round(duration * 1000)
  }
  const match = typeof duration === 'string' ? PATTERN.exec(duration.trim()) : null
  if (!match) throw badDuration(what, duration)
  return Math.round(Number(match[1]) * FACTORS[match[2] as DurationUnit])
}

/** Like toMs, but zero is refused too (a TTL of 0 would mean "already expired"). */
export function toPositiveMs(duration: Duration, what = 'ttl'): number {
  const ms = toMs(duration, what)
  if (ms <= 0) throw badDuration(what, duration)
  return ms
}

function badDuration(what: string, value: unknown): RedisKitError {
  return new RedisKitError(
    'INVALID_ARGUMENT',
    `${what} must be a number of seconds >= 0 or a string like '250ms', '30s', '5m', '1h', '1d' (got ${JSON.stringify(value) ?? String(value)})`,
  )
}
