/**
 * Scripts over many sessions of one group: revoke ("log out everywhere" for one user) and clear
 * (every session of the group). Both only touch their group's index keys and return the hashes
 * of the records to delete; the caller then deletes those records with one multi-key DEL on the
 * same slot. Keys are never built inside a script.
 */
import { defineScript } from '../stores/define-script.js'
import { clock, LUA_PRELUDE } from './record.js'

const LUA_CHUNKED = `local function zremAll(key, list)
  for i = 1, #list, 1000 do redis.call('ZREM', key, unpack(list, i, math.min(i + 999, #list))) end
end
`

/**
 * revoke. KEYS: user index, all, revoked. ARGV: userHash, keepHash ('' = none), absoluteMs, now.
 * → the hashes removed from the indexes (every session of the user but the kept one).
 *
 * The marker `userHash` = now in the revoked index kills every session of the user issued at or
 * before now, wherever it is and whether or not the index still lists it: one created
 * concurrently, one only in Redis while this ran on a fallback during an outage (the marker
 * reaches Redis when the journal is replayed). The kept session is exempted by a second member
 * `userHash/keepHash` with the same score. Markers older than the absolute timeout are pruned,
 * and the index expires that long after the last marker: no session they could kill is alive.
 */
export const revokeScript = defineScript<string[]>({
  name: 'sessions:revoke',
  keys: ['user', 'all', 'revoked'],
  lua: `${LUA_PRELUDE}${LUA_CHUNKED}
local now = clock(ARGV[4])
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - ARGV[3])
redis.call('ZADD', KEYS[3], now, ARGV[1])
if ARGV[2] ~= '' then redis.call('ZADD', KEYS[3], now, ARGV[1] .. '/' .. ARGV[2]) end
redis.call('PEXPIRE', KEYS[3], ARGV[3])
local gone = {}
for _, h in ipairs(members) do
  if h ~= ARGV[2] then gone[#gone + 1] = h end
end
zremAll(KEYS[2], gone)
zremAll(KEYS[1], gone)
return gone`,
  run: (redis, [user, all, revoked], [uh, keep, absoluteMs, at]) => {
    const now = clock(redis, at!)
    const members = redis.zrange(user!, 0, -1)
    redis.zremrangebyscore(revoked!, '-inf', now - Number(absoluteMs))
    redis.zadd(revoked!, [{ member: uh!, score: now }])
    if (keep !== '') redis.zadd(revoked!, [{ member: `${uh}/${keep}`, score: now }])
    redis.pexpire(revoked!, Number(absoluteMs))
    const gone = members.filter((h) => h !== keep)
    if (gone.length > 0) {
      redis.zrem(all!, gone)
      redis.zrem(user!, gone)
    }
    return gone
  },
})

/**
 * clear. KEYS: all, revoked. ARGV: (none). → the hashes the group's index listed; the index and
 * the group's markers are deleted (no session is left for them to end). Users' indexes keep stale
 * hashes until listForUser prunes them or they expire.
 */
export const clearScript = defineScript<string[]>({
  name: 'sessions:clear',
  keys: ['all', 'revoked'],
  lua: `local members = redis.call('ZRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1], KEYS[2])
return members`,
  run: (redis, [all, revoked]) => {
    const members = redis.zrange(all!, 0, -1)
    redis.del([all!, revoked!])
    return members
  },
})
