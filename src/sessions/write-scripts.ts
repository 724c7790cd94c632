/**
 * Scripts that write a session's data: create (a fresh id) and write (replace the data of a live
 * session, optionally only at an expected version). Replies are integers in one string ('1:…',
 * see `table`) whose first says what happened: 1 written, 0 missing (or dead), -1 version conflict.
 */
import { defineScript } from '../stores/define-script.js'
import { integersReply } from '../stores/integers-reply.js'
import type { ScriptReply } from '../stores/types.js'
import { clock, issuedAt, LUA_PRELUDE, load, type StoredRecord, save } from './record.js'

/**
 * create. KEYS: record, all, user (the user's index, or the group's noUser key), revoked.
 * ARGV: hash, payload, idleMs, userHash ('' = none), absoluteMs, createdAt, absoluteAt (both ''
 * for a new session; set when a session moves to another group), now.
 * → '1:version:createdAt:expiresAt:absoluteAt' | '0' (a moved session already past its deadline);
 * integers in one string, see `table` in context.ts
 *
 * The id is issued (r) now, or just after the user's last "log out everywhere" marker if that is
 * not earlier (the same millisecond, or a clock that went back): a new log-in always outlives
 * the revocation before it. The group index is pruned of ended sessions now and then (when the
 * new hash starts with 0, P or p: one create in about 21), which bounds it without a prune
 * on every call. Idempotent: the id is fresh (at least 180 random bits), so running it twice
 * writes the same record.
 */
export const createScript = defineScript<ScriptReply>({
  name: 'sessions:create',
  keys: ['record', 'all', 'user', 'revoked'],
  idempotent: true,
  lua: `${LUA_PRELUDE}
local now = clock(ARGV[8])
local h, uh = ARGV[1], ARGV[4]
local c, a = now, now + ARGV[5]
if ARGV[6] ~= '' then c, a = ARGV[6] + 0, ARGV[7] + 0 end
if a <= now then return '0' end
local r = now
if uh ~= '' then
  local m = redis.call('ZSCORE', KEYS[4], uh)
  if m and m + 0 >= r then r = m + 1 end
end
local exp = save(KEYS[1], {v = 1, c = c, a = a, i = ARGV[3] + 0, t = now, r = r, u = uh, d = ARGV[2]}, now)
if string.byte(h, 1) % 16 == 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now) end
redis.call('ZADD', KEYS[2], int(exp), h)
if uh ~= '' then
  redis.call('ZADD', KEYS[3], int(c), h)
  if redis.call('PTTL', KEYS[3]) < a - now then redis.call('PEXPIRE', KEYS[3], int(a - now)) end
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - ARGV[5])
end
return string.format('1:1:%d:%d:%d', c, exp, a)`,
  run: (redis, [record, all, user, revoked], [h, payload, idleMs, uh, absoluteMs, created, deadline, at]) => {
    const now = clock(redis, at!)
    let c = now
    let a = now + Number(absoluteMs)
    if (created !== '') {
      c = Number(created)
      a = Number(deadline)
    }
    if (a <= now) return integersReply(0)
    const r = issuedAt(redis, revoked!, uh!, now)
    const exp = save(redis, record!, { v: 1, c, a, i: Number(idleMs), t: now, r, u: uh!, d: payload! }, now)
    if (h!.charCodeAt(0) % 16 === 0) redis.zremrangebyscore(all!, '-inf', now)
    redis.zadd(all!, [{ member: h!, score: exp }])
    if (uh !== '') {
      redis.zadd(user!, [{ member: h!, score: c }])
      if (redis.pttl(user!) < a - now) redis.pexpire(user!, a - now)
      redis.zremrangebyscore(revoked!, '-inf', now - Number(absoluteMs))
    }
    return integersReply(1, 1, c, exp, a)
  },
})

