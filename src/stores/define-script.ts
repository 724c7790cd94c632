/**
 * Scripts as typed data: Lua for Redis, a synchronous JavaScript twin for the memory store, and
 * the SHA1 for EVALSHA, in one object. The parity suite runs both on the same inputs.
 */
import { createHash } from 'node:crypto'
import { invalidArgument, RedisKitError } from '../errors.js'
import { sameSlot } from '../internal/slot.js'
import type { Script, ScriptContext, ScriptReply, StoreValue } from './types.js'

export interface ScriptDefinition<R extends ScriptReply> {
  /** A unique, descriptive name (shown in errors). */
  name: string
  /** The names of the KEYS, in order. Every call passes exactly this many keys. */
  keys: readonly string[]
  /** The Lua body. Keys only through KEYS, data only through ARGV. */
  lua: string
  /** The twin, run by the memory store: the same effects and the same reply as the Lua. */
  run: (redis: ScriptContext, keys: string[], argv: string[]) => R
  /**
   * Whether its effects matter after a Redis outage: a FailoverStore journals a durable script
   * run on the fallback and replays it on Redis. Rate-limit checks and cache leases are not.
   * @default true
   */
  durable?: boolean
  /**
   * Whether running it twice is harmless (it sets rather than adds). A FailoverStore runs a
   * script that is not idempotent with an operation id, so an outcome lost to a timeout is
   * never applied twice on replay. @default false
   */
  idempotent?: boolean
}

/** Defines a script. The result is frozen and can be shared by every store. */
export function defineScript<R extends ScriptReply>(definition: ScriptDefinition<R>): Script<R> {
  const { name, keys, lua, run, durable = true, idempotent = false } = definition
  if (typeof name !== 'string' || !name) throw invalidArgument('defineScript needs a name')
  if (typeof lua !== 'string' || !lua.trim())
    throw invalidArgument(`script ${name}: lua must be a non-empty string`)
  if (typeof run !== 'function')
    throw invalidArgument(`script ${name}: run (the JavaScript twin) must be a function`)
  if (!Array.isArray(keys)) throw invalidArgument(`script ${name}: keys must be an array of key names`)
  const sha1 = createHash('sha1').update(lua).digest('hex')
  return Object.freeze({ name, keys: Object.freeze([...keys]), lua, sha1, run, durable, idempotent })
}

/**
 * Checks a script call: a script made by defineScript, its number of keys, all of them in one
 * cluster slot (a shared `{hash tag}`, on every store, so that a script that works on memory also
 * works on Redis Cluster), and arguments that are strings, Buffers or finite numbers. Throws a
 * typed error; allocates nothing (the RedisStore sends the arguments as they are).
 */
export function checkScriptCall(script: Script, keys: readonly string[], args: readonly StoreValue[]): void {
  if (!script || typeof script.sha1 !== 'string')
    throw invalidArgument('eval needs a script made by defineScript()')
  if (!Array.isArray(keys) || keys.length !== script.keys.length) {
    throw invalidArgument(
      `script ${script.name} takes ${script.keys.length} keys (${script.keys.join(', ')})`,
    )
  }
  for (const key of keys) {
    if (typeof key !== 'string') throw invalidArgument(`script ${script.name}: every key must be a string`)
  }
  if (!sameSlot(keys)) {
    throw new RedisKitError(
      'CROSSSLOT',
      `script ${script.name}: its keys hash to different cluster slots; give them a shared {hash tag}`,
    )
  }
  if (!Array.isArray(args)) throw invalidArgument(`script ${script.name}: args must be an array`)
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (typeof arg === 'string' || (typeof arg === 'number' && Number.isFinite(arg)) || Buffer.isBuffer(arg))
      continue
    throw invalidArgument(`script ${script.name}: argument ${i} must be a string, Buffer or finite number`)
  }
}

/** checkScriptCall, then the arguments as the strings Lua sees in ARGV (what the twins get). */
export function prepareScriptCall(
  script: Script,
  keys: readonly string[],
  args: readonly StoreValue[],
): string[] {
  checkScriptCall(script, keys, args)
  let text = true
  for (let i = 0; i < args.length && text; i++) text = typeof args[i] === 'string'
  if (text) return args as string[] // the common case: nothing to convert, nothing to copy
  // twins see UTF-8 text; Lua sees the bytes
  return args.map((arg) => (Buffer.isBuffer(arg) ? arg.toString('utf8') : String(arg)))
}

const INT64_LIMIT = 2 ** 63

/**
 * A Lua number as Redis replies it: C's (long long) cast, truncated toward zero (-0.5 → 0, never
 * -0); NaN, ±inf and values outside the int64 range come out as -2^63, as x86-64 converts them.
 */
function toInteger(n: number): number {
  if (!(n >= -INT64_LIMIT && n < INT64_LIMIT)) return -INT64_LIMIT
  return Math.trunc(n) + 0
}

/**
 * Applies Redis's Lua → reply conversion to a twin's result, so that twins may return plain
 * JavaScript: numbers are truncated to integers (see toInteger), true → 1, false → null, and an array stops
 * at its first null/undefined (a Lua table ends at its first nil).
 */
export function toScriptReply(value: unknown): ScriptReply {
  if (value === null || value === undefined || value === false) return null
  if (value === true) return 1
  if (typeof value === 'number') return toInteger(value)
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    const out: ScriptReply[] = []
    for (const item of value) {
      if (item === null || item === undefined) break
      out.push(toScriptReply(item))
    }
    return out
  }
  throw new RedisKitError('SCRIPT_ERROR', `a script twin returned an unsupported value (${typeof value})`)
}
