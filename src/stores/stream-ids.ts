/**
 * Stream ids as Redis parses and compares them: `<ms>-<seq>`, two unsigned 64-bit numbers, held
 * here as one 128-bit BigInt (ms << 64 | seq) so that comparing ids is comparing numbers. The
 * argument checks (every store) accept only canonical decimal forms; the memory store uses the
 * same parser for the meaning of incomplete (`5`), exclusive (`(5-1`) and special ids.
 */
import { invalidArgument } from '../errors.js'
import { describe } from '../internal/keys.js'

export const U64_MAX = (1n << 64n) - 1n
export const ID_MAX = (U64_MAX << 64n) | U64_MAX

const PART = '(0|[1-9][0-9]{0,19})'
const ID = new RegExp(`^${PART}(?:-(${PART.slice(1, -1)}|\\*))?$`)

/** Where an id appears decides which special forms it may take. */
export type IdForm =
  /** XDEL, XACK, XCLAIM, XTRIM MINID: `ms` or `ms-seq`. */
  | 'strict'
  /** XADD: also `*` and `ms-*`. */
  | 'add'
  /** XRANGE, XPENDING, XAUTOCLAIM: also `-`, `+` and exclusive `(id`. */
  | 'interval'
  /** XREAD: also `$`. */
  | 'read'
  /** XREADGROUP: also `>` (and not `$`). */
  | 'group-read'
  /** XGROUP CREATE: also `$`. */
  | 'group-create'

const SPECIAL: Record<IdForm, readonly string[]> = {
  strict: [],
  add: ['*'],
  interval: ['-', '+'],
  read: ['$'],
  'group-read': ['>'],
  'group-create': ['$'],
}

const FIX: Record<IdForm, string> = {
  strict: "an id like '1700000000000-0' (or '1700000000000')",
  add: "'*', '<ms>-*' or an id like '1700000000000-0'",
  interval: "'-', '+', an id like '1700000000000-0', or '(<id>' for an exclusive bound",
  read: "'$' (only new entries) or an id like '1700000000000-0' ('0' for all)",
  'group-read': "'>' (new entries) or an id like '0' (the consumer's pending entries)",
  'group-create': "'$' (only new entries) or an id like '0' (all of them)",
}

/** Checks the form of a stream id argument; throws INVALID_ARGUMENT naming the accepted forms. */
export function assertStreamId(id: unknown, form: IdForm, what = 'id'): asserts id is string {
  if (typeof id === 'string') {
    if (SPECIAL[form].includes(id)) return
    const text = form === 'interval' && id.startsWith('(') ? id.slice(1) : id
    const m = ID.exec(text)
    if (m && (m[2] !== '*' || form === 'add') && BigInt(m[1]!) <= U64_MAX) {
      if (m[2] === undefined || m[2] === '*' || BigInt(m[2]) <= U64_MAX) return
    }
  }
  throw invalidArgument(`${what} must be ${FIX[form]} (got ${describe(id)})`)
}

/** The id of `ms` and `seq`. */
export const makeId = (ms: bigint, seq: bigint): bigint => (ms << 64n) | seq
export const msOf = (id: bigint): bigint => id >> 64n
export const seqOf = (id: bigint): bigint => id & U64_MAX

/** `ms-seq` text of an id. */
export function formatId(id: bigint): string {
  return `${id >> 64n}-${id & U64_MAX}`
}

/** Parses a checked `ms` or `ms-seq` id; `missingSeq` completes `ms` alone (0, or U64_MAX for an end). */
export function parseId(text: string, missingSeq: bigint = 0n): bigint {
  const dash = text.indexOf('-')
  if (dash === -1) return makeId(BigInt(text), missingSeq)
  return makeId(BigInt(text.slice(0, dash)), BigInt(text.slice(dash + 1)))
}

/**
 * An interval bound of XRANGE and XPENDING: `-`, `+`, `id`, or `(id` (exclusive). Returns null
 * when an exclusive bound cannot move (Redis: "invalid start/end ID for the interval").
 */
export function parseBound(text: string, end: boolean): bigint | null {
  if (text === '-') return 0n
  if (text === '+') return ID_MAX
  if (!text.startsWith('(')) return parseId(text, end ? U64_MAX : 0n)
  const id = parseId(text.slice(1), end ? U64_MAX : 0n)
  if (end) return id === 0n ? null : id - 1n
  return id === ID_MAX ? null : id + 1n
}
