/**
 * The four algorithms of the check script's JavaScript twin, each a `read` (no writes, except
 * none at all) and a `commit`. They mirror the Lua of check-lua.ts statement by statement:
 * same commands, same order, same IEEE arithmetic, same integer formatting.
 */
import type { ScriptContext } from '../stores/types.js'
import { type LogState, logExpire, logPush, readLog, retryOf } from './sliding-log.js'

const MAX = 9e15

/** An integer written by the script: digits only, at most 9e15 (< 2^53) (else: not ours, ignored). */
export function digits(v: string | null | undefined): number | undefined {
  if (v && /^\d+$/.test(v)) {
    const n = Number(v)
    if (n <= MAX) return n
  }
  return undefined
}

/** Lua's string.format('%d', n) for the integers the script writes. */
const int = (n: number) => String(n)

export interface State {
  allowed: boolean
  remaining: number
  reset: number
  retry?: number
  [field: string]: unknown
}

export interface Ctx {
  redis: ScriptContext
  t: number
}

type Read = (c: Ctx, key: string, limit: number, w: number, burst: number, cost: number) => State
type Commit = (
  c: Ctx,
  key: string,
  limit: number,
  w: number,
  burst: number,
  cost: number,
  s: State,
  rejected: boolean,
) => void

const slidingRead: Read = ({ redis, t }, key, limit, w, _burst, cost) => {
  const log = readLog(redis, key, t, w)
  const { n, used } = log
  const s: State = {
    allowed: used + cost <= limit,
    remaining: Math.max(0, limit - used),
    reset: 0,
    used,
    log,
  }
  if (used > 0) s.reset = n!.score + w - t
  if (!s.allowed) s.retry = retryOf(redis, key, log.base, used + cost - limit, w, t)
  return s
}

const slidingCommit: Commit = ({ redis, t }, key, limit, w, _burst, cost, s, rejected) => {
  const log = s.log as LogState
  if (log.corrupt) redis.del([key])
  const n = log.n
  let newest = n
  let score = t
  let cum = cost
  let total = cost
  if (n) {
    if (n.score > score) score = n.score
    cum = n.cum + cost
    if (rejected && n.rejected && n.score > t - w) {
      redis.lpop(key)
      total = n.cost + cost
      newest = undefined // the pop may have emptied the list, and so dropped its expiry
    }
  }
  logPush(redis, key, score, cum, total, log.os, log.base, rejected)
  logExpire(redis, key, newest, score, t, w)
  s.remaining = Math.max(0, limit - (s.used as number) - cost)
  s.reset = score + w - t
}

const gcraRead: Read = ({ redis, t }, key, limit, w, burst, cost) => {
  const T = w / limit
  const tau = burst * T
  let tat = t
  const stored = digits(redis.get(key))
  if (stored !== undefined && stored / 1000 > tat) tat = stored / 1000
  const s: State = { allowed: false, remaining: 0, reset: 0, tat, T, tau, next: tat + cost * T }
  const next = s.next as number
  s.allowed = next - t <= tau + 1e-6
  s.remaining = Math.max(0, Math.floor((tau - (tat - t)) / T + 1e-9))
  s.reset = Math.ceil(tat - t)
  if (!s.allowed) s.retry = Math.ceil(next - t - tau)
  return s
}

const gcraCommit: Commit = ({ redis, t }, _key, _limit, w, _burst, _cost, s, rejected) => {
  const { tat, T, tau, next } = s as unknown as { tat: number; T: number; tau: number; next: number }
  const after = rejected ? Math.max(tat, Math.min(next, t + tau + w - T)) : next
  redis.set(_key, int(Math.ceil(after * 1000)), { px: Math.max(1, Math.ceil(after - t)) })
  s.remaining = Math.max(0, Math.floor((tau - (after - t)) / T + 1e-9))
  s.reset = Math.ceil(after - t)
}

function refillAt(t: number, tk: number, at: number, limit: number, w: number, cap: number): number {
  if (tk >= cap) return 0
  return at + Math.ceil((cap - tk) / limit) * w - t
}

const bucketRead: Read = ({ redis, t }, key, limit, w, cap, cost) => {
  const [rawTk, rawAt] = redis.hmget(key, ['tk', 'at'])
  let tk = digits(rawTk)
  let at = digits(rawAt)
  if (tk === undefined || at === undefined) {
    tk = cap
    at = t
  }
  if (tk > cap) tk = cap
  if (t > at) {
    const k = Math.floor((t - at) / w)
    if (k > 0) {
      tk = Math.min(cap, tk + k * limit)
      at = at + k * w
    }
  }
  if (tk >= cap) at = t
  const s: State = { allowed: tk >= cost, remaining: tk, reset: refillAt(t, tk, at, limit, w, cap), tk, at }
  if (!s.allowed) s.retry = at + Math.ceil((cost - tk) / limit) * w - t
  return s
}

const bucketCommit: Commit = ({ redis, t }, key, limit, w, cap, cost, s, rejected) => {
  let tk = s.tk as number
  let at = s.at as number
  if (rejected) {
    tk = Math.max(0, tk - cost)
    at = t
  } else tk = tk - cost
  s.remaining = tk
  s.reset = refillAt(t, tk, at, limit, w, cap)
  if (tk >= cap) redis.del([key])
  else {
    redis.hset(key, { tk: int(tk), at: int(at) })
    redis.pexpire(key, Math.max(1, s.reset))
  }
}

const fixedRead: Read = ({ redis, t }, key, limit, w, _burst, cost) => {
  const [rawW, rawN] = redis.hmget(key, ['w', 'n'])
  const idx = Math.floor(t / w)
  let n = digits(rawN)
  if (n === undefined || rawW !== int(idx)) n = 0
  const ends = (idx + 1) * w - t
  const s: State = { allowed: n + cost <= limit, remaining: Math.max(0, limit - n), reset: 0, n, idx, ends }
  if (n > 0) s.reset = ends
  if (!s.allowed) s.retry = ends
  return s
}

const fixedCommit: Commit = ({ redis }, key, limit, _w, _burst, cost, s) => {
  const n = (s.n as number) + cost
  redis.hset(key, { w: int(s.idx as number), n: int(n) })
  redis.pexpire(key, s.ends as number)
  s.remaining = Math.max(0, limit - n)
  s.reset = s.ends as number
}

/** By the letter the script receives: s(liding), g(cra), t(oken bucket), f(ixed). */
export const ALGORITHMS: Record<string, { read: Read; commit: Commit }> = {
  s: { read: slidingRead, commit: slidingCommit },
  g: { read: gcraRead, commit: gcraCommit },
  t: { read: bucketRead, commit: bucketCommit },
  f: { read: fixedRead, commit: fixedCommit },
}
