/**
 * Entries of the streams primitive: the payload is one field, `data`, holding the kit's codec
 * (JSON; Dates and nested bytes tagged), so any Redis client can read it. An entry written by
 * someone else without a `data` field reads as its fields. Payloads are checked against the
 * stream's schema (if any) before they are written.
 */
import { invalidArgument } from '../errors.js'
import { decodePayload } from '../internal/payload.js'
import type { StreamEntry } from '../stores/types.js'

/** An entry as the primitive returns it. */
export interface StreamItem<T = unknown> {
  /** The entry id (`<ms>-<seq>`): the position to resume after (an SSE `id:`). */
  id: string
  /** Unix ms of the id (when Redis, or the memory store, added it). */
  time: number
  data: T
}

/** The field the payload is stored in. */
export const DATA_FIELD = 'data'

/** An entry as an item: its `data` decoded (kept as text when it is not the kit's JSON). */
export function toItem<T>(entry: StreamEntry): StreamItem<T> {
  const raw = entry.fields[DATA_FIELD]
  const data = raw === undefined ? entry.fields : decodePayload(raw)
  return { id: entry.id, time: Number(entry.id.slice(0, entry.id.indexOf('-'))), data: data as T }
}

/** Checks a stream name given by the caller. */
export function streamName(name: unknown, what = 'stream'): string {
  if (typeof name !== 'string' || name.length === 0)
    throw invalidArgument(`${what} must be a non-empty string (got ${typeof name})`)
  return name
}
