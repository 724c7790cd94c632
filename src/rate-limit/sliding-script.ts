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
import { badAge, badCounts, entryText, FULL, LOG_LUA, moveExpiry } from './log-lua.js'
import { logExpire, logPush, readLog, retryOf } from './sliding-log.js'

export const SLIDING_LUA = `local t
if ARGV[1] == '' then
  local now = redis.call('TIME')
  t = now[1] * 1000 + math.floor(now[2] / 1000)
else
  t = ARGV[1] + 0
end
local key, limit, w, cost = KEYS[1], ARGV[2] + 0, ARGV[3] + 0, ARGV[4] + 0
local MAX = 9e15
local head = redis.call('LINDEX', key, '0')
-- the common case first, with no function created (Lua creates each local function on every
-- call): the newest entry answers alone and the charge is allowed; what log_read, log_push and
-- log_expire below do in that case, inline
if head then
  local ns, nc, nk, na, nl, tag = string.match(head, ${FULL})
  if ns and (tag == '' or tag == ':r') then
    ns, nc, nk, na, nl = ns + 0, nc + 0, nk + 0, na + 0, nl + 0
    if not (${badCounts('ns', 'nc', 'nk')} or ${badAge('ns', 'nc', 'nk', 'na', 'nl')})
      and ns - na > t - w and nl + cost <= limit then
      local score, cum = t, nc + cost
      if ns > score then score = ns end
      redis.call('LPUSH', key, ${entryText('score', 'cum', 'cost', 'score - ns + na', 'nl + cost')})
      ${moveExpiry('key', 'score', 'ns', 'true')}
      return string.format('1:%d:1:%d:%d:0', t, limit - nl - cost, score + w - t)
    end
  end
end
${LOG_LUA}
local used, corrupt, base, os, ns, nc, _, _, na = log_read(key, head, t, w)
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
