/**
 * Session data ↔ the stored payload: schema check, the kit's codec format (JSON with Dates and
 * bytes, no prototype pollution; json.ts), optional encryption, and a size bound. Reading never
 * throws on bad stored data: a payload that is tampered, foreign, unreadable or invalid is
 * *rejected* (the session reads as absent) with a reason, and nothing is parsed before it has
 * been verified.
 */
import { invalidArgument, RedisKitError } from '../errors.js'
import { describe } from '../internal/keys.js'
import { createKeyring, type Keyring } from './crypto.js'
import { decodeData, encodeData } from './json.js'
import type { ResolvedOptions } from './options.js'
import { validate } from './schema.js'

export type RejectReason =
  /** Encryption is on and the record is plaintext (see `encryption.acceptPlaintext`). */
  | 'unencrypted'
  /** Encrypted with a key id that is not configured (a key was removed too early?). */
  | 'unknown-key'
  /** The envelope does not verify: changed bytes, or a record of another session. */
  | 'tampered'
  /** Not readable as session data. */
  | 'malformed'
  /** Larger than `maxBytes`. */
  | 'too-large'
  /** Does not match the schema. */
  | 'invalid'

export type Decoded<T> = { ok: true; data: T } | { ok: false; reason: RejectReason }

export interface Encoded<T> {
  stored: string
  value: T
}

export interface PayloadCodec<T> {
  /** True when the payload depends on the session id (encrypted: rotating re-encrypts). */
  readonly bound: boolean
  /** `hash`: the session's record hash (hashId(id)), bound to the ciphertext as associated data. */
  encode(data: unknown, hash: string, what?: string): Encoded<T> | Promise<Encoded<T>>
  decode(stored: string, hash: string): Decoded<T> | Promise<Decoded<T>>
}

function isData(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Date)
  )
}

export function createPayloadCodec<T>(options: ResolvedOptions): PayloadCodec<T> {
  const keyring: Keyring | undefined = options.encryption && createKeyring(options.encryption.keys)
  const acceptPlaintext = options.encryption?.acceptPlaintext ?? false
  const { schema, maxBytes } = options

  function seal(value: object, hash: string, what: string): Encoded<T> {
    const text = encodeData(value)
    const stored = keyring ? keyring.seal(text, hash) : text
    // a UTF-16 length times 3 bounds the UTF-8 size: count the bytes only near the limit
    if (stored.length * 3 > maxBytes && Buffer.byteLength(stored) > maxBytes) {
      throw new RedisKitError(
        'VALUE_TOO_LARGE',
        `${what} takes ${Buffer.byteLength(stored)} bytes, more than maxBytes (${maxBytes}); store less in the session or raise maxBytes`,
      )
    }
    return { stored, value: value as T }
  }

  function open(stored: string, hash: string): Decoded<T> {
    if (stored.length > maxBytes) return { ok: false, reason: 'too-large' }
    let text = stored
    if (keyring) {
      const opened = keyring.open(stored, hash)
      if (opened === undefined && !acceptPlaintext) return { ok: false, reason: 'unencrypted' }
      if (opened && !opened.ok) return { ok: false, reason: opened.reason }
      if (opened?.ok) text = opened.plaintext.toString('utf8')
    }
    let data: unknown
    try {
      data = decodeData(text)
    } catch {
      return { ok: false, reason: 'malformed' }
    }
    if (!isData(data)) return { ok: false, reason: 'malformed' }
    return { ok: true, data: data as T }
  }

  // Without a schema both directions are synchronous (no promise per call on the hot path).
  return {
    bound: keyring !== undefined,
    encode(data, hash, what = 'session data') {
      if (!isData(data)) {
        throw invalidArgument(
          `${what} must be a plain object (got ${describe(data)}); wrap other values: { value }`,
        )
      }
      if (!schema) return seal(data, hash, what)
      return validate(schema, data).then((checked) => {
        if (!checked.ok) {
          throw invalidArgument(`${what} does not match the sessions schema: ${checked.problems}`)
        }
        return seal(checked.value as object, hash, what)
      })
    },
    decode(stored, hash) {
      const decoded = open(stored, hash)
      if (!schema || !decoded.ok) return decoded
      return validate(schema, decoded.data).then(
        (checked): Decoded<T> =>
          checked.ok ? { ok: true, data: checked.value as T } : { ok: false, reason: 'invalid' },
      )
    },
  }
}
