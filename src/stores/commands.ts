/**
 * What every Store needs to know about each command, in one table: which keys it touches (for
 * cluster slot grouping and the failover journal), whether it writes, and how its arguments are
 * checked. Both stores run `checkCommand` first, so bad input fails identically everywhere.
 */

import { invalidArgument, RedisKitError } from '../errors.js'
import { describe } from '../internal/keys.js'
import { sameSlot } from '../internal/slot.js'
import {
  assertBitOffset,
  assertChannel,
  assertFinite,
  assertInteger,
  assertKey,
  assertKeys,
  assertNotNaN,
  assertScoreBound,
  assertStrings,
  assertTtl,
  assertValue,
  assertValues,
} from '../internal/validate.js'
import {
  checkExpireMode,
  checkFieldMap,
  checkRange,
  checkScoredMembers,
  checkSetOptions,
  checkStartStop,
  checkZAddOptions,
} from './command-checks.js'
import { type AnyArgs, type CheckContext, type CommandSpec, oneKey } from './command-spec.js'
import { STREAM_COMMANDS } from './commands-streams.js'
import type { CommandName, Commands } from './types.js'

export type { CheckContext, CommandSpec } from './command-spec.js'

const list = (args: AnyArgs): string[] => args[0]
const destAndList = (args: AnyArgs): string[] => [args[0], ...args[1]]

function manyKeys(write: boolean): CommandSpec {
  return { write, keys: list, check: (args) => assertKeys(args[0]) }
}

const ZRANGE: CommandSpec = oneKey(false, checkRange)

const PUSH: CommandSpec = oneKey(true, (a, ctx) => assertValues(a[1], ctx.maxValueBytes, 'values'))

