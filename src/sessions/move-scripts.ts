/**
 * Scripts that end an id: rotate (the data moves to a new id of the same group and the old id
 * dies, in one step) and destroy (the id dies; optionally returning what it held, which is how
 * a session moves to another group: destroy-and-take, then create there).
 */
import { defineScript } from '../stores/define-script.js'
import type { ScriptReply } from '../stores/types.js'
import { clock, issuedAt, LUA_PRELUDE, load, save } from './record.js'

/**
 * rotate. KEYS: old record, new record, all, user (the session's user index, or noUser),
 * revoked. ARGV: oldHash, newHash, expectedVersion ('' = any), payload ('' = keep), userHash
 * (the user the caller believes owns it, '' = none), now.
 * → {1, version, createdAt, expiresAt, absoluteAt, payload} | {0} | {-1, version} | {-2, userHash}
 *
 * -2: the session belongs to another user than the caller passed (the caller did not know it:
 * retry with that user's index). The absolute deadline and creation time are kept: rotating
 * never extends a session's life. The new id is issued now (r; after the user's marker, as in
 * create): a session that survived a "log out everywhere" (the exempted one) stays alive.
 */
export const rotateScript = defineScript<ScriptReply>({
  name: 'sessions:rotate',
  keys: ['old', 'new', 'all', 'user', 'revoked'],
  lua: `${LUA_PRELUDE}
local now = clock(ARGV[6])
local rec = load(KEYS[1], KEYS[3], KEYS[5], ARGV[1], now)
if not rec then return {0} end
if rec.u ~= ARGV[5] then return {-2, rec.u} end
if ARGV[3] ~= '' and ARGV[3] + 0 ~= rec.v then return {-1, rec.v} end
if ARGV[4] ~= '' then rec.d = ARGV[4] end
local r = now
if rec.u ~= '' then
  local m = redis.call('ZSCORE', KEYS[5], rec.u)
  if m and m + 0 >= r then r = m + 1 end
end
rec.v, rec.t, rec.r = rec.v + 1, now, r
redis.call('DEL', KEYS[1])
local exp = save(KEYS[2], rec, now)
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[3], int(exp), ARGV[2])
if rec.u ~= '' then
  redis.call('ZREM', KEYS[4], ARGV[1])
  redis.call('ZADD', KEYS[4], int(rec.c), ARGV[2])
end
return {1, rec.v, rec.c, exp, rec.a, rec.d}`,
  run: (redis, [oldKey, newKey, all, user, revoked], [oldHash, newHash, expect, payload, uh, at]) => {
    const now = clock(redis, at!)
    const rec = load(redis, oldKey!, all!, revoked!, oldHash!, now)
    if (!rec) return [0]
    if (rec.u !== uh) return [-2, rec.u]
    if (expect !== '' && Number(expect) !== rec.v) return [-1, rec.v]
    const r = issuedAt(redis, revoked!, rec.u, now)
    const next = { ...rec, d: payload === '' ? rec.d : payload!, v: rec.v + 1, t: now, r }
    redis.del([oldKey!])
    const exp = save(redis, newKey!, next, now)
    redis.zrem(all!, [oldHash!])
    redis.zadd(all!, [{ member: newHash!, score: exp }])
    if (rec.u !== '') {
      redis.zrem(user!, [oldHash!])
      redis.zadd(user!, [{ member: newHash!, score: rec.c }])
    }
    return [1, next.v, next.c, exp, next.a, next.d]
  },
})

/**
 * destroy. KEYS: record, all, revoked. ARGV: hash, expectedVersion ('' = any), take ('1' returns
 * the record), now. → {1} | {1, version, createdAt, absoluteAt, idleMs, userHash, payload} | {0}
 * | {-1, version}
 *
 * The user's index keeps the hash until the next listForUser or destroyAllForUser prunes it.
 * Idempotent: destroying twice leaves the same state.
 */
export const destroyScript = defineScript<ScriptReply>({
  name: 'sessions:destroy',
  keys: ['record', 'all', 'revoked'],
  idempotent: true,
  lua: `${LUA_PRELUDE}
local now = clock(ARGV[4])
local rec = load(KEYS[1], KEYS[2], KEYS[3], ARGV[1], now)
if not rec then return {0} end
if ARGV[2] ~= '' and ARGV[2] + 0 ~= rec.v then return {-1, rec.v} end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if ARGV[3] == '1' then return {1, rec.v, rec.c, rec.a, rec.i, rec.u, rec.d} end
return {1}`,
  run: (redis, [record, all, revoked], [h, expect, take, at]) => {
    const now = clock(redis, at!)
    const rec = load(redis, record!, all!, revoked!, h!, now)
    if (!rec) return [0]
    if (expect !== '' && Number(expect) !== rec.v) return [-1, rec.v]
    redis.del([record!])
    redis.zrem(all!, [h!])
    if (take === '1') return [1, rec.v, rec.c, rec.a, rec.i, rec.u, rec.d]
    return [1]
  },
})
