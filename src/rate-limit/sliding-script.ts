/**
 * The sliding check on its own: one sliding limit, a charge, no block key, no analytics, no
 * charge for rejections — what `check(key, limit, window)` sends. It decides and writes exactly
 * what CHECK_LUA does for that shape (same entries, same numbers; see check-lua.ts), in fewer
 * commands. An allowed check is TIME, LINDEX and LPUSH while nothing has left the window since
 * the last write (the newest entry says where the window started), plus a PEXPIRE once per eighth
 * of a window; else one more LINDEX, and an RPOP and an LINDEX per expired entry, once.
 *
 * KEYS: the limit's list. ARGV: now ('' → TIME), limit, window ms, cost.
 * Reply: 'allowed:now:allowed:remaining:resetAfterMs:retryAfterMs' (allowed 1 or 0), one string
 * rather than an array: a client parses a bulk string faster than six integers.
 */
import { defineScript } from '../stores/define-script.js'
import { integersReply } from '../stores/integers-reply.js'
import type { ScriptContext } from '../stores/types.js'
import { logExpire, logPush, readLog, retryOf } from './sliding-log.js'

/**
 * The sliding log in Lua, shared by SLIDING_LUA and CHECK_LUA (its twin: sliding-log.ts). Needs
 * `MAX` in scope. The log is a list, newest first, with the expired entries gone from the tail.
 * An entry is
 * 'score:cum:cost:age:live' (':r' appended for rejections): its time, the running total, its
 * units, and when it was written, how old the oldest live entry was and the units then in the
 * window. While that oldest entry is still live, the newest entry alone gives the units used.
 * Entries of 'score:cum:cost' (written by 0.1.0) are read too. No tables: an entry is values.
 * Constant command arguments are text ('0', '-1'): Redis prints a number argument with '%.17g'.
 */
export const LOG_LUA = `-- an entry's score, running total, cost, rejected flag, and age and live when it has them;
-- nil when m is not an entry
local function entry(m)
  if not m then return nil end
  local score, cum, cost, age, live, tag = string.match(m, '^(%d+):(%d+):(%d+):(%d+):(%d+)(.*)$')
  if not score then
    score, cum, cost, tag = string.match(m, '^(%d+):(%d+):(%d+)(.*)$')
    if not score then return nil end
  end
  if tag ~= '' and tag ~= ':r' then return nil end
  score, cum, cost = tonumber(score), tonumber(cum), tonumber(cost)
  if score > MAX or cum > MAX or cost > cum then return nil end
  if age then
    age, live = tonumber(age), tonumber(live)
    if age > score or live > cum or live < cost then return nil end
  end
  return score, cum, cost, tag ~= '', age, live
end

-- units used, corrupt, units before the oldest live entry, its score, and the newest entry's
-- score, total, cost, rejected flag and age (nil when empty or corrupt); drops expired entries
local function log_read(key, t, w)
  local head = redis.call('LINDEX', key, '0')
  if not head then return 0, false end
  local ns, nc, nk, nr, age, live = entry(head)
  if not ns then return 0, true end
  if age and ns - age > t - w then return live, false, nc - live, ns - age, ns, nc, nk, nr, age end
  local tail = redis.call('LINDEX', key, '-1')
  local os, oc, ok = entry(tail)
  while os and os <= t - w do
    redis.call('RPOP', key)
    tail = redis.call('LINDEX', key, '-1')
    os, oc, ok = entry(tail)
  end
  if not tail then return 0, false end
  if not os or nc < oc then return 0, true end
  return nc - (oc - ok), false, oc - ok, os, ns, nc, nk, nr, age
end

-- when enough units leave the window for need more (w when unknown)
local function log_retry(key, base, need, w, t)
  if not base then return w end
  local rows = redis.call('LRANGE', key, -need, -1)
  for j = #rows, 1, -1 do
    local score, cum = entry(rows[j])
    if score and cum >= base + need then return score + w - t end
  end
  return w
end

-- the newest entry; os, base: the oldest live entry's score and the units before it (nil when
-- the new entry is the only one)
local function log_push(key, score, cum, total, os, base, rejected)
  local age, live = 0, total
  if os then age, live = score - os, cum - base end
  local m = string.format('%d:%d:%d:%d:%d', score, cum, total, age, live)
  if rejected then m = m .. ':r' end
  redis.call('LPUSH', key, m)
end

-- the key outlives its newest entry's window: its expiry moves when the newest score enters a new
-- eighth of a window (ns, na: the newest entry's score and age before this write, nil when the key
-- may be new; its expiry is trusted only with an age, i.e. not written by 0.1.0)
local function log_expire(key, ns, na, score, t, w)
  local q = math.ceil(w / 8)
  local k = math.floor((score + w) / q)
  if ns and na and math.floor((ns + w) / q) == k then return end
  redis.call('PEXPIRE', key, (k + 2) * q - t)
end`

export const SLIDING_LUA = `local t
if ARGV[1] == '' then
  local now = redis.call('TIME')
  t = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
else
  t = tonumber(ARGV[1])
end
local key, limit, w, cost = KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local MAX = 9e15
${LOG_LUA}
local used, corrupt, base, os, ns, nc, _, _, na = log_read(key, t, w)
if used + cost > limit then
  local reset = 0
  if used > 0 then reset = ns + w - t end
  local retry = log_retry(key, base, used + cost - limit, w, t)
  return string.format('0:%d:0:%d:%d:%d', t, math.max(0, limit - used), reset, retry)
end
if corrupt then redis.call('DEL', key) end
local score, cum = t, cost
if ns then
  if ns > score then score = ns end
  cum = nc + cost
end
log_push(key, score, cum, cost, os, base, false)
log_expire(key, ns, na, score, t, w)
return string.format('1:%d:1:%d:%d:0', t, math.max(0, limit - used - cost), score + w - t)`

/** The twin of SLIDING_LUA: the same commands in the same order. */
export function runSliding(redis: ScriptContext, [key]: string[], [now, l, win, c]: string[]): string {
  let t: number
  if (now === '') {
    const [seconds, micros] = redis.time()
    t = seconds * 1000 + Math.floor(micros / 1000)
  } else t = Number(now)
  const limit = Number(l)
  const w = Number(win)
  const cost = Number(c)
  const log = readLog(redis, key!, t, w)
  const { n, used } = log
  if (used + cost > limit) {
    const retry = retryOf(redis, key!, log.base, used + cost - limit, w, t)
    return integersReply(0, t, 0, Math.max(0, limit - used), used > 0 ? n!.score + w - t : 0, retry)
  }
  if (log.corrupt) redis.del([key!])
  let score = t
  let cum = cost
  if (n) {
    if (n.score > score) score = n.score
    cum = n.cum + cost
  }
  logPush(redis, key!, score, cum, cost, log.os, log.base, false)
  logExpire(redis, key!, n, score, t, w)
  return integersReply(1, t, 1, Math.max(0, limit - used - cost), score + w - t, 0)
}

/** Checks are decisions that only matter now: never journaled or replayed. */
export const slidingScript = defineScript<string>({
  name: 'rate-limit-sliding',
  keys: ['limit'],
  lua: SLIDING_LUA,
  run: runSliding,
  durable: false,
})
