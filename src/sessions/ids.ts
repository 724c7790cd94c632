/**
 * Session ids and the hashes stored in their place. An id is 24 bytes from the system CSPRNG,
 * written as 32 base64url characters. Its last byte names the session's group (0-255): random
 * for a session without a user, the user's group for a session bound to a user, so that every
 * session of one user lives in one cluster slot with the user's index (see keys.ts).
 *
 * The first character tells reads how to look the session up. On ids that may belong to a user,
 * the low 4 bits of its 6-bit value are all set ('P', 'f', 'v' or '_'): their reads go through
 * the script that checks the user's "log out everywhere" marker. On ids of sessions without a
 * user the lowest bit is clear, and a plain GET reads them. Ids that express-session makes are
 * random and look like user ids 1 time in 16 (1 in 2 with the single bit of 0.1.0). A user's
 * session id keeps 180 random bits and any other 191 (OWASP asks for at least 64;
 * express-session uses 192).
 *
 * Redis never sees an id: records are stored under a SHA-256 of it, user indexes under a
 * SHA-256 of the user id, so a dump or SCAN reveals no usable session id.
 */
import * as crypto from 'node:crypto'
import { invalidArgument } from '../errors.js'
import { describe } from '../internal/keys.js'

export const ID_BYTES = 24
/** The bits of the first byte that are the low 4 of the first character's value, and the lowest. */
const USER_MARK = 0x3c
const LOW_BIT = 0x04
export const GROUPS = 256
const OUR_FORMAT = /^[A-Za-z0-9_-]{32}$/
const MAX_ID_LENGTH = 512
const MAX_USER_ID_LENGTH = 1024

// CSPRNG bytes drawn 64 ids at a time (one randomBytes call costs as much as hashing an id);
// each id is written from its bytes in the pool, which are wiped right after.
const POOL_BYTES = 64 * ID_BYTES
let pool = Buffer.alloc(0)
let offset = 0

/**
 * A new session id in `group` (a random group when omitted). `user`: the session has or may get
 * a user (its reads go through the script that checks the user's marker; see mayHaveUser).
 */
export function newSessionId(group: number | undefined, user: boolean): string {
  if (offset + ID_BYTES > pool.length) {
    pool = crypto.randomBytes(POOL_BYTES)
    offset = 0
  }
  const start = offset
  const end = (offset += ID_BYTES)
  if (group !== undefined) pool[end - 1] = group
  pool[start] = user ? pool[start]! | USER_MARK : pool[start]! & ~LOW_BIT
  const id = pool.toString('base64url', start, end)
  pool.fill(0, start, end)
  return id
}

/**
 * Whether a read of `id` should check a user's marker (a script) rather than GET the record: true
 * for ids we issued to a session that has or may get a user (see newSessionId) and for 1 in 16
 * of express-session's ids (random there); false for ids of another length, which we never issue
 * to a user. A plain read that meets a record with a user falls back to the script, so this only
 * saves a round trip, and a wrong guess never gives a wrong answer.
 */
export function mayHaveUser(id: string): boolean {
  return id.length === 32 && (base64urlValue(id.charCodeAt(0)) & 0x0f) === 0x0f
}

/** The 6-bit value of a base64url character: A-Z 0-25, a-z 26-51, 0-9 52-61, - 62, _ 63. */
function base64urlValue(c: number): number {
  return c >= 97 ? c - 71 : c === 95 ? 63 : c >= 65 ? c - 65 : c >= 48 ? c + 4 : 62
}

// crypto.hash (Node 20.12+) is a one-shot digest, about twice as fast as createHash
const oneShot = (
  crypto as {
    hash?: <E extends 'buffer' | 'base64url'>(
      algorithm: string,
      data: string,
      encoding: E,
    ) => E extends 'buffer' ? Buffer : string
  }
).hash

function sha256(text: string): Buffer {
  return oneShot ? oneShot('sha256', text, 'buffer') : crypto.createHash('sha256').update(text).digest()
}

/** The base64url SHA-256 of text (43 characters). */
function sha256Text(text: string): string {
  return oneShot
    ? oneShot('sha256', text, 'base64url')
    : crypto.createHash('sha256').update(text).digest('base64url')
}

/** base64url characters of the values 0, 16, 32 and 48: a last character holding 2 bits. */
const TWO_BITS = 'AQgw'

/**
 * The group of an id: its last byte for ids in our format (express-session's too), else a hash
 * byte. The last byte is the low 8 bits of the last four characters (24 bits): the low 2 bits
 * of the 31st character's value, then the 32nd's — read without decoding the id.
 */
export function groupOfId(id: string): number {
  if (OUR_FORMAT.test(id)) {
    return ((base64urlValue(id.charCodeAt(30)) & 3) << 6) | base64urlValue(id.charCodeAt(31))
  }
  return sha256(id)[31]!
}

/**
 * The name a session is stored under: 128 bits of SHA-256, never the id itself. It is the
 * base64url of the digest's first 16 bytes, taken from the digest's text: 21 characters hold
 * 126 bits, and the 22nd keeps the top 2 bits of its 6 (one string from the digest, where
 * a Buffer, a slice of it and its encoding cost four times as much).
 */
export function hashId(id: string): string {
  const digest = sha256Text(id)
  return digest.slice(0, 21) + TWO_BITS[base64urlValue(digest.charCodeAt(21)) >> 4]
}

export interface UserRef {
  /** 128 bits of SHA-256 of the user id (what Redis stores). */
  hash: string
  group: number
}

export function userRef(userId: string): UserRef {
  const digest = sha256(`user\u0000${userId}`)
  return { hash: digest.subarray(0, 16).toString('base64url'), group: digest[31]! }
}

/** Checks a session id passed by the caller (a cookie value, typically). */
export function checkId(id: unknown, what = 'session id'): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw invalidArgument(
      `${what} must be a non-empty string of at most ${MAX_ID_LENGTH} characters (got ${describe(id)}); pass the id that create() or rotate() returned`,
    )
  }
  return id
}

export function checkUserId(userId: unknown, what = 'userId'): string {
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > MAX_USER_ID_LENGTH) {
    throw invalidArgument(
      `${what} must be a non-empty string of at most ${MAX_USER_ID_LENGTH} characters (got ${describe(userId)}); convert numeric ids with String(id)`,
    )
  }
  return userId
}
