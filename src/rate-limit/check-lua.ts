/**
 * The Lua of the rate-limit check: one script for every algorithm, one limit or several (all
 * charged or none), the block key, and the optional analytics counters; a check whose limits
 * share one algorithm sends it with only that algorithm's functions (checkLua). Its JavaScript
 * twin is check-twin.ts + algorithms.ts, which must do exactly the same (proven by
 * expectScriptParity).
 *
 * KEYS: block, [stats, top,] one key per limit.
 * ARGV: now ('' → TIME; a ms clock only for the parity tests), mode ('c' check, 'p' peek),
 *       chargeRejected ('1'/'0'), analytics retention ms ('0': off, no stats/top keys), id,
 *       then per limit: algorithm (s g t f), limit, window ms, burst, cost.
 * Reply: '2:now:blockMs' when blocked; else '1 allowed | 0 denied:now', then per limit
 *       ':allowed:remaining:resetAfterMs:retryAfterMs' — integers in one string, which a client
 *       decodes far faster than an array (see stores/integers-reply.ts).
 *
 * Numbers never go through tostring or `..` (Lua prints %.14g): string.format('%d') only. Text
 * becomes a number by arithmetic (`ARGV[7] + 0`), cheaper than tonumber (see log-lua.ts).
 * Every read happens before any write (except that a sliding log drops its expired entries as it
 * reads them, which changes no decision), so an error (WRONGTYPE) leaves nothing half done.
 */
import { LOG_LUA } from './log-lua.js'

const HEAD = `local t
if ARGV[1] == '' then
  local now = redis.call('TIME')
  t = now[1] * 1000 + math.floor(now[2] / 1000)
else
  t = ARGV[1] + 0
end
local peek = ARGV[2] == 'p'
local charge = ARGV[3] == '1' and not peek
local retention = ARGV[4] + 0
local id = ARGV[5]
local first = 2
if retention > 0 then first = 4 end
local count = (#ARGV - 5) / 5
local MAX = 9e15

local function record(allowed)
  if retention == 0 or peek then return end
  redis.call('HINCRBY', KEYS[2], allowed and 'a' or 'b', 1)
  redis.call('PEXPIRE', KEYS[2], retention)
  if not allowed then
    if not redis.call('ZSCORE', KEYS[3], id) and redis.call('ZCARD', KEYS[3]) >= 256 then
      redis.call('ZREMRANGEBYRANK', KEYS[3], 0, 0)
    end
    redis.call('ZINCRBY', KEYS[3], 1, id)
    redis.call('PEXPIRE', KEYS[3], retention)
  end
end

local function digits(v)
  if v and string.match(v, '^%d+$') then
    local n = v + 0
    if n <= MAX then return n end
  end
  return nil
end

local blocked = digits(redis.call('GET', KEYS[1]))
if blocked and blocked > t then
  record(false)
  return string.format('2:%d:%d', t, blocked - t)
end

`

