/**
 * Runs one symbolic command sequence on a MemoryStore and on a RedisStore and compares every
 * reply (values deep-equal with Object.is for numbers, so -0 and 0 differ; errors by `code`)
 * and then the final state of every key. Redis is the truth: a failure names the first command
 * whose outcome differs and prints the whole trace.
 */
import { inspect, isDeepStrictEqual } from 'node:util'
import { isKitError } from '../../../src/errors.js'
import { COMMANDS } from '../../../src/stores/commands.js'
import type { CommandName, Script, Store } from '../../../src/stores/types.js'
import { CHANNEL, type SymbolicCommand } from './arbitraries.js'
import { dumpState } from './model-dump.js'
import { normalizeStreamReply } from './stream-normalize.js'

export type Outcome = { ok: unknown } | { err: string } | { skipped: string }

export interface ParityRun {
  memory: Store
  redis: Store
  /** Symbolic key → the real key in this run (all of them are dumped at the end). */
  keys: Readonly<Record<string, string>>
  /** The real channel of this run, for the symbolic CHANNEL. */
  channel: string
  commands: readonly SymbolicCommand[]
  /** Applied to both replies of an `eval` before they are compared (e.g. TIME: compare the shape). */
  normalizeScriptReply?: (reply: unknown) => unknown
  /** When given, counts each command's outcome on Redis (`set ok`, `set WRONGTYPE`, `get empty`…). */
  coverage?: Map<string, number>
}

const isEmpty = (v: unknown) =>
  v === null || v === 0 || v === false || (Array.isArray(v) && v.length === 0) || v === undefined

function count(coverage: Map<string, number>, command: SymbolicCommand, outcome: Outcome): void {
  const label =
    'err' in outcome ? outcome.err : 'skipped' in outcome ? 'skipped' : isEmpty(outcome.ok) ? 'empty' : 'ok'
  const key = `${command[0]} ${label}`
  coverage.set(key, (coverage.get(key) ?? 0) + 1)
  if (command[0] === 'batch' && 'ok' in outcome) {
    for (const c of command[1] as SymbolicCommand[]) count(coverage, c, { ok: 1 })
  }
}

/** Maps symbolic keys to real ones, in top-level arguments and (nested) arrays only. */
export function resolve(value: unknown, names: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return Object.hasOwn(names, value) ? names[value] : value
  if (Array.isArray(value)) return value.map((v) => resolve(v, names))
  return value
}

const BIT_COMMANDS = new Set(['setbit', 'getbit', 'bitcount', 'bitop'])
const HLL_MAGIC = Buffer.from('HYLL')

const isHllBytes = (v: unknown) =>
  (Buffer.isBuffer(v) && v.subarray(0, 4).equals(HLL_MAGIC)) ||
  (typeof v === 'string' && v.startsWith('HYLL'))

/**
 * HyperLogLogs are compared by PFCOUNT only: the memory store writes them dense, Redis starts
 * them sparse, so their bytes differ. Bit commands on an HLL are skipped (their results depend
 * on the bytes), and HLL bytes read by GET and friends are replaced by a marker.
 */
async function touchesHll(memory: Store, command: SymbolicCommand): Promise<boolean> {
  const [name, ...args] = command
  if (name === 'batch') {
    for (const c of args[0] as SymbolicCommand[]) if (await touchesHll(memory, c)) return true
    return false
  }
  if (!BIT_COMMANDS.has(name)) return false
  for (const key of COMMANDS[name as CommandName].keys(args)) {
    const bytes = await memory.getBuffer(key).catch(() => null)
    if (isHllBytes(bytes)) return true
  }
  return false
}

