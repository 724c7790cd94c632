/**
 * The one write of analytics: everything an event (or a group of events of one day) changes, in
 * one atomic script, so one round trip records the total, the unique users, the day's count and
 * uniques and the day's breakdowns, and they never disagree. Not idempotent (it counts): through
 * a FailoverStore it is guarded by an op id and journaled, so it is counted exactly once.
 *
 * KEYS (one hash tag per event): total, users (HLL), day count, day users (HLL), day breakdowns
 * (hash 'property=value' → count).
 * ARGV: count, ttl seconds (0: the day is past retention, only the all-time keys change),
 *       user count n, n user ids, then pairs of breakdown field and increment.
 */
import { defineScript } from '../stores/define-script.js'

/** Ids per PFADD inside Lua: unpack() of a long list would overflow Lua's C stack. */
const PFADD_CHUNK = 500

export const trackScript = defineScript<null>({
  name: 'analytics:track',
  keys: ['total', 'users', 'dayCount', 'dayUsers', 'dayProps'],
  lua: `local count = ARGV[1]
local ttl = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local function pfadd(key)
  for i = 4, 3 + n, ${PFADD_CHUNK} do
    redis.call('PFADD', key, unpack(ARGV, i, math.min(i + ${PFADD_CHUNK - 1}, 3 + n)))
  end
end
redis.call('INCRBY', KEYS[1], count)
pfadd(KEYS[2])
if ttl > 0 then
  redis.call('INCRBY', KEYS[3], count)
  redis.call('EXPIRE', KEYS[3], ttl)
  if n > 0 then
    pfadd(KEYS[4])
    redis.call('EXPIRE', KEYS[4], ttl)
  end
  if #ARGV > 3 + n then
    for i = 4 + n, #ARGV, 2 do redis.call('HINCRBY', KEYS[5], ARGV[i], ARGV[i + 1]) end
    redis.call('EXPIRE', KEYS[5], ttl)
  end
end`,
  run: (redis, [total, users, dayCount, dayUsers, dayProps], argv) => {
    const count = Number(argv[0])
    const ttl = Number(argv[1])
    const n = Number(argv[2])
    const ids = argv.slice(3, 3 + n)
    redis.incrby(total!, count)
    if (n > 0) redis.pfadd(users!, ids)
    if (ttl > 0) {
      redis.incrby(dayCount!, count)
      redis.expire(dayCount!, ttl)
      if (n > 0) {
        redis.pfadd(dayUsers!, ids)
        redis.expire(dayUsers!, ttl)
      }
      if (argv.length > 3 + n) {
        for (let i = 3 + n; i < argv.length; i += 2) redis.hincrby(dayProps!, argv[i]!, Number(argv[i + 1]))
        redis.expire(dayProps!, ttl)
      }
    }
    return null
  },
})
