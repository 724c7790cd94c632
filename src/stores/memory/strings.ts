/** Memory store: string commands (GET, SET, MGET, INCRBY, INCRBYFLOAT, GETDEL), Redis semantics. */
import { RedisKitError } from '../../errors.js'
import type { SetOptions, StoreValue, StringCommands } from '../types.js'
import type { Entry, Keyspace } from './keyspace.js'
import { addLongDouble } from './long-double.js'
import type { Sync } from './sync.js'

export type StringValue = string | Buffer

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const STRICT_INTEGER = /^(0|-?[1-9][0-9]{0,19})$/

export function notInteger(): RedisKitError {
  return new RedisKitError('NOT_INTEGER', 'ERR value is not an integer or out of range')
}

export function overflow(): RedisKitError {
  return new RedisKitError('NOT_INTEGER', 'ERR increment or decrement would overflow')
}

/** Parses a stored value as Redis's string2ll does: strict decimal, within int64. */
export function parseInt64(value: StringValue): bigint {
  const text = typeof value === 'string' ? value : value.toString('latin1')
  if (!STRICT_INTEGER.test(text)) throw notInteger()
  const n = BigInt(text)
  if (n < INT64_MIN || n > INT64_MAX) throw notInteger()
  return n
}

/** Adds with Redis's overflow check and returns the new value as Redis would store it. */
export function addInt64(current: bigint, increment: number): bigint {
  const next = current + BigInt(increment)
  if (next < INT64_MIN || next > INT64_MAX) throw overflow()
  return next
}

export function toStored(value: StoreValue): StringValue {
  if (typeof value === 'number') return String(value)
  return Buffer.isBuffer(value) ? Buffer.from(value) : value
}

export function byteLength(value: StringValue): number {
  return typeof value === 'string' ? value.length : value.length
}

export function asString(value: StringValue): string {
  return typeof value === 'string' ? value : value.toString('utf8')
}

export function asBuffer(value: StringValue): Buffer {
  return typeof value === 'string' ? Buffer.from(value) : Buffer.from(value)
}

export function stringCommands(ks: Keyspace): Sync<StringCommands> {
  const read = (key: string) => ks.read<StringValue>(key, 'string')

  function writeString(key: string, value: StringValue, keep?: Entry): void {
    ks.put(key, 'string', value, byteLength(value), keep?.expiresAt ?? 0)
  }

  function incr(key: string, compute: (current: StringValue | undefined) => string): string {
    const entry = read(key)
    const next = compute(entry?.value)
    if (entry) {
      entry.value = next
      ks.resize(key, entry, next.length)
    } else writeString(key, next)
    return next
  }

  return {
    get: (key) => {
      const entry = read(key)
      return entry === undefined ? null : asString(entry.value)
    },
    getBuffer: (key) => {
      const entry = read(key)
      return entry === undefined ? null : asBuffer(entry.value)
    },
    set: (key, value, options?: SetOptions) => {
      const existing = ks.peek(key)
      if (options?.nx && existing) return false
      if (options?.xx && !existing) return false
      const stored = toStored(value)
      const now = ks.now()
      const expiresAt = options?.ex
        ? now + options.ex * 1000
        : options?.px
          ? now + options.px
          : options?.keepTtl && existing
            ? existing.expiresAt
            : 0
      ks.put(key, 'string', stored, byteLength(stored), expiresAt)
      return true
    },
    mget: (keys) =>
      keys.map((key) => {
        const entry = ks.peek(key)
        return entry?.type === 'string' ? asString(entry.value as StringValue) : null
      }),
    mgetBuffer: (keys) =>
      keys.map((key) => {
        const entry = ks.peek(key)
        return entry?.type === 'string' ? asBuffer(entry.value as StringValue) : null
      }),
    incrby: (key, increment) =>
      Number(
        incr(key, (current) => String(addInt64(current === undefined ? 0n : parseInt64(current), increment))),
      ),
    incrbyfloat: (key, increment) =>
      Number(
        incr(key, (current) =>
          addLongDouble(current === undefined ? '0' : asString(current), String(increment)),
        ),
      ),
    getdel: (key) => {
      const entry = read(key)
      if (entry === undefined) return null
      ks.delete(key)
      return asString(entry.value)
    },
  }
}
