/**
 * The sliding log in Lua, shared by SLIDING_LUA (sliding-script.ts) and CHECK_LUA; its twin is
 * sliding-log.ts. The log is a list, newest first, with the expired entries gone from the tail.
 * An entry is 'score:cum:cost:age:live' (':r' appended for rejections): its time, the running
 * total, its units, and when it was written, how old the oldest live entry was and the units then
 * in the window. While that oldest entry is still live, the newest entry alone gives the units
 * used. Entries of 'score:cum:cost' (written by 0.1.0) are read too. No tables: an entry is values.
 *
 * Cost, in Redis's Lua: a digit string becomes a number by arithmetic (`s + 0`), not `tonumber`
 * (a global's call: about 100 ns more each), and only after a `%d+` capture, where both agree.
 * Constant command arguments are text ('0', '-1'): Redis prints a number argument with '%.17g'.
 */

/** The pattern of an entry with an age, and of one without (0.1.0). */
export const FULL = `'^(%d+):(%d+):(%d+):(%d+):(%d+)(.*)$'`
const SHORT = `'^(%d+):(%d+):(%d+)(.*)$'`

/** Lua: true when an entry's score, total and cost (names of locals, numbers) cannot be one. */
export const badCounts = (score: string, cum: string, cost: string) =>
  `${score} > MAX or ${cum} > MAX or ${cost} > ${cum}`

/** Lua: true when an entry's age and live units cannot be its own. */
export const badAge = (score: string, cum: string, cost: string, age: string, live: string) =>
  `${age} > ${score} or ${live} > ${cum} or ${live} < ${cost}`

/** Lua: an entry's text from its numbers. */
export const entryText = (score: string, cum: string, cost: string, age: string, live: string) =>
  `string.format('%d:%d:%d:%d:%d', ${score}, ${cum}, ${cost}, ${age}, ${live})`

/**
 * Lua: the key outlives its newest entry's window. Its expiry moves when the newest score enters
 * a new eighth of a window, to two eighths past it. `ns`: the score of the entry before this
 * write; `known`: a Lua condition, true when that entry exists and has an age (then its write
 * followed this rule, and the expiry stays while `ns` was in the same eighth). Needs t and w.
 */
export const moveExpiry = (
  key: string,
  score: string,
  ns: string,
  known: string,
) => `local q = math.ceil(w / 8)
  local k = math.floor((${score} + w) / q)
  if not (${known} and math.floor((${ns} + w) / q) == k) then
    redis.call('PEXPIRE', ${key}, string.format('%d', (k + 2) * q - t))
  end`

/**
 * The log's functions. Needs `MAX` in scope, and `t` (now) and `w` (the window, ms) for
 * log_expire.
 */
export const LOG_LUA = `-- an entry's score, running total, cost, rejected flag, and age and live when it has them;
-- nil when m is not an entry
local function entry(m)
  if not m then return nil end
  local score, cum, cost, age, live, tag = string.match(m, ${FULL})
  if not score then
    score, cum, cost, tag = string.match(m, ${SHORT})
    if not score then return nil end
  end
  if tag ~= '' and tag ~= ':r' then return nil end
  score, cum, cost = score + 0, cum + 0, cost + 0
  if ${badCounts('score', 'cum', 'cost')} then return nil end
  if age then
    age, live = age + 0, live + 0
    if ${badAge('score', 'cum', 'cost', 'age', 'live')} then return nil end
  end
  return score, cum, cost, tag ~= '', age, live
end

-- units used, corrupt, units before the oldest live entry, its score, and the newest entry's
-- score, total, cost, rejected flag and age (nil when empty or corrupt), from the log's newest
-- entry (head) and, when it does not answer alone, its tail; drops expired entries
local function log_read(key, head, t, w)
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
  local m = ${entryText('score', 'cum', 'total', 'age', 'live')}
  if rejected then m = m .. ':r' end
  redis.call('LPUSH', key, m)
end

-- the key's expiry (ns, na: the newest entry's score and age before this write, nil when the key
-- may be new; its expiry is trusted only with an age, i.e. not written by 0.1.0)
local function log_expire(key, ns, na, score, t, w)
  ${moveExpiry('key', 'score', 'ns', 'ns and na')}
end`
