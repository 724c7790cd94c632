/**
 * What the operations of one sessions instance share: the store, the key scheme, the payload
 * codec, options, counters and events; and the small helpers that read script replies.
 */
import { RedisKitError } from '../errors.js'
import { Emitter } from '../internal/events.js'
import { parseIntegers } from '../stores/integers-reply.js'
import type { ScriptReply, Store } from '../stores/types.js'
import type { KeyScheme, SessionRef } from './keys.js'
import type { ResolvedOptions } from './options.js'
import type { PayloadCodec, RejectReason } from './payload.js'
import type { Session, SessionsEvents, SessionsStats } from './types.js'

export interface Context<T extends object> {
  store: Store
  keys: KeyScheme
  payload: PayloadCodec<T>
  options: ResolvedOptions
  counters: SessionsStats
  events: Emitter<SessionsEvents>
  /** Counts and reports a stored session that reads as absent. */
  reject(reason: RejectReason, operation: string): void
  /** Counts a conflict and returns the error to throw. */
  conflict(expected: number | undefined, current: number): RedisKitError
}

export function createContext<T extends object>(
  store: Store,
  keys: KeyScheme,
  payload: PayloadCodec<T>,
  options: ResolvedOptions,
): Context<T> {
  const counters: SessionsStats = { created: 0, rotated: 0, destroyed: 0, conflicts: 0, rejected: 0 }
  const events = new Emitter<SessionsEvents>()
  return {
    store,
    keys,
    payload,
    options,
    counters,
    events,
    reject(reason, operation) {
      counters.rejected++
      events.emit('rejected', { reason, operation })
    },
    conflict(expected, current) {
      counters.conflicts++
      const since = expected === undefined ? 'while it was being rotated' : `since version ${expected}`
      return new RedisKitError(
        'CONFLICT',
        `the session changed ${since} (it is at version ${current}): read it again with get() and retry, or use update(), which does`,
      )
    },
  }
}

/**
 * A script reply as a table of numbers and strings. The scripts that answer only integers
 * (create, write, touch) answer them as one string (see stores/integers-reply.ts).
 */
export function table(reply: ScriptReply): (number | string)[] {
  if (typeof reply === 'string') return parseIntegers(reply)
  return Array.isArray(reply) ? (reply as (number | string)[]) : []
}

/** The KEYS of the read, write and destroy scripts for one session. */
export function recordKeys(ref: SessionRef): string[] {
  return [ref.record, ref.keys.all, ref.keys.revoked]
}

/** A Session from a {1, version, createdAt, expiresAt, absoluteAt, …} reply. */
export function toSession<T extends object>(id: string, data: T, reply: (number | string)[]): Session<T> {
  return {
    id,
    data,
    version: reply[1] as number,
    createdAt: reply[2] as number,
    expiresAt: reply[3] as number,
    absoluteExpiresAt: reply[4] as number,
  }
}
