/**
 * The sliding check on its own: one sliding limit, a charge, no block key, no analytics, no
 * charge for rejections — what `check(key, limit, window)` sends. It decides and writes exactly
 * what CHECK_LUA does for that shape (same entries, same reply; see check-lua.ts), in fewer
 * commands: the oldest entry is read by rank (expired entries are trimmed first, only when
 * there are some), so an allowed check on a log without expired entries is TIME, two ZRANGEs,
 * ZADD and PEXPIRE.
 *
 * KEYS: the limit's sorted set. ARGV: now ('' → TIME), limit, window ms, cost.
 * Reply: {1 allowed | 0 denied, now, allowed, remaining, resetAfterMs, retryAfterMs}.
 */
import { defineScript } from '../stores/define-script.js'
import type { ScriptContext } from '../stores/types.js'

export const SLIDING_LUA = `local t
if ARGV[1] == '' then
  local now = redis.call('TIME')
  t = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
else
  t = tonumber(ARGV[1])
end
local key, limit, w, cost = KEYS[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local MAX = 9e15
local function entry(m, s)
  local cum, c = string.match(m, '^(%d+):(%d+)$')
  if not cum then cum, c = string.match(m, '^(%d+):(%d+):r$') end
  local score = tonumber(s)
  if not cum or not score or score ~= math.floor(score) or score < 0 or score > MAX then return nil end
  cum, c = tonumber(cum), tonumber(c)
  if cum > MAX or c > cum then return nil end
  return {cum = cum, cost = c, score = score}
end
local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
if first[1] and tonumber(first[2]) <= t - w then
  redis.call('ZREMRANGEBYSCORE', key, '-inf', t - w)
  first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
end
local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
local o = first[1] and entry(first[1], first[2])
local n = last[1] and entry(last[1], last[2])
local used = 0
local corrupt = (first[1] and not o) or (last[1] and not n) or (o and n and n.cum < o.cum)
if corrupt then n = nil elseif o and n then used = n.cum - (o.cum - o.cost) end
if used + cost > limit then
  local retry = w
  local need = used + cost - limit
  if not corrupt and o then
    local rows = redis.call('ZRANGE', key, 0, need - 1, 'WITHSCORES')
    local target = o.cum - o.cost + need
    for j = 1, #rows, 2 do
      local e = entry(rows[j], rows[j + 1])
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
redis.call('ZADD', key, score, string.format('%015d:%d', cum, cost))
redis.call('PEXPIRE', key, score + w - t)
return {1, t, 1, math.max(0, limit - used - cost), score + w - t, 0}`

interface Entry {
  cum: number
  cost: number
  score: number
}

const MAX = 9e15
const ENTRY = /^(\d+):(\d+)(:r)?$/

function entry(m: string, score: number): Entry | undefined {
  const match = ENTRY.exec(m)
  if (!match || !Number.isInteger(score) || score < 0 || score > MAX) return undefined
  const cum = Number(match[1])
  const cost = Number(match[2])
  if (cum > MAX || cost > cum) return undefined
  return { cum, cost, score }
}

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
  let first = redis.zrangeWithScores(key!, 0, 0)[0]
  if (first && first.score <= t - w) {
    redis.zremrangebyscore(key!, '-inf', t - w)
    first = redis.zrangeWithScores(key!, 0, 0)[0]
  }
  const last = redis.zrangeWithScores(key!, -1, -1)[0]
  const o = first && entry(first.member, first.score)
  let n = last && entry(last.member, last.score)
  let used = 0
  const corrupt = (first && !o) || (last && !n) || (o && n && n.cum < o.cum)
  if (corrupt) n = undefined
  else if (o && n) used = n.cum - (o.cum - o.cost)
  if (used + cost > limit) {
    let retry = w
    const need = used + cost - limit
    if (!corrupt && o) {
      const target = o.cum - o.cost + need
      for (const row of redis.zrangeWithScores(key!, 0, need - 1)) {
        const e = entry(row.member, row.score)
        if (e && e.cum >= target) {
          retry = e.score + w - t
          break
        }
      }
    }
    return [0, t, 0, Math.max(0, limit - used), used > 0 ? n!.score + w - t : 0, retry]
  }
  if (corrupt) redis.del([key!])
  let score = t
  let cum = cost
  if (n) {
    if (n.score > score) score = n.score
    cum = n.cum + cost
  }
  redis.zadd(key!, [{ member: `${String(cum).padStart(15, '0')}:${cost}`, score }])
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
