/**
 * Option parsing: zod schemas at every factory boundary, failures turned into one
 * RedisKitError('INVALID_OPTIONS') that lists each bad option and what it expects.
 */
import { z } from 'zod'
import { RedisKitError } from '../errors.js'
import { type Duration, toMs } from './duration.js'
import { redact } from './redact.js'

export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const result = schema.safeParse(input ?? {})
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(options)'
    return `${path}: ${redact(issue.message)}`
  })
  throw new RedisKitError('INVALID_OPTIONS', `${where}: invalid options — ${problems.join('; ')}`)
}

/** A zod schema for a Duration (seconds as a number, or '250ms', '30s', '5m', '1h', '1d'). */
export function durationSchema() {
  return z.custom<Duration>(
    (value) => {
      try {
        toMs(value as Duration)
        return true
      } catch {
        return false
      }
    },
    { message: "must be a number of seconds >= 0 or a string like '250ms', '30s', '5m', '1h'" },
  )
}
