/**
 * Scripts that read: read (a get: the record, checked against "log out everywhere" markers),
 * touch (the throttled extension of the idle deadline), prune (the group index's ended
 * entries) and now (the server's clock). None is journaled by a FailoverStore: a touch or a prune
 * that only happened in memory during an outage does not matter once Redis is back.
 */
import { defineScript } from '../stores/define-script.js'
import { integersReply } from '../stores/integers-reply.js'
import type { ScriptReply } from '../stores/types.js'
import { clock, expiryOf, LUA_PRELUDE, load, parseRecord, save } from './record.js'

/**
 * read. KEYS: record, all, revoked. ARGV: hash. → {1, record} | {0}
 *
 * The cheapest check there is, for the call every request makes: no clock, because the key's TTL
 * is the session's deadline (every write sets it from TIME) — Redis never returns a record past
 * its idle or absolute deadline. Only a record of a user is checked against the user's marker
 * (and a revoked or malformed one is removed); a missing one costs no write at all.
 */
export const readScript = defineScript<ScriptReply>({
  name: 'sessions:read',
  keys: ['record', 'all', 'revoked'],
  durable: false,
  lua: `local s = redis.call('GET', KEYS[1])
if not s then return {0} end
local r, u = string.match(s, '^%d+,%d+,%d+,%d+,%d+,(%d+),([%w_-]*),')
local alive = r ~= nil
if alive and u ~= '' then
  local m = redis.call('ZSCORE', KEYS[3], u)
  if m and r + 0 <= m + 0 and redis.call('ZSCORE', KEYS[3], u .. '/' .. ARGV[1]) ~= m then alive = false end
end
if alive then return {1, s} end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return {0}`,
  run: (redis, [record, all, revoked], [h]) => {
    const s = redis.get(record!)
    if (s === null) return [0]
    const rec = parseRecord(s)
    let alive = rec !== null
    if (rec !== null && rec.u !== '') {
      const marker = redis.zscore(revoked!, rec.u)
      if (marker !== null && rec.r <= marker && redis.zscore(revoked!, `${rec.u}/${h}`) !== marker) {
        alive = false
      }
    }
    if (alive) return [1, s]
    redis.del([record!])
    redis.zrem(all!, [h!])
    return [0]
  },
})

/**
 * touch. KEYS: record, all, revoked. ARGV: hash, touchAfter (a fraction of the idle timeout),
 * now. → '1:version:createdAt:expiresAt:absoluteAt' | '0' (integers in one string: see `table`)
 *
 * The idle deadline moves to now + idle only when touchAfter × idle has passed since the last
 * activity (by the server's clock), so most touches write nothing.
 */
export const touchScript = defineScript<ScriptReply>({
  name: 'sessions:touch',
  keys: ['record', 'all', 'revoked'],
  durable: false,
  lua: `${LUA_PRELUDE}
local now = clock(ARGV[3])
local rec = load(KEYS[1], KEYS[2], KEYS[3], ARGV[1], now)
if not rec then return '0' end
local exp = math.min(rec.t + rec.i, rec.a)
if now - rec.t >= rec.i * ARGV[2] then
  rec.t = now
  exp = save(KEYS[1], rec, now)
  redis.call('ZADD', KEYS[2], int(exp), ARGV[1])
end
return string.format('1:%d:%d:%d:%d', rec.v, rec.c, exp, rec.a)`,
  run: (redis, [record, all, revoked], [h, touchAfter, at]) => {
    const now = clock(redis, at!)
    const rec = load(redis, record!, all!, revoked!, h!, now)
    if (!rec) return integersReply(0)
    let exp = expiryOf(rec)
    if (now - rec.t >= rec.i * Number(touchAfter)) {
      rec.t = now
      exp = save(redis, record!, rec, now)
      redis.zadd(all!, [{ member: h!, score: exp }])
    }
    return integersReply(1, rec.v, rec.c, exp, rec.a)
  },
})

/**
 * prune. KEYS: all. ARGV: now. Drops the index entries of sessions at or past their deadline and
 * returns how many are left (count() calls it for the groups where it saw such entries).
 */
export const pruneScript = defineScript<number>({
  name: 'sessions:prune',
  keys: ['all'],
  durable: false,
  lua: `${LUA_PRELUDE}
local now = clock(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])`,
  run: (redis, [all], [at]) => {
    const now = clock(redis, at!)
    redis.zremrangebyscore(all!, '-inf', now)
    return redis.zcard(all!)
  },
})

/** now. KEYS: none. ARGV: none. → the server's clock in ms (TIME), for reads that filter by time. */
export const nowScript = defineScript<number>({
  name: 'sessions:now',
  keys: [],
  durable: false,
  lua: `local t = redis.call('TIME')
return t[1] * 1000 + math.floor(t[2] / 1000)`,
  run: (redis) => clock(redis, ''),
})
