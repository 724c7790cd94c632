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
import { readLog, retryOf } from './algorithms.js'

/**
 * The sliding log in Lua, shared by SLIDING_LUA and CHECK_LUA (its twins: logEntry, readLog and
 * retryOf in algorithms.ts). Needs `MAX` in scope. The log is a list, newest first, of
 * 'score:cum:cost' entries (':r' for rejections).
 */
export const LOG_LUA = `local function entry(m)
  if not m then return nil end
  local rejected = false
  local score, cum, cost = string.match(m, '^(%d+):(%d+):(%d+)$')
  if not score then
    score, cum, cost = string.match(m, '^(%d+):(%d+):(%d+):r$')
    rejected = true
  end
  if not score then return nil end
  score, cum, cost = tonumber(score), tonumber(cum), tonumber(cost)
  if score > MAX or cum > MAX or cost > cum then return nil end
  return {cum = cum, cost = cost, rejected = rejected, score = score}
end

-- oldest live entry (expired ones leave from the tail), newest, units used, corrupt
local function log_read(key, t, w)
  local tail = redis.call('LINDEX', key, -1)
  local o = entry(tail)
  while o and o.score <= t - w do
    redis.call('RPOP', key)
    tail = redis.call('LINDEX', key, -1)
    o = entry(tail)
  end
  local head = tail and redis.call('LINDEX', key, 0)
  local n = entry(head)
  if (tail and not o) or (head and not n) or (o and n and n.cum < o.cum) then return o, nil, 0, true end
  local used = 0
  if o and n then used = n.cum - (o.cum - o.cost) end
  return o, n, used, false
end

-- when enough units leave the window for need more (w when unknown)
local function log_retry(key, o, corrupt, need, w, t)
  if not o or corrupt then return w end
  local rows = redis.call('LRANGE', key, -need, -1)
  local target = o.cum - o.cost + need
  for j = #rows, 1, -1 do
    local e = entry(rows[j])
    if e and e.cum >= target then return e.score + w - t end
  end
  return w
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
local o, n, used, corrupt = log_read(key, t, w)
if used + cost > limit then
  local reset = 0
  if used > 0 then reset = n.score + w - t end
  return {0, t, 0, math.max(0, limit - used), reset, log_retry(key, o, corrupt, used + cost - limit, w, t)}
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
  const log = readLog(redis, key!, t, w)
  const { n, used } = log
  if (used + cost > limit) {
    const retry = retryOf(redis, key!, log, used + cost - limit, w, t)
    return [0, t, 0, Math.max(0, limit - used), used > 0 ? n!.score + w - t : 0, retry]
  }
  if (log.corrupt) redis.del([key!])
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
