/**
 * A session record as the scripts see it, in Lua and in its JavaScript twin. A record is one
 * string (one GET, one SET … PX: the cheapest shape for Redis), its TTL the session's expiry:
 *
 *   v,c,a,i,t,r,u,d
 *   v  version, +1 on every data write    c  created (ms)         a  absolute deadline (ms)
 *   i  idle timeout (ms)                  t  last activity (ms)   r  when this id was issued (ms)
 *   u  sha256 of the user id ('' for none)                        d  the payload (the rest)
 *
 * A record is alive while now < a, now < t + i, and no "log out everywhere" marker of its user
 * is at or after r (unless the marker exempts this very session). Every script checks that
 * with the server's clock (TIME) before using a record and removes a dead one on sight; the
 * key's TTL (min(t + i, a)) removes the others.
 *
 * The last ARGV of every script is a clock override ('' = TIME): the library always sends '';
 * the parity tests send fixed times so that Lua and twin can be compared at the deadlines.
 */
import type { ScriptContext } from '../stores/types.js'

/**
 * Lua helpers: clock, load (the live record or nil), save (writes it with its TTL), int (a whole
 * number as text: Redis prints a number argument with '%.17g', slower than '%d').
 */
export const LUA_PRELUDE = `local function int(n)
  return string.format('%d', n)
end
local function clock(override)
  if override ~= '' then return override + 0 end
  local t = redis.call('TIME')
  return t[1] * 1000 + math.floor(t[2] / 1000)
end
local function load(key, all, revoked, h, now)
  local s = redis.call('GET', key)
  local v, c, a, i, t, r, u, d
  if s then v, c, a, i, t, r, u, d = string.match(s, '^(%d+),(%d+),(%d+),(%d+),(%d+),(%d+),([%w_-]*),(.*)$') end
  if v then
    local rec = {v = v + 0, c = c + 0, a = a + 0, i = i + 0, t = t + 0, r = r + 0, u = u, d = d}
    local alive = now < rec.a and now < rec.t + rec.i
    if alive and u ~= '' then
      local m = redis.call('ZSCORE', revoked, u)
      if m and rec.r <= m + 0 and redis.call('ZSCORE', revoked, u .. '/' .. h) ~= m then alive = false end
    end
    if alive then return rec end
  end
  if s then redis.call('DEL', key) end
  redis.call('ZREM', all, h)
  return nil
end
local function save(key, rec, now)
  local exp = math.min(rec.t + rec.i, rec.a)
  redis.call('SET', key, string.format('%d,%d,%d,%d,%d,%d,%s,', rec.v, rec.c, rec.a, rec.i, rec.t, rec.r, rec.u) .. rec.d, 'PX', int(exp - now))
  return exp
end
`

export interface StoredRecord {
  v: number
  c: number
  a: number
  i: number
  t: number
  r: number
  u: string
  d: string
}

/**
 * What the scripts' pattern accepts ('^(%d+),(%d+),(%d+),(%d+),(%d+),(%d+),([%w_-]*),(.*)$'): six
 * numbers, a user hash in base64url, then the payload (the rest, any characters).
 */
const RECORD = /^(\d+),(\d+),(\d+),(\d+),(\d+),(\d+),([A-Za-z0-9_-]*),/

/**
 * Parses a stored record; null when it is not one. One regular expression (a get parses one on
 * every call): the regexp engine is native code, where a loop of charCodeAt calls is several
 * times slower once ioredis 6 is loaded (see docs/stores.md, "String calls").
 */
export function parseRecord(stored: string | null): StoredRecord | null {
  if (stored === null) return null
  const m = RECORD.exec(stored)
  if (m === null) return null
  return {
    v: Number(m[1]),
    c: Number(m[2]),
    a: Number(m[3]),
    i: Number(m[4]),
    t: Number(m[5]),
    r: Number(m[6]),
    u: m[7]!,
    d: stored.slice(m[0].length),
  }
}

export function formatRecord(rec: StoredRecord): string {
  return `${rec.v},${rec.c},${rec.a},${rec.i},${rec.t},${rec.r},${rec.u},${rec.d}`
}

/** The expiry of a record: its idle deadline, capped by its absolute one. */
export function expiryOf(rec: Pick<StoredRecord, 't' | 'i' | 'a'>): number {
  return Math.min(rec.t + rec.i, rec.a)
}

/**
 * Whether a parsed record is alive at `now`, given its user's marker and this session's
 * exemption (scores from the revoked index, or null).
 */
export function isAlive(rec: StoredRecord, now: number, marker: number | null, exemption: number | null) {
  if (!(now < rec.a && now < rec.t + rec.i)) return false
  return !(rec.u !== '' && marker !== null && rec.r <= marker && exemption !== marker)
}

/** The twin of clock(). */
export function clock(redis: ScriptContext, override: string): number {
  if (override !== '') return Number(override)
  const [seconds, micros] = redis.time()
  return seconds * 1000 + Math.floor(micros / 1000)
}

/** The twin of load(): the same commands in the same order. */
export function load(
  redis: ScriptContext,
  key: string,
  all: string,
  revoked: string,
  h: string,
  now: number,
): StoredRecord | null {
  const stored = redis.get(key)
  const rec = parseRecord(stored)
  if (rec) {
    let alive = now < rec.a && now < rec.t + rec.i
    if (alive && rec.u !== '') {
      const marker = redis.zscore(revoked, rec.u)
      if (marker !== null && rec.r <= marker && redis.zscore(revoked, `${rec.u}/${h}`) !== marker)
        alive = false
    }
    if (alive) return rec
  }
  if (stored !== null) redis.del([key])
  redis.zrem(all, [h])
  return null
}

/** The twin of save(). */
export function save(redis: ScriptContext, key: string, rec: StoredRecord, now: number): number {
  const exp = expiryOf(rec)
  redis.set(key, formatRecord(rec), { px: exp - now })
  return exp
}

/** The twin of the issue time in create and rotate: now, or just after the user's marker. */
export function issuedAt(redis: ScriptContext, revoked: string, userHash: string, now: number): number {
  if (userHash === '') return now
  const marker = redis.zscore(revoked, userHash)
  return marker !== null && marker >= now ? marker + 1 : now
}
