/**
 * Where analytics keeps its data, and the checks of what callers pass. All keys of one event
 * share the hash tag `{<event name>}`, so one script writes them and one pipeline or PFCOUNT
 * reads them on Redis Cluster:
 *
 *   <prefix>analytics:{<event>}:total               string  every event, all time
 *   <prefix>analytics:{<event>}:users               HLL     every user, all time
 *   <prefix>analytics:{<event>}:count:<YYYY-MM-DD>  string  events that day (expires)
 *   <prefix>analytics:{<event>}:users:<YYYY-MM-DD>  HLL     users that day (expires)
 *   <prefix>analytics:{<event>}:props:<YYYY-MM-DD>  hash    'property=value' → count (expires)
 *   <prefix>analytics:events                        set     every event name
 */
import { invalidArgument } from '../errors.js'
import { createKeyBuilder, describe } from '../internal/keys.js'

const MAX_NAME = 200
const MAX_VALUE = 200

export interface Layout {
  registry: string
  total(event: string): string
  users(event: string): string
  dayCount(event: string, date: string): string
  dayUsers(event: string, date: string): string
  dayProps(event: string, date: string): string
}

export function createLayout(prefix: string): Layout {
  const keys = createKeyBuilder(prefix, 'analytics')
  const tag = (event: string) => `{${event}}`
  return {
    registry: keys.key('events'),
    total: (event) => keys.key(tag(event), 'total'),
    users: (event) => keys.key(tag(event), 'users'),
    dayCount: (event, date) => keys.key(tag(event), 'count', date),
    dayUsers: (event, date) => keys.key(tag(event), 'users', date),
    dayProps: (event, date) => keys.key(tag(event), 'props', date),
  }
}

export function checkEvent(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) {
    throw invalidArgument(
      `event name must be a non-empty string of at most ${MAX_NAME} chars (got ${describe(name)})`,
    )
  }
  if (name.includes('{') || name.includes('}')) {
    throw invalidArgument(
      `event name must not contain '{' or '}' (got ${describe(name)}): it becomes the keys' hash tag`,
    )
  }
  return name
}

export function checkUser(userId: unknown): string | null {
  if (userId === null) return null
  if (typeof userId !== 'string' || userId.length === 0) {
    const hint = typeof userId === 'number' ? '; convert it with String(userId)' : ''
    throw invalidArgument(
      `userId must be a non-empty string, or null for an anonymous event (got ${describe(userId)})${hint}`,
    )
  }
  return userId
}

export function checkDays(days: unknown, retentionDays: number): number {
  if (typeof days !== 'number' || !Number.isSafeInteger(days) || days < 1 || days > retentionDays) {
    throw invalidArgument(
      `days must be a whole number from 1 to ${retentionDays} (the retention) (got ${describe(days)}); raise the retention option to keep more days`,
    )
  }
  return days
}

/** The hash fields ('property=value') an event adds to its day's breakdown. */
export function breakdownFields(props: unknown, breakdown: readonly string[]): string[] {
  if (props === undefined || props === null) return []
  if (typeof props !== 'object' || Array.isArray(props)) {
    throw invalidArgument(`props must be an object of event properties (got ${describe(props)})`)
  }
  if (breakdown.length === 0) return []
  const fields: string[] = []
  for (const property of breakdown) {
    if (!Object.hasOwn(props, property)) continue
    const value = (props as Record<string, unknown>)[property]
    if (value === undefined || value === null) continue
    if (
      typeof value !== 'string' &&
      typeof value !== 'boolean' &&
      !(typeof value === 'number' && Number.isFinite(value))
    ) {
      throw invalidArgument(
        `property ${JSON.stringify(property)} is broken down, so its value must be a string, a finite number or a boolean (got ${describe(value)})`,
      )
    }
    const text = String(value)
    if (text.length > MAX_VALUE) {
      throw invalidArgument(
        `property ${JSON.stringify(property)} is broken down, so its value must be at most ${MAX_VALUE} chars (got ${text.length}); break down a shorter property`,
      )
    }
    fields.push(`${property}=${text}`)
  }
  return fields
}

/** When an event happened: now, or `at` (ms or a Date). */
export function instantOf(at: unknown, now: number): number {
  if (at === undefined) return now
  const ms = at instanceof Date ? at.getTime() : at
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw invalidArgument(`at must be a Date or milliseconds since the epoch (got ${describe(at)})`)
  }
  return ms
}
