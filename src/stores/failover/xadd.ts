/**
 * XADD through a FailoverStore. An append is not idempotent (with `*`, every run adds an entry),
 * so it is sent like a counting write: inside the op-id guard (guard.ts), which records the op
 * id atomically with the append, so that a write whose outcome was lost (a timeout, a frozen
 * server that runs it later) and is replayed from the journal appends once.
 *
 * While Redis is down the fallback assigns the id. The journal keeps that id and the replay
 * appends with it, so the ids readers saw during the outage (an SSE client's Last-Event-ID)
 * stay valid on Redis. When Redis already holds a larger id (another process appended since, or
 * its clock is ahead) the replay falls back to the original `*` / `ms-*` rather than lose the
 * entry. An explicit id given by the caller is never replaced.
 */
import { defineScript } from '../define-script.js'
import type { StreamTrim, XAddOptions } from '../stream-types.js'
import type { StoreValue } from '../types.js'

/** ARGV: [id, retryId|'', nomkstream '1'|'', MAXLEN|MINID|'', '~'|'=', threshold, limit|'', ...pairs] */
export const XADD_SCRIPT = defineScript<string | null>({
  name: 'xadd',
  keys: ['stream'],
  lua: `local args = {'XADD', KEYS[1]}
if ARGV[3] == '1' then args[#args + 1] = 'NOMKSTREAM' end
if ARGV[4] ~= '' then
  args[#args + 1] = ARGV[4]
  args[#args + 1] = ARGV[5]
  args[#args + 1] = ARGV[6]
  if ARGV[7] ~= '' then
    args[#args + 1] = 'LIMIT'
    args[#args + 1] = ARGV[7]
  end
end
local at = #args + 1
args[at] = ARGV[1]
for i = 8, #ARGV do args[#args + 1] = ARGV[i] end
if ARGV[2] == '' then return redis.call(unpack(args)) end
local reply = redis.pcall(unpack(args))
if type(reply) == 'table' and reply.err then
  if string.find(reply.err, 'equal or smaller', 1, true) then
    args[at] = ARGV[2]
    return redis.call(unpack(args))
  end
  return redis.error_reply(reply.err)
end
return reply`,
  run: (redis, [key], [id, retry, nomkstream, strategy, op, threshold, limit, ...pairs]) => {
    const fields: Record<string, string> = Object.create(null)
    for (let i = 0; i + 1 < pairs.length; i += 2) fields[pairs[i]!] = pairs[i + 1]!
    let trim: StreamTrim | undefined
    if (strategy) {
      trim = strategy === 'MAXLEN' ? { maxlen: Number(threshold) } : { minid: threshold! }
      trim.approximate = op === '~'
      if (limit) trim.limit = Number(limit)
    }
    const options: XAddOptions = { id: id!, nomkstream: nomkstream === '1', ...(trim ? { trim } : {}) }
    try {
      return redis.xadd(key!, fields, options)
    } catch (err) {
      if (!retry || !/equal or smaller/.test((err as Error).message)) throw err
      return redis.xadd(key!, fields, { ...options, id: retry })
    }
  },
})

/** The guarded script's ARGV for `xadd(key, fields, options)`; args[3]: the id to fall back to. */
export function xaddArgv(args: unknown[]): StoreValue[] {
  const [, fields, options, retry] = args as [string, Record<string, StoreValue>, XAddOptions?, string?]
  const trim = options?.trim
  const argv: StoreValue[] = [options?.id ?? '*', retry ?? '', options?.nomkstream ? '1' : '']
  if (trim) {
    argv.push(trim.maxlen !== undefined ? 'MAXLEN' : 'MINID', trim.approximate ? '~' : '=')
    argv.push(trim.maxlen ?? trim.minid!, trim.limit ?? '')
  } else argv.push('', '', '', '')
  for (const name of Object.keys(fields)) argv.push(name, fields[name]!)
  return argv
}

/**
 * The journal's form of an XADD the fallback served: with the id the fallback assigned, and
 * the caller's `*` / `ms-*` to fall back to on replay.
 */
export function xaddForReplay(args: unknown[], assigned: unknown): unknown[] {
  const [key, fields, options] = args as [string, unknown, XAddOptions?]
  const spec = options?.id ?? '*'
  if (typeof assigned !== 'string' || !(spec === '*' || spec.endsWith('-*'))) return args
  return [key, fields, { ...options, id: assigned }, spec]
}
