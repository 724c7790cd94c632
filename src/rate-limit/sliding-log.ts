/**
 * The sliding log in JavaScript: the twin of LOG_LUA (log-lua.ts), statement by
 * statement — same commands, same order, same integers written. Used by the twins of both
 * scripts (runSliding, and the check script's sliding algorithm in algorithms.ts).
 *
 * The log is a list, newest first, with the expired entries gone from the tail. An entry is
 * 'score:cum:cost:age:live' (':r' appended for rejections); 'score:cum:cost' (0.1.0) is read too.
 */
import { integersReply } from '../stores/integers-reply.js'
import type { ScriptContext } from '../stores/types.js'

const MAX = 9e15

export interface Entry {
  score: number
  cum: number
  cost: number
  rejected: boolean
  /** How old the oldest live entry was, and the units in the window, when this one was written. */
  age?: number
  live?: number
}

const ENTRY = /^(\d+):(\d+):(\d+)(?::(\d+):(\d+))?(:r)?$/

/** A log entry (LOG_LUA's entry), or undefined when `m` is not one. */
export function logEntry(m: string | null | undefined): Entry | undefined {
  if (m == null) return undefined
  const match = ENTRY.exec(m)
  if (!match) return undefined
  const score = Number(match[1])
  const cum = Number(match[2])
  const cost = Number(match[3])
  if (score > MAX || cum > MAX || cost > cum) return undefined
  const e: Entry = { score, cum, cost, rejected: match[6] !== undefined }
  if (match[4] !== undefined) {
    const age = Number(match[4])
    const live = Number(match[5])
    if (age > score || live > cum || live < cost) return undefined
    e.age = age
    e.live = live
  }
  return e
}

/**
 * What a sliding log holds now: the units used, corrupt or not, the units before its oldest live
 * entry (`base`) and that entry's score (`os`), and its newest entry (`n`); the last three are
 * undefined when the log is empty or corrupt.
 */
export interface LogState {
  used: number
  corrupt: boolean
  base?: number
  os?: number
  n?: Entry
}

/**
 * LOG_LUA's log_read, with the LINDEX of the newest entry that its Lua callers make first: the
 * newest entry alone answers while the oldest entry live when it was written is live still; else
 * the tail is read, dropping expired entries.
 */
export function readLog(redis: ScriptContext, key: string, t: number, w: number): LogState {
  const head = redis.lindex(key, 0)
  if (head === null) return { used: 0, corrupt: false }
  const n = logEntry(head)
  if (!n) return { used: 0, corrupt: true }
  if (n.age !== undefined && n.score - n.age > t - w) {
    const live = n.live as number
    return { used: live, corrupt: false, base: n.cum - live, os: n.score - n.age, n }
  }
  let tail = redis.lindex(key, -1)
  let o = logEntry(tail)
  while (o && o.score <= t - w) {
    redis.rpop(key)
    tail = redis.lindex(key, -1)
    o = logEntry(tail)
  }
  if (tail === null) return { used: 0, corrupt: false }
  if (!o || n.cum < o.cum) return { used: 0, corrupt: true }
  const base = o.cum - o.cost
  return { used: n.cum - base, corrupt: false, base, os: o.score, n }
}

/** When enough units leave the window for `need` more (LOG_LUA's log_retry): w when unknown. */
export function retryOf(
  redis: ScriptContext,
  key: string,
  base: number | undefined,
  need: number,
  w: number,
  t: number,
) {
  if (base === undefined) return w
  const rows = redis.lrange(key, -need, -1)
  for (let j = rows.length - 1; j >= 0; j--) {
    const e = logEntry(rows[j])
    if (e && e.cum >= base + need) return e.score + w - t
  }
  return w
}

/** LOG_LUA's log_push: the newest entry (`os`, `base` undefined when it is the only one). */
export function logPush(
  redis: ScriptContext,
  key: string,
  score: number,
  cum: number,
  total: number,
  os: number | undefined,
  base: number | undefined,
  rejected: boolean,
) {
  let age = 0
  let live = total
  if (os !== undefined) {
    age = score - os
    live = cum - (base as number)
  }
  const entry = integersReply(score, cum, total, age, live)
  redis.lpush(key, [rejected ? `${entry}:r` : entry])
}

/**
 * LOG_LUA's log_expire: the key outlives its newest entry's window. Its expiry moves only when
 * the newest score enters a new eighth of a window, to two eighths past it, so a busy key pays one
 * PEXPIRE per eighth of a window. `newest`: the newest entry before this write, undefined when the
 * key may be new. Its expiry is trusted only when it has an age (its write followed this rule, not
 * 0.1.0's).
 */
export function logExpire(
  redis: ScriptContext,
  key: string,
  newest: Entry | undefined,
  score: number,
  t: number,
  w: number,
) {
  const q = Math.ceil(w / 8)
  const k = Math.floor((score + w) / q)
  if (newest?.age !== undefined && Math.floor((newest.score + w) / q) === k) return
  redis.pexpire(key, (k + 2) * q - t)
}
