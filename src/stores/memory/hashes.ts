/** Memory store: hash commands (HSET, HGET, HMGET, HGETALL, HDEL, HINCRBY), Redis semantics. */
import { isKitError, RedisKitError } from '../../errors.js'
import type { HashCommands, StoreValue } from '../types.js'
import type { Entry, Keyspace } from './keyspace.js'
import { addInt64, parseInt64 } from './strings.js'
import type { Sync } from './sync.js'

/** A hash's value: field → value, both as Redis would return them. */
export type HashValue = Map<string, string>

function toField(value: StoreValue): string {
  if (typeof value === 'number') return String(value)
  return typeof value === 'string' ? value : value.toString('utf8')
}

function notIntegerHashValue(): RedisKitError {
  return new RedisKitError('NOT_INTEGER', 'ERR hash value is not an integer')
}

export function hashCommands(ks: Keyspace): Sync<HashCommands> {
  const read = (key: string) => ks.read<HashValue>(key, 'hash')
  const write = (key: string) => ks.write<HashValue>(key, 'hash', () => new Map())

  /** Sets one field and returns the change in the value's byte estimate. */
  function setField(hash: HashValue, field: string, value: string): number {
    const previous = hash.get(field)
    hash.set(field, value)
    return previous === undefined ? field.length + value.length : value.length - previous.length
  }

  function commit(key: string, entry: Entry<HashValue>, delta: number): void {
    ks.resize(key, entry, entry.bytes + delta)
  }

  return {
    hset: (key, fields) => {
      const entry = write(key)
      let added = 0
      let delta = 0
      for (const [field, value] of Object.entries(fields)) {
        if (!entry.value.has(field)) added++
        delta += setField(entry.value, field, toField(value))
      }
      commit(key, entry, delta)
      return added
    },
    hget: (key, field) => read(key)?.value.get(field) ?? null,
    hmget: (key, fields) => {
      const hash = read(key)?.value
      return fields.map((field) => hash?.get(field) ?? null)
    },
    hgetall: (key) => {
      const result: Record<string, string> = Object.create(null)
      const hash = read(key)?.value
      if (hash) for (const [field, value] of hash) result[field] = value
      return result
    },
    hdel: (key, fields) => {
      const entry = read(key)
      if (entry === undefined) return 0
      let removed = 0
      let delta = 0
      for (const field of fields) {
        const value = entry.value.get(field)
        if (value === undefined) continue
        entry.value.delete(field)
        removed++
        delta -= field.length + value.length
      }
      if (removed === 0) return 0
      if (entry.value.size === 0) ks.dropIfEmpty(key, 0)
      else commit(key, entry, delta)
      return removed
    },
    hincrby: (key, field, increment) => {
      const existing = read(key)
      const current = existing?.value.get(field)
      let value = 0n
      if (current !== undefined) {
        try {
          value = parseInt64(current)
        } catch (err) {
          throw isKitError(err, 'NOT_INTEGER') ? notIntegerHashValue() : err
        }
      }
      const next = String(addInt64(value, increment))
      const entry = existing ?? write(key)
      commit(key, entry, setField(entry.value, field, next))
      return Number(next)
    },
  }
}
