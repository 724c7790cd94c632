/**
 * Exactly-once writes across timeouts and replays. A write that is not idempotent (INCRBY,
 * ZINCRBY, a counting script) is sent wrapped in a guard script that records an operation id in
 * an op log (a sorted set in the same cluster slot) atomically with the write, and skips the
 * write when the id is already there. A write whose outcome was lost to a timeout is journaled
 * with the same id, so its replay is a no-op if it did run. The ids of acknowledged writes are
 * removed from the log by the next guarded write on the same slot, so the log stays small. Ids
 * older than the retention leave it now and then: on a write whose op id's last byte is a
 * multiple of 16 (1 in 18 of the ids an OpLog makes), which spares the other writes a command.
 */
import { defineScript } from '../define-script.js'
import { formatDouble } from '../lua.js'
import { parseScore } from '../redis-commands.js'
import type { Script, ScriptReply } from '../types.js'
import { LIST_SCRIPTS } from './lists.js'
import { XADD_SCRIPT } from './xadd.js'

/**
 * Lua's `string.byte(text, -1) % 16` (0 when empty): the last UTF-8 byte of a character keeps its
 * code point's low 6 bits, and so does the last UTF-16 unit, so the last unit's low 4 bits do.
 */
function lastByteMod16(text: string): number {
  return text === '' ? 0 : text.charCodeAt(text.length - 1) % 16
}

/** What a guarded run returns when its op id was already applied. */
export const DUPLICATE = '__redis-kit:duplicate'

const guardedScripts = new WeakMap<Script, Script>()

/**
 * The guarded form of a script. KEYS: [opLog, ...script keys]; ARGV: [opId, retentionMs,
 * ackCount, ...ackedIds, ...script args]. The original body runs as a function whose
 * parameters shadow KEYS and ARGV, so it sees exactly the keys and args it was written for.
 */
export function guarded(script: Script): Script {
  const existing = guardedScripts.get(script)
  if (existing) return existing
  const lua = `local log = KEYS[1]
local id = ARGV[1]
local retention = ARGV[2] + 0
local acks = ARGV[3] + 0
if acks > 0 then redis.call('ZREM', log, unpack(ARGV, 4, 3 + acks)) end
if redis.call('ZSCORE', log, id) then return '${DUPLICATE}' end
local keys = {}
for i = 2, #KEYS do keys[i - 1] = KEYS[i] end
local argv = {}
for i = 4 + acks, #ARGV do argv[#argv + 1] = ARGV[i] end
local function body(KEYS, ARGV)
${script.lua}
end
local result = body(keys, argv)
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if (string.byte(id, -1) or 0) % 16 == 0 then
  redis.call('ZREMRANGEBYSCORE', log, '-inf', string.format('%d', now - retention))
end
redis.call('ZADD', log, string.format('%d', now), id)
redis.call('PEXPIRE', log, ARGV[2])
return result`
  const wrapped = defineScript<ScriptReply>({
    name: `guarded:${script.name}`,
    keys: ['opLog', ...script.keys],
    lua,
    durable: script.durable,
    idempotent: true,
    run: (redis, [log, ...keys], [id, retention, ackCount, ...rest]) => {
      const acks = Number(ackCount)
      if (acks > 0) redis.zrem(log!, rest.slice(0, acks))
      if (redis.zscore(log!, id!) !== null) return DUPLICATE
      const result = script.run(redis, keys, rest.slice(acks))
      const [seconds, micros] = redis.time()
      const now = seconds * 1000 + Math.floor(micros / 1000)
      if (lastByteMod16(id!) === 0) redis.zremrangebyscore(log!, '-inf', now - Number(retention))
      redis.zadd(log!, [{ member: id!, score: now }])
      redis.pexpire(log!, Number(retention))
      return result
    },
  })
  guardedScripts.set(script, wrapped)
  return wrapped
}

/** The commands that are not idempotent (counts, appends, pops), as scripts that a guard can wrap. */
export const COUNTING_COMMANDS = {
  incrby: defineScript({
    name: 'incrby',
    keys: ['key'],
    // the stored string, not the Lua number: Lua's doubles would round results past 2^53
    lua: "redis.call('INCRBY', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])",
    run: (redis, [key], [by]) => {
      redis.incrby(key!, Number(by))
      return redis.get(key!)
    },
  }),
  incrbyfloat: defineScript({
    name: 'incrbyfloat',
    keys: ['key'],
    lua: "return redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])",
    run: (redis, [key], [by]) => {
      redis.incrbyfloat(key!, Number(by))
      return redis.get(key!)
    },
  }),
  hincrby: defineScript({
    name: 'hincrby',
    keys: ['key'],
    lua: "redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2]) return redis.call('HGET', KEYS[1], ARGV[1])",
    run: (redis, [key], [field, by]) => {
      redis.hincrby(key!, field!, Number(by))
      return redis.hget(key!, field!)
    },
  }),
  zincrby: defineScript({
    name: 'zincrby',
    keys: ['key'],
    lua: "return redis.call('ZINCRBY', KEYS[1], ARGV[1], ARGV[2])",
    run: (redis, [key], [by, member]) => formatDouble(redis.zincrby(key!, parseScore(by), member!)),
  }),
  xadd: XADD_SCRIPT,
  ...LIST_SCRIPTS,
} as const satisfies Record<string, Script>

export type CountingCommand = keyof typeof COUNTING_COMMANDS
