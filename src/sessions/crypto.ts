/**
 * Encryption at rest: AES-256-GCM with the session id as associated data (through the SHA-256
 * the record is stored under, so that listForUser can open a user's sessions without knowing
 * their ids): a record copied under another session's key fails to open. Every write draws a fresh
 * 16-byte salt and 12-byte IV; the salt derives a one-write key from the configured key
 * (HKDF-SHA256), so no (key, IV) pair is ever reused even past the 2^32 writes per key that random
 * 96-bit IVs allow.
 *
 *   g1.<key id>.<salt>.<iv>.<ciphertext ‖ 16-byte tag>      (base64url parts)
 *
 * Keys rotate by id: the first configured key encrypts, any configured key decrypts. Nothing is
 * parsed before the tag has been verified.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { RedisKitError } from '../errors.js'

export interface EncryptionKey {
  /** A short name stored with each record (letters, digits, '_' and '-', at most 32). */
  id: string
  /** 32 bytes: a Buffer, or their base64 / base64url / hex text (`openssl rand -base64 32`). */
  key: Buffer | Uint8Array | string
}

export type OpenResult = { ok: true; plaintext: Buffer } | { ok: false; reason: 'unknown-key' | 'tampered' }

export interface Keyring {
  seal(plaintext: string, aad: string): string
  /** Undefined when `stored` is not an envelope at all. */
  open(stored: string, aad: string): OpenResult | undefined
}

const VERSION = 'g1'
const INFO = Buffer.from('redis-kit sessions g1')
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/
const TAG_BYTES = 16

/** The 32 key bytes, or undefined when `key` is not 32 bytes in a supported form. */
export function keyBytes(key: unknown): Buffer | undefined {
  if (key instanceof Uint8Array) return key.byteLength === 32 ? Buffer.from(key) : undefined
  if (typeof key !== 'string') return undefined
  const text = key.trim()
  const bytes = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64')
  return bytes.length === 32 && /^[A-Za-z0-9+/_=-]+$/.test(text) ? bytes : undefined
}

export function isKeyId(id: unknown): id is string {
  return typeof id === 'string' && KEY_ID.test(id)
}

function oneWriteKey(master: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', master, salt, INFO, 32))
}

export function createKeyring(keys: readonly EncryptionKey[]): Keyring {
  const byId = new Map<string, Buffer>()
  for (const { id, key } of keys) byId.set(id, keyBytes(key)!)
  const [current] = keys
  if (!current) throw new RedisKitError('INVALID_OPTIONS', 'encryption.keys needs at least one key')
  const currentKey = byId.get(current.id)!
  return {
    seal(plaintext, aad) {
      const random = randomBytes(28)
      const salt = random.subarray(0, 16)
      const iv = random.subarray(16)
      const cipher = createCipheriv('aes-256-gcm', oneWriteKey(currentKey, salt), iv, {
        authTagLength: TAG_BYTES,
      })
      cipher.setAAD(Buffer.from(aad, 'utf8'))
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
      return `${VERSION}.${current.id}.${salt.toString('base64url')}.${iv.toString('base64url')}.${body.toString('base64url')}`
    },
    open(stored, aad) {
      if (!stored.startsWith(`${VERSION}.`)) return undefined
      const parts = stored.split('.')
      if (parts.length !== 5) return { ok: false, reason: 'tampered' }
      const [, keyId, saltText, ivText, bodyText] = parts as [string, string, string, string, string]
      const master = byId.get(keyId)
      if (!master) return { ok: false, reason: 'unknown-key' }
      const salt = Buffer.from(saltText, 'base64url')
      const iv = Buffer.from(ivText, 'base64url')
      const body = Buffer.from(bodyText, 'base64url')
      // canonical base64url only: a changed character never decodes to the same bytes
      const canonical =
        salt.toString('base64url') === saltText &&
        iv.toString('base64url') === ivText &&
        body.toString('base64url') === bodyText
      if (!canonical || salt.length !== 16 || iv.length !== 12 || body.length < TAG_BYTES) {
        return { ok: false, reason: 'tampered' }
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', oneWriteKey(master, salt), iv, {
          authTagLength: TAG_BYTES,
        })
        decipher.setAAD(Buffer.from(aad, 'utf8'))
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES))
        const plaintext = Buffer.concat([
          decipher.update(body.subarray(0, body.length - TAG_BYTES)),
          decipher.final(),
        ])
        return { ok: true, plaintext }
      } catch {
        return { ok: false, reason: 'tampered' }
      }
    },
  }
}
