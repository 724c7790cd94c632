/**
 * The key scheme. Sessions are spread over 256 groups; every key of a group shares one hash tag,
 * so each script touches a single cluster slot. The tags are chosen so that group g lives in
 * slot g × 64: the groups are spread evenly over the slot range, hence over the masters.
 *
 *   <prefix>sessions:{<tag>}:s:<sha256(id)>      HASH   one session record (TTL = its expiry)
 *   <prefix>sessions:{<tag>}:all                 ZSET   sha256(id) → expiry ms (count, all, clear)
 *   <prefix>sessions:{<tag>}:u:<sha256(user)>    ZSET   sha256(id) → created ms (a user's sessions)
 *   <prefix>sessions:{<tag>}:revoked             ZSET   sha256(user) → "log out everywhere" time
 *
 * A user's sessions all live in the user's group (their ids carry it), so creating, rotating or
 * revoking them is one script on one slot. `count()` reads the 256 `all` indexes, one small
 * script per group, instead of scanning the keyspace.
 */
import { slotTag } from '../internal/slot-tags.js'
import { GROUPS, groupOfId, hashId, type UserRef } from './ids.js'

const SLOTS = 16384

export interface GroupKeys {
  readonly group: number
  /** The index of every live session of the group. */
  readonly all: string
  /** "Log out everywhere" markers of the group's users. */
  readonly revoked: string
  record(hash: string): string
  user(userHash: string): string
  /** A key of the group that is never written (stands for "no user" in a script's KEYS). */
  readonly noUser: string
}

export interface SessionRef {
  readonly hash: string
  readonly keys: GroupKeys
  readonly record: string
}

export interface KeyScheme {
  readonly base: string
  group(group: number): GroupKeys
  /** Where the session `id` is stored. */
  session(id: string): SessionRef
  user(user: UserRef): { keys: GroupKeys; index: string }
  /** Every group, in order (for count, all and clear). */
  groups(): GroupKeys[]
}

export function createKeyScheme(prefix: string): KeyScheme {
  const base = `${prefix}sessions:`
  const cache = new Array<GroupKeys | undefined>(GROUPS)
  const group = (g: number): GroupKeys => {
    let keys = cache[g]
    if (!keys) {
      const tagged = `${base}{${slotTag((g * SLOTS) / GROUPS)}}:`
      keys = cache[g] = {
        group: g,
        all: `${tagged}all`,
        revoked: `${tagged}revoked`,
        record: (hash) => `${tagged}s:${hash}`,
        user: (userHash) => `${tagged}u:${userHash}`,
        noUser: `${tagged}u:`,
      }
    }
    return keys
  }
  return {
    base,
    group,
    session(id) {
      const hash = hashId(id)
      const keys = group(groupOfId(id))
      return { hash, keys, record: keys.record(hash) }
    },
    user(user) {
      const keys = group(user.group)
      return { keys, index: keys.user(user.hash) }
    },
    groups: () => Array.from({ length: GROUPS }, (_, g) => group(g)),
  }
}