async function invoke(store: Store, command: SymbolicCommand): Promise<unknown> {
  const [name, ...args] = command
  if (name === 'batch') return store.batch(args[0] as never)
  if (name === 'eval') return store.eval(args[0] as Script, args[1] as string[], args[2] as never)
  return (store as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!(...args)
}

function normalize(name: string, value: unknown, run: ParityRun, command: SymbolicCommand): unknown {
  if (isHllBytes(value)) return '<hll bytes>'
  if (name === 'batch') {
    const commands = command[1] as SymbolicCommand[]
    return (value as unknown[]).map((v, i) => normalize(commands[i]![0], v, run, commands[i]!))
  }
  if (name === 'eval' && run.normalizeScriptReply) return run.normalizeScriptReply(value)
  if (name === 'smembers') return [...(value as string[])].sort()
  if (name.startsWith('x')) return normalizeStreamReply(value)
  if (Array.isArray(value)) return value.map((v) => (isHllBytes(v) ? '<hll bytes>' : v))
  return value
}

async function outcome(store: Store, command: SymbolicCommand, run: ParityRun): Promise<Outcome> {
  try {
    return { ok: normalize(command[0], await invoke(store, command), run, command) }
  } catch (err) {
    return { err: isKitError(err) ? err.code : `not a RedisKitError: ${inspect(err)}` }
  }
}

/** TTL replies depend on elapsed time: positive ones may differ by the time a sequence takes. */
function close(name: string, a: unknown, b: unknown, command: SymbolicCommand): boolean {
  if (name === 'batch') {
    const commands = command[1] as SymbolicCommand[]
    const [x, y] = [a as unknown[], b as unknown[]]
    return x.length === y.length && x.every((v, i) => close(commands[i]![0], v, y[i], commands[i]!))
  }
  if ((name === 'ttl' || name === 'pttl') && typeof a === 'number' && typeof b === 'number' && a > 0) {
    return b > 0 && Math.abs(a - b) <= (name === 'ttl' ? 10 : 10_000)
  }
  if (INTEGER_REPLIES.has(name)) return sameInteger(a, b)
  return isDeepStrictEqual(a, b)
}

/**
 * ioredis 6.0.0 decodes integer replies digit by digit as `n * 10 + byte - 48`: the intermediate
 * passes 2^53 early, so the last 48 integers below 2^53 come out off by one and larger ones are
 * not rounded as Number() rounds them (fixed upstream in redis/ioredis#2164, not yet released).
 * Integer replies that large are compared to a few units in the last place; all others exactly.
 */
const INTEGER_REPLIES = new Set(['incrby', 'hincrby', 'eval'])
const NEAR_2_53 = 2 ** 53 - 64

function sameInteger(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameInteger(v, b[i]))
  if (typeof a === 'number' && typeof b === 'number' && Math.abs(a) >= NEAR_2_53) {
    return Math.abs(a - b) <= Math.abs(a) * 2 ** -48
  }
  return isDeepStrictEqual(a, b)
}

export function sameOutcome(command: SymbolicCommand, m: Outcome, r: Outcome): boolean {
  if ('ok' in m && 'ok' in r) return close(command[0], m.ok, r.ok, command)
  return isDeepStrictEqual(m, r)
}

const show = (v: unknown) => inspect(v, { depth: 6, breakLength: Number.POSITIVE_INFINITY })

function describeCommand(command: SymbolicCommand): string {
  const [name, ...args] = command
  if (name === 'eval') return `eval(${(args[0] as Script).name}, ${show(args.slice(1)).slice(1, -1)})`
  return `${name}(${show(args).slice(1, -1)})`
}

function trace(commands: readonly SymbolicCommand[], m: Outcome[], r: Outcome[], bad: number): string {
  return commands
    .map((c, i) => {
      const mark = i === bad ? '>>' : '  '
      return `${mark} #${i} ${describeCommand(c)}\n     memory: ${show(m[i])}\n     redis:  ${show(r[i])}`
    })
    .join('\n')
}

/** Runs the sequence on both stores; throws an Error naming the first difference. */
export async function assertParity(run: ParityRun): Promise<void> {
  const { memory, redis, keys } = run
  const names = { ...keys, [CHANNEL]: run.channel }
  // an eval's ARGV is data: only its KEYS are symbolic
  const commands = run.commands.map(
    (c): SymbolicCommand =>
      c[0] === 'eval' ? ['eval', c[1], resolve(c[2], names), c[3]] : (resolve(c, names) as SymbolicCommand),
  )
  const m: Outcome[] = []
  const skip: boolean[] = []
  for (const command of commands) {
    skip.push(await touchesHll(memory, command))
    m.push(skip.at(-1) ? { skipped: 'touches a HyperLogLog' } : await outcome(memory, command, run))
  }
  const r: Outcome[] = []
  for (const [i, command] of commands.entries()) {
    r.push(skip[i] ? { skipped: 'touches a HyperLogLog' } : await outcome(redis, command, run))
  }
  if (run.coverage) for (const [i, c] of commands.entries()) count(run.coverage, c, r[i]!)
  const bad = commands.findIndex((c, i) => !sameOutcome(c, m[i]!, r[i]!))
  if (bad !== -1) {
    throw new Error(`memory and Redis replied differently at #${bad}:\n${trace(commands, m, r, bad)}`)
  }
  const [ms, rs] = [await dumpState(memory, keys), await dumpState(redis, keys)]
  if (!isDeepStrictEqual(ms, rs)) {
    throw new Error(
      `the final states differ:\n  memory: ${show(ms)}\n  redis:  ${show(rs)}\n${trace(commands, m, r, -1)}`,
    )
  }
}
