/**
 * List writes through a FailoverStore. None of them is idempotent: a push adds its values again,
 * a pop removes the next element, and LTRIM with a start past 0 drops more on each run. So each
 * is sent like a counting write, inside the op-id guard (guard.ts): one whose outcome was lost
 * (a timeout, a frozen server that runs it later) and is replayed from the journal runs once.
 */
import { defineScript } from '../define-script.js'
import type { Script, StoreValue } from '../types.js'

/** Lua's unpack is bounded by the C stack: values are pushed 1000 at a time (same result). */
function pushScript(command: 'lpush' | 'rpush') {
  return defineScript<number>({
    name: command,
    keys: ['list'],
    lua: `local n = 0
for i = 1, #ARGV, 1000 do
  n = redis.call('${command.toUpperCase()}', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
return n`,
    run: (redis, [key], values) => redis[command](key!, values),
  })
}

function popScript(command: 'lpop' | 'rpop') {
  return defineScript<string | null>({
    name: command,
    keys: ['list'],
    lua: `return redis.call('${command.toUpperCase()}', KEYS[1])`,
    run: (redis, [key]) => redis[command](key!),
  })
}

/** The list writes as scripts that the guard wraps. ARGV: the values, or LTRIM's start and stop. */
export const LIST_SCRIPTS = {
  lpush: pushScript('lpush'),
  rpush: pushScript('rpush'),
  lpop: popScript('lpop'),
  rpop: popScript('rpop'),
  ltrim: defineScript<string>({
    name: 'ltrim',
    keys: ['list'],
    lua: "return redis.call('LTRIM', KEYS[1], ARGV[1], ARGV[2])",
    run: (redis, [key], [start, stop]) => {
      redis.ltrim(key!, Number(start), Number(stop))
      return 'OK'
    },
  }),
} as const satisfies Record<string, Script>

type ListWrite = keyof typeof LIST_SCRIPTS

/** The guarded script's ARGV for each list write, from the command's arguments. */
export const LIST_ARGV: Record<ListWrite, (args: unknown[]) => StoreValue[]> = {
  lpush: (a) => [...(a[1] as StoreValue[])],
  rpush: (a) => [...(a[1] as StoreValue[])],
  lpop: () => [],
  rpop: () => [],
  ltrim: (a) => [String(a[1]), String(a[2])],
}

/** The guarded script's reply read as the command's: a popped element as text, LTRIM's OK as nothing. */
export function listReply(name: ListWrite, reply: unknown): unknown {
  if (name === 'ltrim') return undefined
  if (name === 'lpop' || name === 'rpop') return reply === null ? null : String(reply)
  return Number(reply)
}
