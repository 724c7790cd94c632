/**
 * The sliding check on its own: one sliding limit, a charge, no block key, no analytics, no
 * charge for rejections — what `check(key, limit, window)` sends. It decides and writes exactly
 * what CHECK_LUA does for that shape (same entries, same reply; see check-lua.ts), in fewer
 * commands. The log is a list, newest first, so its ends are O(1): an allowed check on a log
 * without expired entries is TIME, two LINDEXes, LPUSH and PEXPIRE (each expired entry adds an
 * RPOP and an LINDEX, once).
 *
 * KEYS: the limit's list. ARGV: now ('' → TIME), limit, window ms, cost.
 * Reply: {1 allowed | 0 denied, now, allowed, remaining, resetAfterMs, retryAfterMs}.
 */
import { defineScript } from '../stores/define-script.js'
import type { ScriptContext } from '../stores/types.js'
import { dropExpired, logEntry, retryOf } from './algorithms.js'

export const SLIDING_LUA = `local t
if ARGV[1] == '' then
  local now = redis.call('TIME')
  t = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
else
  t = tonumber(ARGV[1])
end
local key, limit, w, cost = KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local MAX = 9e15
local function entry(m)
  if not m then return nil end
  local score, cum, c = string.match(m, '^(%d+):(%d+):(%d+)$')
  if not score then score, cum, c = string.match(m, '^(%d+):(%d+):(%d+):r$') end
  if not score then return nil end
  score, cum, c = tonumber(score), tonumber(cum), tonumber(c)
  if score > MAX or cum > MAX or c > cum then return nil end
  return {cum = cum, cost = c, score = score}
end
local tail = redis.call('LINDEX', key, -1)
local o = entry(tail)
while o and o.score <= t - w do
  redis.call('RPOP', key)
  tail = redis.call('LINDEX', key, -1)
  o = entry(tail)
end
local head = tail and redis.call('LINDEX', key, 0)
local n = entry(head)
local used = 0
local corrupt = (tail and not o) or (head and not n) or (o and n and n.cum < o.cum)
if corrupt then n = nil elseif o and n then used = n.cum - (o.cum - o.cost) end
if used + cost > limit then
  local retry = w
  local need = used + cost - limit
  if not corrupt and o then
    local rows = redis.call('LRANGE', key, -need, -1)
    local target = o.cum - o.cost + need
    for j = #rows, 1, -1 do
      local e = entry(rows[j])
      if e and e.cum >= target then
        retry = e.score + w - t
        break
      end
    end
  end
  local reset = 0
  if used > 0 then reset = n.score + w - t end
  return {0, t, 0, math.max(0, limit - used), reset, retry}
end
if corrupt then redis.call('DEL', key) end
local score, cum = t, cost
if n then
  if n.score > score then score = n.score end
  cum = n.cum + cost
end
redis.call('LPUSH', key, string.format('%d:%d:%d', score, cum, cost))
redis.call('PEXPIRE', key, score + w - t)
return {1, t, 1, math.max(0, limit - used - cost), score + w - t, 0}`

/** The twin of SLIDING_LUA: the same commands in the same order. */
export function runSliding(redis: ScriptContext, [key]: string[], [now, l, win, c]: string[]): number[] {
  let t: number
  if (now === '') {
    const [seconds, micros] = redis.time()
    t = seconds * 1000 + Math.floor(micros / 1000)
  } else t = Number(now)
  const limit = Number(l)
  const w = Number(win)
  const cost = Number(c)
  const [tail, o] = dropExpired(redis, key!, t - w)
  const head = tail === null ? null : redis.lindex(key!, 0)
  let n = logEntry(head)
  let used = 0
  const corrupt = (tail !== null && !o) || (head !== null && !n) || (o && n && n.cum < o.cum)
  if (corrupt) n = undefined
  else if (o && n) used = n.cum - (o.cum - o.cost)
  if (used + cost > limit) {
    const retry = !corrupt && o ? retryOf(redis, key!, o, used + cost - limit, w, t) : w
    return [0, t, 0, Math.max(0, limit - used), used > 0 ? n!.score + w - t : 0, retry]
  }
  if (corrupt) redis.del([key!])
  let score = t
  let cum = cost
  if (n) {
    if (n.score > score) score = n.score
    cum = n.cum + cost
  }
  redis.lpush(key!, [`${score}:${cum}:${cost}`])
  redis.pexpire(key!, score + w - t)
  return [1, t, 1, Math.max(0, limit - used - cost), score + w - t, 0]
}

/** Checks are decisions that only matter now: never journaled or replayed. */
export const slidingScript = defineScript<number[]>({
  name: 'rate-limit-sliding',
  keys: ['limit'],
  lua: SLIDING_LUA,
  run: runSliding,
  durable: false,
})
