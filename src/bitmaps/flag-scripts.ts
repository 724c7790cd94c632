/**
 * The scripts of feature flags. Every flag key lives in the `{flags}` slot, with the id → offset
 * map, so one script can map a user id and set or read its bits atomically on Redis Cluster too.
 *
 *   ids     hash: user id → bit offset (dense, from 0, never reused)
 *   seq     string: how many offsets were handed out
 *   names   set: every flag ever enabled, disabled or rolled out
 *   rollout hash: flag → percentage
 *   on/off  bitmaps per flag: the users explicitly enabled / disabled
 */
import { defineScript } from '../stores/define-script.js'
import type { Script } from '../stores/types.js'

/** Bit offsets stop at 2^32-1 (Redis's limit): about four billion mapped users. */
export const MAX_OFFSET = 4_294_967_295
const DIGITS = /^\d+$/

/**
 * Enables (ARGV[3] = '1') or disables ('0') a flag for a user, or clears both bits ('-') so
 * the rollout decides again. Maps the user to an offset first if it has none. Setting a bit twice
 * changes nothing, so it replays safely after an outage (idempotent); the offset is assigned on
 * Redis at replay time, never taken from the memory store. Replies with the user's offset.
 * KEYS: ids, seq, names, on, off. ARGV: userId, flag, '1' | '0' | '-'.
 */
export const setFlag = defineScript<number>({
  name: 'flags:set',
  keys: ['ids', 'seq', 'names', 'on', 'off'],
  idempotent: true,
  lua: `local raw = redis.call('HGET', KEYS[1], ARGV[1])
local offset
if raw and string.match(raw, '^%d+$') then offset = tonumber(raw) end
if not offset then
  offset = redis.call('INCR', KEYS[2]) - 1
  if offset > ${MAX_OFFSET} then error('flags: every bit offset (2^32) is taken') end
  redis.call('HSET', KEYS[1], ARGV[1], offset)
end
if offset > ${MAX_OFFSET} then error('flags: the stored offset is past 2^32-1') end
local on, off = 0, 0
if ARGV[3] == '1' then on = 1 elseif ARGV[3] == '0' then off = 1 end
redis.call('SETBIT', KEYS[4], offset, on)
redis.call('SETBIT', KEYS[5], offset, off)
redis.call('SADD', KEYS[3], ARGV[2])
return offset`,
  run: (redis, [ids, seq, names, on, off], [userId, flag, state]) => {
    const raw = redis.hget(ids!, userId!)
    let offset = raw !== null && DIGITS.test(raw) ? Number(raw) : null
    if (offset === null) {
      offset = redis.incrby(seq!, 1) - 1
      if (offset > MAX_OFFSET) throw new Error('flags: every bit offset (2^32) is taken')
      redis.hset(ids!, { [userId!]: String(offset) })
    }
    if (offset > MAX_OFFSET) throw new Error('flags: the stored offset is past 2^32-1')
    redis.setbit(on!, offset, state === '1' ? 1 : 0)
    redis.setbit(off!, offset, state === '0' ? 1 : 0)
    redis.sadd(names!, [flag!])
    return offset
  },
})

const CHECK_LUA = `local out = {0}
if ARGV[2] == '1' then
  local names = redis.call('SMEMBERS', KEYS[2])
  out[1] = #names
  for i = 1, #names do out[#out + 1] = names[i] end
end
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local offset
if raw and string.match(raw, '^%d+$') and tonumber(raw) <= ${MAX_OFFSET} then offset = tonumber(raw) end
for i = 1, (#KEYS - 3) / 2 do
  local on, off = 0, 0
  if offset then
    on = redis.call('GETBIT', KEYS[2 + 2 * i], offset)
    off = redis.call('GETBIT', KEYS[3 + 2 * i], offset)
  end
  out[#out + 1] = on
  out[#out + 1] = off
  out[#out + 1] = redis.call('HGET', KEYS[3], ARGV[2 + i]) or ''
end
return out`

const checks = new Map<number, Script<(string | number)[]>>()

/**
 * Reads a user's state for `count` flags in one call: [nNames, ...names (when ARGV[2] = '1'),
 * then per flag: on bit, off bit, rollout percentage or ''] (names in no particular order).
 * Read-only (not journaled). One script per flag count (the same Lua, so one SHA on Redis).
 * KEYS: ids, names, rollout, then on/off per flag. ARGV: userId, '1' | '0', ...flags.
 */
export function checkFlags(count: number): Script<(string | number)[]> {
  let script = checks.get(count)
  if (script) return script
  const keys = ['ids', 'names', 'rollout']
  for (let i = 1; i <= count; i++) keys.push(`on${i}`, `off${i}`)
  script = defineScript<(string | number)[]>({
    name: `flags:check/${count}`,
    keys,
    durable: false,
    lua: CHECK_LUA,
    run: (redis, [ids, names, rollout, ...bits], [userId, withNames, ...flags]) => {
      const out: (string | number)[] = [0]
      if (withNames === '1') {
        const members = redis.smembers(names!)
        out[0] = members.length
        out.push(...members)
      }
      const raw = redis.hget(ids!, userId!)
      const offset = raw !== null && DIGITS.test(raw) && Number(raw) <= MAX_OFFSET ? Number(raw) : null
      for (let i = 0; i < count; i++) {
        const on = offset === null ? 0 : redis.getbit(bits[2 * i]!, offset)
        const off = offset === null ? 0 : redis.getbit(bits[2 * i + 1]!, offset)
        out.push(on, off, redis.hget(rollout!, flags[i]!) ?? '')
      }
      return out
    },
  })
  if (checks.size < 64) checks.set(count, script)
  return script
}
