/**
 * The value codec: JSON for plain data (readable by any Redis client), raw bytes for Buffers and
 * Uint8Arrays, and a tagged JSON form when a value nests Dates or binary data. Decoding never
 * creates `__proto__` keys or `constructor.prototype` objects (no prototype pollution), and
 * values JSON would silently corrupt (NaN, Map, functions, BigInt, cycles) are refused.
 */
import { RedisKitError } from '../errors.js'

const RAW = 0x00 // first byte of a binary value: the bytes follow as they are
const TAGGED = 0x01 // first byte of tagged JSON: Dates and nested bytes are tagged objects
const DATE_TAG = '\u0000d'
const BYTES_TAG = '\u0000b'

export interface Codec {
  encode(value: unknown): string | Buffer
  decode(stored: string | Buffer): unknown
}

function unsupported(path: string, what: string, fix: string): RedisKitError {
  return new RedisKitError('INVALID_ARGUMENT', `cannot store ${what} at ${path || 'the top level'}: ${fix}`)
}

function check(value: unknown, path: string): void {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw unsupported(path, String(value), 'JSON would turn it into null')
      return
    case 'bigint':
      throw unsupported(path, 'a BigInt', 'convert it to a string or number first')
    case 'function':
    case 'symbol':
      throw unsupported(path, `a ${typeof value}`, 'only data can be cached')
  }
  if (value instanceof Map || value instanceof Set) {
    throw unsupported(path, `a ${value.constructor.name}`, 'convert it to an array or a plain object first')
  }
}

export function createCodec(): Codec {
  return { encode, decode }
}

export function encode(value: unknown): string | Buffer {
  if (value === undefined) {
    throw new RedisKitError(
      'INVALID_ARGUMENT',
      'cannot store undefined (it reads back as a miss); use delete() instead',
    )
  }
  if (value instanceof Uint8Array) {
    const out = Buffer.allocUnsafe(value.byteLength + 1)
    out[0] = RAW
    out.set(value, 1)
    return out
  }
  let tagged = false
  let text: string | undefined
  try {
    text = JSON.stringify(value, function (this: Record<string, unknown>, key, replaced) {
      const original = this[key]
      const path = key
      if (original instanceof Date) {
        tagged = true
        const time = original.getTime()
        if (Number.isNaN(time)) throw unsupported(path, 'an invalid Date', 'pass a valid Date')
        return { [DATE_TAG]: time }
      }
      if (original instanceof Uint8Array) {
        tagged = true
        return {
          [BYTES_TAG]: Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString(
            'base64',
          ),
        }
      }
      check(replaced, path)
      return replaced
    })
  } catch (err) {
    if (err instanceof RedisKitError) throw err
    throw new RedisKitError('INVALID_ARGUMENT', `cannot store this value: ${(err as Error).message}`, {
      cause: err,
    })
  }
  if (text === undefined) throw unsupported('', typeof value, 'only data can be cached')
  return tagged ? String.fromCharCode(TAGGED) + text : text
}

function safeReviver(key: string, value: unknown): unknown {
  if (key === '__proto__') return undefined
  if (key === 'constructor' && typeof value === 'object' && value !== null && 'prototype' in value)
    return undefined
  return value
}

function taggedReviver(key: string, value: unknown): unknown {
  const v = safeReviver(key, value)
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const record = v as Record<string, unknown>
    if (DATE_TAG in record) return new Date(record[DATE_TAG] as number)
    if (BYTES_TAG in record) return Buffer.from(record[BYTES_TAG] as string, 'base64')
  }
  return v
}

const RISKY = /"(?:__proto__|constructor)"/

export function decode(stored: string | Buffer): unknown {
  if (typeof stored !== 'string') {
    if (stored[0] === RAW) return stored.subarray(1)
    stored = stored.toString('utf8')
  }
  if (stored.charCodeAt(0) === TAGGED) return JSON.parse(stored.slice(1), taggedReviver)
  return RISKY.test(stored) ? JSON.parse(stored, safeReviver) : JSON.parse(stored)
}
