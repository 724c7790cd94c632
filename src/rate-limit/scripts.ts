/**
 * The rate-limit scripts as Store scripts. The check is one Lua text whose KEYS count depends on
 * how many limits it checks and whether analytics is on, so it is defined once per shape (same
 * Lua, same SHA), and once more per algorithm when all its limits share one. Checks are
 * decisions that only matter now: `durable: false`, never journaled or replayed by a
 * FailoverStore. A block is a set, safe to replay: `idempotent: true`.
 */
import { defineScript } from '../stores/define-script.js'
import type { Script, ScriptContext } from '../stores/types.js'
import { ALL_ALGORITHMS, checkLua } from './check-lua.js'
import { runCheck } from './check-twin.js'

/** Most limits one `checkAll` takes (each is one key of one script). */
export const MAX_LIMITS = 8

const shapes = new Map<string, Script<string>>()

/**
 * The check script for `limits` limits, with or without the analytics keys, for limits of the
 * `algorithms` given (one letter: a script with only that algorithm's Lua; ALL_ALGORITHMS for
 * a mix). The twin is the same for all of them.
 */
export function checkScript(limits: number, analytics: boolean, algorithms = ALL_ALGORITHMS): Script<string> {
  const shape = `${limits}:${analytics ? 'a' : '-'}:${algorithms}`
  let script = shapes.get(shape)
  if (!script) {
    const limitKeys = Array.from({ length: limits }, (_, i) => `limit${i + 1}`)
    const only = algorithms === ALL_ALGORITHMS ? '' : `-${algorithms}`
    script = defineScript<string>({
      name: `rate-limit-check-${limits}${analytics ? '-analytics' : ''}${only}`,
      keys: ['block', ...(analytics ? ['stats', 'top'] : []), ...limitKeys],
      lua: checkLua(algorithms),
      run: runCheck,
      durable: false,
    })
    shapes.set(shape, script)
  }
  return script
}

function clock(redis: ScriptContext, now: string): number {
  if (now !== '') return Number(now)
  const [seconds, micros] = redis.time()
  return seconds * 1000 + Math.floor(micros / 1000)
}

/**
 * Blocks an identifier: KEYS block; ARGV now ('' → TIME), ms. The value is the end of the
 * block on the Redis clock, so a check can tell how long is left. Returns that end (ms).
 */
export const blockScript = defineScript<number>({
  name: 'rate-limit-block',
  keys: ['block'],
  lua: `local t
if ARGV[1] == '' then
  local now = redis.call('TIME')
  t = now[1] * 1000 + math.floor(now[2] / 1000)
else
  t = ARGV[1] + 0
end
local ms = ARGV[2] + 0
redis.call('SET', KEYS[1], string.format('%d', t + ms), 'PX', ms)
return t + ms`,
  run: (redis, [key], [now, ms]) => {
    const t = clock(redis, now!)
    redis.set(key!, String(t + Number(ms)), { px: Number(ms) })
    return t + Number(ms)
  },
  idempotent: true,
})
