/**
 * Feature flags on bitmaps, for string user ids. A user id is mapped once to a dense bit offset,
 * atomically in Redis (two processes never hand one offset to two users); a flag is two bitmaps:
 * the users enabled and the users disabled explicitly. Everyone else follows the flag's
 * percentage rollout, decided by hashing the user id (nothing stored per user).
 */
import { createHash } from 'node:crypto'
import { invalidArgument } from '../errors.js'
import { describe, type KeyBuilder } from '../internal/keys.js'
import type { Store } from '../stores/types.js'
import { checkFlags, setFlag } from './flag-scripts.js'

export interface FlagInfo {
  name: string
  /** The percentage of users (0-100) enabled by the rollout; 0 when none was set. */
  rollout: number
}

export interface Flags {
  /** Enables `flag` for `userId`, whatever the rollout says. */
  enable(flag: string, userId: string): Promise<void>
  /** Disables `flag` for `userId`, whatever the rollout says. */
  disable(flag: string, userId: string): Promise<void>
  /** Forgets `userId`'s explicit choice for `flag`: the rollout decides again. */
  reset(flag: string, userId: string): Promise<void>
  /** true when enabled explicitly, or by the rollout and not disabled explicitly. One round trip. */
  isEnabled(flag: string, userId: string): Promise<boolean>
  /**
   * Enables `flag` for `percent`% of users (0-100, fractions allowed), chosen by hashing the user
   * id with the flag name: the same users on every server, and raising the percentage keeps
   * every user already in.
   */
  rollout(flag: string, percent: number): Promise<void>
  /** The users enabled explicitly (BITCOUNT; the rollout's users are not stored, so not counted). */
  enabledCount(flag: string): Promise<number>
  /** Every flag's state for `userId`, in one round trip once the flag list is known to this process. */
  getAll(userId: string): Promise<Record<string, boolean>>
  /** Every flag, with its rollout percentage, by name. */
  list(): Promise<FlagInfo[]>
}

export interface FlagCounters {
  flagWrites: number
  flagChecks: number
}

const MAX_NAME = 256
/** getAll re-checks when the flag list changed under it, at most this many calls in all. */
const MAX_ATTEMPTS = 4

function checkName(flag: unknown): string {
  if (typeof flag !== 'string' || flag.length === 0 || flag.length > MAX_NAME) {
    throw invalidArgument(
      `flag name must be a non-empty string of at most ${MAX_NAME} chars (got ${describe(flag)})`,
    )
  }
  return flag
}

function checkUser(userId: unknown): string {
  if (typeof userId !== 'string' || userId.length === 0) {
    const hint = typeof userId === 'number' ? '; convert it with String(userId)' : ''
    throw invalidArgument(`userId must be a non-empty string (got ${describe(userId)})${hint}`)
  }
  return userId
}

/** Where `userId` falls for `flag`, in [0, 100): the first 32 bits of SHA-1(flag NUL userId). */
export function rolloutPosition(flag: string, userId: string): number {
  const digest = createHash('sha1').update(flag).update('\0').update(userId).digest()
  return (digest.readUInt32BE(0) / 2 ** 32) * 100
}

export function createFlags(store: Store, keys: KeyBuilder, counters: FlagCounters): Flags {
  const tag = '{flags}'
  const ids = keys.key(tag, 'ids')
  const seq = keys.key(tag, 'seq')
  const names = keys.key(tag, 'names')
  const rolloutKey = keys.key(tag, 'rollout')
  const bits = (flag: string) => [keys.key(tag, 'on', flag), keys.key(tag, 'off', flag)]
  /** The flag list as this process last saw it (getAll sends the keys of these flags). */
  let known: string[] = []

  async function write(flag: unknown, userId: unknown, state: '1' | '0' | '-'): Promise<void> {
    const name = checkName(flag)
    const user = checkUser(userId)
    counters.flagWrites++
    await store.eval(setFlag, [ids, seq, names, ...bits(name)], [user, name, state])
  }

  /** [names or null, per flag: enabled] */
  async function check(user: string, flags: string[], withNames: boolean) {
    counters.flagChecks++
    const keyList = [ids, names, rolloutKey, ...flags.flatMap(bits)]
    const reply = await store.eval(checkFlags(flags.length), keyList, [user, withNames ? '1' : '0', ...flags])
    const count = Number(reply[0])
    const listed = withNames ? (reply.slice(1, 1 + count) as string[]) : null
    const states = flags.map((flag, i) => {
      const [on, off, percent] = reply.slice(1 + count + 3 * i, 4 + count + 3 * i)
      if (on === 1) return true
      if (off === 1 || percent === '') return false
      return rolloutPosition(flag, user) < Number(percent)
    })
    return { listed, states }
  }

  return {
    enable: (flag, userId) => write(flag, userId, '1'),
    disable: (flag, userId) => write(flag, userId, '0'),
    reset: (flag, userId) => write(flag, userId, '-'),
    async isEnabled(flag, userId) {
      const { states } = await check(checkUser(userId), [checkName(flag)], false)
      return states[0]!
    },
    async rollout(flag, percent) {
      const name = checkName(flag)
      if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
        throw invalidArgument(`rollout percent must be a number from 0 to 100 (got ${describe(percent)})`)
      }
      counters.flagWrites++
      await store.batch([
        ['hset', rolloutKey, { [name]: String(percent) }],
        ['sadd', names, [name]],
      ])
    },
    async enabledCount(flag) {
      return store.bitcount(bits(checkName(flag))[0]!)
    },
    async getAll(userId) {
      const user = checkUser(userId)
      // Optimistic: check the flags this process knows and read the flag list in the same call;
      // when the list changed (a flag was added), check again with the new list.
      let flags = known
      for (let attempt = 1; ; attempt++) {
        const { listed, states } = await check(user, flags, true)
        const current = [...listed!].sort()
        const same = current.length === flags.length && current.every((f, i) => f === flags[i])
        if (same || attempt === MAX_ATTEMPTS) {
          return Object.fromEntries(flags.map((flag, i) => [flag, states[i]!]))
        }
        known = flags = current
      }
    },
    async list() {
      const [listed, percents] = await store.batch([
        ['smembers', names],
        ['hgetall', rolloutKey],
      ])
      return listed
        .sort()
        .map((name) => ({ name, rollout: Object.hasOwn(percents, name) ? Number(percents[name]) : 0 }))
    },
  }
}