export const COMMANDS: { readonly [K in CommandName]: CommandSpec } = {
  get: oneKey(false),
  getBuffer: oneKey(false),
  set: oneKey(true, (a, ctx) => {
    assertValue(a[1], ctx.maxValueBytes)
    checkSetOptions(a[2])
  }),
  mget: manyKeys(false),
  mgetBuffer: manyKeys(false),
  incrby: oneKey(true, (a) => assertInteger(a[1], 'increment')),
  incrbyfloat: oneKey(true, (a) => assertFinite(a[1], 'increment')),
  getdel: oneKey(true),
  del: manyKeys(true),
  unlink: manyKeys(true),
  exists: manyKeys(false),
  expire: oneKey(true, (a) => {
    assertTtl(a[1], 'seconds')
    checkExpireMode(a[2])
  }),
  pexpire: oneKey(true, (a) => {
    assertTtl(a[1], 'milliseconds')
    checkExpireMode(a[2])
  }),
  ttl: oneKey(false),
  pttl: oneKey(false),
  persist: oneKey(true),
  type: oneKey(false),
  hset: oneKey(true, (a, ctx) => checkFieldMap(a[1], ctx)),
  hget: oneKey(false, (a) => assertKey(a[1], 'field')),
  hmget: oneKey(false, (a) => assertStrings(a[1], 'fields')),
  hgetall: oneKey(false),
  hdel: oneKey(true, (a) => assertStrings(a[1], 'fields')),
  hincrby: oneKey(true, (a) => {
    assertKey(a[1], 'field')
    assertInteger(a[2], 'increment')
  }),
  sadd: oneKey(true, (a) => assertStrings(a[1], 'members')),
  srem: oneKey(true, (a) => assertStrings(a[1], 'members')),
  smembers: oneKey(false),
  sismember: oneKey(false, (a) => assertKey(a[1], 'member')),
  scard: oneKey(false),
  lpush: PUSH,
  rpush: PUSH,
  lpop: oneKey(true),
  rpop: oneKey(true),
  llen: oneKey(false),
  lindex: oneKey(false, (a) => assertInteger(a[1], 'index')),
  lrange: oneKey(false, checkStartStop),
  ltrim: oneKey(true, checkStartStop),
  zadd: oneKey(true, (a) => {
    checkScoredMembers(a[1])
    checkZAddOptions(a[2])
  }),
  zincrby: oneKey(true, (a) => {
    assertNotNaN(a[1], 'increment')
    assertKey(a[2], 'member')
  }),
  zscore: oneKey(false, (a) => assertKey(a[1], 'member')),
  zrank: oneKey(false, (a) => assertKey(a[1], 'member')),
  zrange: ZRANGE,
  zrangeWithScores: ZRANGE,
  zrem: oneKey(true, (a) => assertStrings(a[1], 'members')),
  zcard: oneKey(false),
  zremrangebyrank: oneKey(true, checkStartStop),
  zremrangebyscore: oneKey(true, (a) => {
    assertScoreBound(a[1], 'min')
    assertScoreBound(a[2], 'max')
  }),
  zunionstore: {
    write: true,
    sameSlot: true,
    keys: destAndList,
    check(a) {
      assertKey(a[0], 'destination')
      assertKeys(a[1])
      const o = a[2] as { weights?: unknown; aggregate?: unknown } | undefined
      if (o?.weights !== undefined) {
        if (!Array.isArray(o.weights) || o.weights.length !== a[1].length) {
          throw invalidArgument('zunionstore weights must have one number per source key')
        }
        for (const w of o.weights) assertNotNaN(w, 'each weight')
      }
      if (o?.aggregate !== undefined && !['SUM', 'MIN', 'MAX'].includes(o.aggregate as string)) {
        throw invalidArgument(`aggregate must be 'SUM', 'MIN' or 'MAX' (got ${describe(o.aggregate)})`)
      }
    },
  },
  pfadd: oneKey(true, (a) => {
    if (!Array.isArray(a[1])) throw invalidArgument('pfadd elements must be an array of strings')
    for (const e of a[1]) assertKey(e, 'each element')
  }),
  pfcount: { ...manyKeys(false), sameSlot: true },
  pfmerge: {
    write: true,
    sameSlot: true,
    keys: destAndList,
    check(a) {
      assertKey(a[0], 'destination')
      assertKeys(a[1], 'sources', true)
    },
  },
  setbit: oneKey(true, (a) => {
    assertBitOffset(a[1])
    if (a[2] !== 0 && a[2] !== 1) throw invalidArgument(`bit value must be 0 or 1 (got ${describe(a[2])})`)
  }),
  getbit: oneKey(false, (a) => assertBitOffset(a[1])),
  bitcount: oneKey(false, (a) => {
    const r = a[1] as { start: unknown; end: unknown; unit?: unknown } | undefined
    if (r === undefined) return
    assertInteger(r.start, 'bitcount start')
    assertInteger(r.end, 'bitcount end')
    if (r.unit !== undefined && r.unit !== 'BYTE' && r.unit !== 'BIT') {
      throw invalidArgument(`bitcount unit must be 'BYTE' or 'BIT' (got ${describe(r.unit)})`)
    }
  }),
  bitop: {
    write: true,
    sameSlot: true,
    keys: (a) => [a[1], ...a[2]],
    check(a) {
      if (!['AND', 'OR', 'XOR', 'NOT'].includes(a[0])) {
        throw invalidArgument(`bitop operation must be 'AND', 'OR', 'XOR' or 'NOT' (got ${describe(a[0])})`)
      }
      assertKey(a[1], 'destination')
      assertKeys(a[2])
      if (a[0] === 'NOT' && a[2].length !== 1) throw invalidArgument('bitop NOT takes exactly one source key')
    },
  },
  publish: {
    write: false,
    keys: () => [],
    check(a, ctx) {
      assertChannel(a[0])
      assertValue(a[1], ctx.maxValueBytes, 'message')
      if (typeof a[1] === 'number') throw invalidArgument('message must be a string or a Buffer')
    },
  },
  ...STREAM_COMMANDS,
}

/** Validates a command's arguments; throws a RedisKitError naming the fix. */
export function checkCommand(name: CommandName, args: AnyArgs, ctx: CheckContext): void {
  const spec = COMMANDS[name]
  if (!spec || !Object.hasOwn(COMMANDS, name)) throw invalidArgument(`unknown command ${describe(name)}`)
  spec.check(args, ctx)
  if (spec.sameSlot) assertSameSlot(name, spec.keys(args))
}

/** Validates a command of a batch: also refuses blocking reads (they would hold the pipeline). */
export function checkBatchCommand(name: CommandName, args: AnyArgs, ctx: CheckContext): void {
  checkCommand(name, args, ctx)
  if ((COMMANDS[name].blockMs?.(args) ?? 0) > 0)
    throw invalidArgument(`${name} with block cannot run in a batch; call it on its own`)
}

/** Whether a FailoverStore journals the command (a write that matters after an outage). */
export function isReplayable(name: CommandName): boolean {
  const spec = COMMANDS[name]
  return spec.write && spec.replay !== false
}

function assertSameSlot(name: string, keys: string[]): void {
  if (!sameSlot(keys)) {
    throw new RedisKitError(
      'CROSSSLOT',
      `${name}: its keys hash to different cluster slots; give them a shared {hash tag} (e.g. '{user:1}:a', '{user:1}:b')`,
    )
  }
}

export type CommandArgs<K extends CommandName> = Parameters<Commands[K]>