/**
 * create, for a session without a user (what most creates are): the same record and index entry
 * as `create`, with nothing to check, in the fewest commands. KEYS: record, all. ARGV: hash,
 * payload, idleMs, absoluteMs, now. → '1:version:createdAt:expiresAt:absoluteAt'
 *
 * The record and the reply are joined from three formatted numbers (now, the absolute deadline,
 * the expiry when it is earlier) and the timeouts as sent: whole ms in digits, which the options
 * guarantee (MAX_TIMEOUT_MS). Commands get text too: Redis prints a number argument with
 * '%.17g'. Eight formats and three printed arguments cost about 1 µs of Redis time more.
 */
export const createPlainScript = defineScript<ScriptReply>({
  name: 'sessions:create-plain',
  keys: ['record', 'all'],
  idempotent: true,
  lua: `local now
if ARGV[5] == '' then
  local t = redis.call('TIME')
  now = t[1] * 1000 + math.floor(t[2] / 1000)
else
  now = ARGV[5] + 0
end
local a = now + ARGV[4]
local exp = math.min(now + ARGV[3], a)
local ns, as = string.format('%d', now), string.format('%d', a)
local es, px = as, ARGV[4]
if exp < a then es, px = string.format('%d', exp), ARGV[3] end
redis.call('SET', KEYS[1], '1,' .. ns .. ',' .. as .. ',' .. ARGV[3] .. ',' .. ns .. ',' .. ns .. ',,' .. ARGV[2], 'PX', px)
if string.byte(ARGV[1], 1) % 16 == 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ns) end
redis.call('ZADD', KEYS[2], es, ARGV[1])
return '1:1:' .. ns .. ':' .. es .. ':' .. as`,
  run: (redis, [record, all], [h, payload, idleMs, absoluteMs, at]) => {
    const now = clock(redis, at!)
    const i = Number(idleMs)
    const a = now + Number(absoluteMs)
    const exp = save(redis, record!, { v: 1, c: now, a, i, t: now, r: now, u: '', d: payload! }, now)
    if (h!.charCodeAt(0) % 16 === 0) redis.zremrangebyscore(all!, '-inf', now)
    redis.zadd(all!, [{ member: h!, score: exp }])
    return integersReply(1, 1, now, exp, a)
  },
})

/**
 * write. KEYS: record, all, revoked. ARGV: hash, payload, expectedVersion ('' = any), idleMs
 * ('' = keep), now. → '1:version:createdAt:expiresAt:absoluteAt' | '0' | '-1:version'
 *
 * Not idempotent (a version check and a version bump): a FailoverStore guards it with an op id.
 */
export const writeScript = defineScript<ScriptReply>({
  name: 'sessions:write',
  keys: ['record', 'all', 'revoked'],
  lua: `${LUA_PRELUDE}
local now = clock(ARGV[5])
local rec = load(KEYS[1], KEYS[2], KEYS[3], ARGV[1], now)
if not rec then return '0' end
if ARGV[3] ~= '' and ARGV[3] + 0 ~= rec.v then return string.format('-1:%d', rec.v) end
if ARGV[4] ~= '' then rec.i = ARGV[4] + 0 end
rec.v, rec.t, rec.d = rec.v + 1, now, ARGV[2]
local exp = save(KEYS[1], rec, now)
redis.call('ZADD', KEYS[2], int(exp), ARGV[1])
return string.format('1:%d:%d:%d:%d', rec.v, rec.c, exp, rec.a)`,
  run: (redis, [record, all, revoked], [h, payload, expect, idleMs, at]) => {
    const now = clock(redis, at!)
    const rec = load(redis, record!, all!, revoked!, h!, now)
    if (!rec) return integersReply(0)
    if (expect !== '' && Number(expect) !== rec.v) return integersReply(-1, rec.v)
    const next: StoredRecord = {
      ...rec,
      i: idleMs === '' ? rec.i : Number(idleMs),
      v: rec.v + 1,
      t: now,
      d: payload!,
    }
    const exp = save(redis, record!, next, now)
    redis.zadd(all!, [{ member: h!, score: exp }])
    return integersReply(1, next.v, next.c, exp, next.a)
  },
})