/** Each algorithm's read and commit (the sliding one needs LOG_LUA). */
const ALGORITHMS: Record<string, string> = {
  s: `${LOG_LUA}
-- The sliding log (see LOG_LUA): expired entries leave from the tail as they are seen.
function read.s(key, limit, w, burst, cost)
  local used, corrupt, base, os, ns, nc, nk, nr, na = log_read(key, redis.call('LINDEX', key, '0'), t, w)
  local s = {used = used, corrupt = corrupt, base = base, os = os, ns = ns, nc = nc, nk = nk, nr = nr, na = na}
  s.allowed = used + cost <= limit
  s.remaining = math.max(0, limit - used)
  s.reset = 0
  if used > 0 then s.reset = ns + w - t end
  if not s.allowed then s.retry = log_retry(key, base, used + cost - limit, w, t) end
  return s
end

function commit.s(key, limit, w, burst, cost, s, rejected)
  if s.corrupt then redis.call('DEL', key) end
  local ns = s.ns
  local score, cum, total = t, cost, cost
  if ns then
    if ns > score then score = ns end
    cum = s.nc + cost
    if rejected and s.nr and ns > t - w then
      redis.call('LPOP', key)
      total = s.nk + cost
      ns = nil -- the pop may have emptied the list, and so dropped its expiry
    end
  end
  log_push(key, score, cum, total, s.os, s.base, rejected)
  log_expire(key, ns, s.na, score, t, w)
  s.remaining = math.max(0, limit - s.used - cost)
  s.reset = score + w - t
end

`,
  g: `function read.g(key, limit, w, burst, cost)
  local T = w / limit
  local tau = burst * T
  local tat = t
  local stored = digits(redis.call('GET', key))
  if stored and stored / 1000 > tat then tat = stored / 1000 end
  local s = {tat = tat, T = T, tau = tau, new = tat + cost * T}
  s.allowed = s.new - t <= tau + 1e-6
  s.remaining = math.max(0, math.floor((tau - (tat - t)) / T + 1e-9))
  s.reset = math.ceil(tat - t)
  if not s.allowed then s.retry = math.ceil(s.new - t - tau) end
  return s
end

function commit.g(key, limit, w, burst, cost, s, rejected)
  local after = s.new
  if rejected then after = math.max(s.tat, math.min(s.new, t + s.tau + w - s.T)) end
  redis.call('SET', key, string.format('%d', math.ceil(after * 1000)), 'PX', math.max(1, math.ceil(after - t)))
  s.remaining = math.max(0, math.floor((s.tau - (after - t)) / s.T + 1e-9))
  s.reset = math.ceil(after - t)
end

`,
  t: `local function refillAt(s, limit, w, cap)
  if s.tk >= cap then return 0 end
  return s.at + math.ceil((cap - s.tk) / limit) * w - t
end

function read.t(key, limit, w, cap, cost)
  local v = redis.call('HMGET', key, 'tk', 'at')
  local tk, at = digits(v[1]), digits(v[2])
  if not tk or not at then tk, at = cap, t end
  if tk > cap then tk = cap end
  if t > at then
    local k = math.floor((t - at) / w)
    if k > 0 then
      tk = math.min(cap, tk + k * limit)
      at = at + k * w
    end
  end
  if tk >= cap then at = t end
  local s = {tk = tk, at = at}
  s.allowed = tk >= cost
  s.remaining = tk
  s.reset = refillAt(s, limit, w, cap)
  if not s.allowed then s.retry = at + math.ceil((cost - tk) / limit) * w - t end
  return s
end

function commit.t(key, limit, w, cap, cost, s, rejected)
  if rejected then
    s.tk = math.max(0, s.tk - cost)
    s.at = t
  else
    s.tk = s.tk - cost
  end
  s.remaining = s.tk
  s.reset = refillAt(s, limit, w, cap)
  if s.tk >= cap then
    redis.call('DEL', key)
  else
    redis.call('HSET', key, 'tk', string.format('%d', s.tk), 'at', string.format('%d', s.at))
    redis.call('PEXPIRE', key, math.max(1, s.reset))
  end
end

`,
  f: `function read.f(key, limit, w, burst, cost)
  local v = redis.call('HMGET', key, 'w', 'n')
  local idx = math.floor(t / w)
  local n = digits(v[2])
  if not n or v[1] ~= string.format('%d', idx) then n = 0 end
  local s = {n = n, idx = idx, ends = (idx + 1) * w - t}
  s.allowed = n + cost <= limit
  s.remaining = math.max(0, limit - n)
  s.reset = 0
  if n > 0 then s.reset = s.ends end
  if not s.allowed then s.retry = s.ends end
  return s
end

function commit.f(key, limit, w, burst, cost, s, rejected)
  local n = s.n + cost
  redis.call('HSET', key, 'w', string.format('%d', s.idx), 'n', string.format('%d', n))
  redis.call('PEXPIRE', key, s.ends)
  s.remaining = math.max(0, limit - n)
  s.reset = s.ends
end

`,
}

const TAIL = `-- one limit (a named limiter's check): the loop below without its tables, and one format
if count == 1 then
  local key, algo = KEYS[first], ARGV[6]
  local limit, w, burst, cost = ARGV[7] + 0, ARGV[8] + 0, ARGV[9] + 0, ARGV[10] + 0
  local s = read[algo](key, limit, w, burst, cost)
  if not peek and (s.allowed or charge) then commit[algo](key, limit, w, burst, cost, s, not s.allowed) end
  record(s.allowed)
  local ok = s.allowed and 1 or 0
  return string.format('%d:%d:%d:%d:%d:%d', ok, t, ok, s.remaining, s.reset, s.allowed and 0 or s.retry)
end
local limits = {}
local all = true
for i = 1, count do
  local a = 5 + (i - 1) * 5
  local l = {algo = ARGV[a + 1], key = KEYS[first + i - 1], limit = ARGV[a + 2] + 0,
    w = ARGV[a + 3] + 0, burst = ARGV[a + 4] + 0, cost = ARGV[a + 5] + 0}
  l.s = read[l.algo](l.key, l.limit, l.w, l.burst, l.cost)
  if not l.s.allowed then all = false end
  limits[i] = l
end
if not peek and (all or charge) then
  for i = 1, count do
    local l = limits[i]
    commit[l.algo](l.key, l.limit, l.w, l.burst, l.cost, l.s, not all)
  end
end
record(all)
local reply = {string.format('%d:%d', all and 1 or 0, t)}
for i = 1, count do
  local s = limits[i].s
  reply[i + 1] = string.format('%d:%d:%d:%d', s.allowed and 1 or 0, s.remaining, s.reset, s.allowed and 0 or s.retry)
end
return table.concat(reply, ':')`

/**
 * The check script for limits of the given algorithms (letters, e.g. 'g' or 'fs'): the same
 * script, with only those algorithms' functions. Lua creates every local function of a script
 * on each call, so a named gcra limiter does not pay for the sliding log's (1.4 µs of Redis time
 * per check measured).
 */
export function checkLua(algorithms: string): string {
  const parts = [...algorithms].map((a) => {
    const part = ALGORITHMS[a]
    if (part === undefined) throw new Error(`checkLua: unknown algorithm '${a}'`)
    return part
  })
  return `${HEAD}local read = {}
local commit = {}

${parts.join('')}${TAIL}`
}

/** Every algorithm's letter: the check script that takes limits of any mix of them. */
export const ALL_ALGORITHMS = 'sgtf'

/** The check script for every algorithm (a check whose limits mix them). */
export const CHECK_LUA = checkLua(ALL_ALGORITHMS)
