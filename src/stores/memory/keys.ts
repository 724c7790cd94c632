/** Memory store: key commands (DEL, UNLINK, EXISTS, EXPIRE, PEXPIRE, TTL, PTTL, PERSIST, TYPE). */
import type { ExpireMode, KeyCommands, KeyType } from '../types.js'
import type { Keyspace } from './keyspace.js'
import type { Sync } from './sync.js'

export function keyCommands(ks: Keyspace): Sync<KeyCommands> {
  function expireAt(key: string, at: number, mode?: ExpireMode): boolean {
    const entry = ks.peek(key)
    if (!entry) return false
    const current = entry.expiresAt === 0 ? Number.POSITIVE_INFINITY : entry.expiresAt
    if (mode === 'NX' && entry.expiresAt !== 0) return false
    if (mode === 'XX' && entry.expiresAt === 0) return false
    if (mode === 'GT' && !(at > current)) return false
    if (mode === 'LT' && !(at < current)) return false
    ks.setExpiry(key, entry, at)
    return true
  }

  function remaining(key: string): number {
    const entry = ks.peek(key)
    if (!entry) return -2
    if (entry.expiresAt === 0) return -1
    return Math.max(0, entry.expiresAt - ks.now())
  }

  const del = (keys: readonly string[]): number => {
    let n = 0
    for (const key of keys) if (ks.peek(key) && ks.delete(key)) n++
    return n
  }

  return {
    del,
    unlink: del,
    exists: (keys) => {
      let n = 0
      for (const key of keys) if (ks.peek(key)) n++
      return n
    },
    expire: (key, seconds, mode) => expireAt(key, ks.now() + seconds * 1000, mode),
    pexpire: (key, ms, mode) => expireAt(key, ks.now() + ms, mode),
    ttl: (key) => {
      const ms = remaining(key)
      return ms < 0 ? ms : Math.floor((ms + 500) / 1000)
    },
    pttl: remaining,
    persist: (key) => {
      const entry = ks.peek(key)
      if (!entry || entry.expiresAt === 0) return false
      ks.setExpiry(key, entry, 0)
      return true
    },
    type: (key) => (ks.peek(key)?.type ?? 'none') as KeyType,
  }
}
