/** Memory store: set commands (SADD, SREM, SMEMBERS, SISMEMBER, SCARD), Redis semantics. */
import type { SetCommands } from '../types.js'
import type { Keyspace } from './keyspace.js'
import type { Sync } from './sync.js'

/** A set's value: its members. ZUNIONSTORE reads it too (each member scores 1). */
export type SetValue = Set<string>

export function setCommands(ks: Keyspace): Sync<SetCommands> {
  const read = (key: string) => ks.read<SetValue>(key, 'set')

  return {
    sadd: (key, members) => {
      const entry = ks.write<SetValue>(key, 'set', () => new Set())
      let added = 0
      let delta = 0
      for (const member of members) {
        if (entry.value.has(member)) continue
        entry.value.add(member)
        added++
        delta += member.length
      }
      ks.resize(key, entry, entry.bytes + delta)
      return added
    },
    srem: (key, members) => {
      const entry = read(key)
      if (entry === undefined) return 0
      let removed = 0
      let delta = 0
      for (const member of members) {
        if (!entry.value.delete(member)) continue
        removed++
        delta -= member.length
      }
      if (removed === 0) return 0
      if (entry.value.size === 0) ks.dropIfEmpty(key, 0)
      else ks.resize(key, entry, entry.bytes + delta)
      return removed
    },
    smembers: (key) => {
      const set = read(key)?.value
      return set ? [...set] : []
    },
    sismember: (key, member) => read(key)?.value.has(member) ?? false,
    scard: (key) => read(key)?.value.size ?? 0,
  }
}
