/**
 * The stream commands' entries of the command table (see commands.ts): their keys, whether they
 * write, and their argument checks. Every store runs these checks first, so bad ids, counts and
 * trim options fail the same way everywhere, before anything is sent.
 */
import { invalidArgument } from '../errors.js'
import { describe } from '../internal/keys.js'
import { assertInteger, assertKey, assertValue } from '../internal/validate.js'
import { type AnyArgs, type CheckContext, type CommandSpec, oneKey } from './command-spec.js'
import { assertStreamId, type IdForm } from './stream-ids.js'
import type { StreamCommands } from './stream-types.js'

function assertOptions(o: unknown, what: string): asserts o is Record<string, unknown> | undefined {
  if (o !== undefined && (typeof o !== 'object' || o === null || Array.isArray(o)))
    throw invalidArgument(`${what} must be an object (got ${describe(o)})`)
}

function assertCount(n: unknown, what: string, min: number): void {
  if (n !== undefined && (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min))
    throw invalidArgument(`${what} must be a whole number >= ${min} (got ${describe(n)})`)
}

function assertFlag(b: unknown, what: string): void {
  if (b !== undefined && typeof b !== 'boolean') throw invalidArgument(`${what} must be a boolean`)
}

function checkFields(fields: unknown, ctx: CheckContext): void {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields) || Buffer.isBuffer(fields))
    throw invalidArgument(`stream fields must be an object of field → value (got ${describe(fields)})`)
  const entries = Object.entries(fields)
  if (entries.length === 0) throw invalidArgument('xadd needs at least one field')
  for (const [field, value] of entries)
    assertValue(value, ctx.maxValueBytes, `field ${JSON.stringify(field)}`)
}

/** Checks StreamTrim: one of maxlen and minid; limit only with approximate (as Redis requires). */
export function checkTrim(trim: unknown): void {
  assertOptions(trim, 'trim')
  if (trim === undefined) throw invalidArgument('xtrim needs { maxlen } or { minid }')
  if ((trim.maxlen === undefined) === (trim.minid === undefined))
    throw invalidArgument('trim takes exactly one of maxlen and minid')
  if (trim.maxlen !== undefined) assertCount(trim.maxlen, 'trim.maxlen', 0)
  else assertStreamId(trim.minid, 'strict', 'trim.minid')
  assertFlag(trim.approximate, 'trim.approximate')
  if (trim.limit !== undefined) {
    if (trim.approximate !== true)
      throw invalidArgument('trim.limit needs approximate: true (Redis: LIMIT needs ~)')
    assertCount(trim.limit, 'trim.limit', 0)
  }
}

function checkReadOptions(o: unknown, what: string): void {
  assertOptions(o, what)
  if (!o) return
  assertCount(o.count, `${what}.count`, 1)
  if (o.block !== undefined) assertCount(o.block, `${what}.block (milliseconds)`, 1)
  if (
    o.signal !== undefined &&
    (typeof o.signal !== 'object' || o.signal === null || !('aborted' in o.signal))
  )
    throw invalidArgument(`${what}.signal must be an AbortSignal`)
}

function checkCursors(streams: unknown, form: IdForm): void {
  if (!Array.isArray(streams) || streams.length === 0)
    throw invalidArgument('streams must be a non-empty array of [key, id] pairs')
  for (const pair of streams) {
    if (!Array.isArray(pair) || pair.length !== 2)
      throw invalidArgument(`each stream must be a [key, id] pair (got ${describe(pair)})`)
    assertKey(pair[0], 'stream key')
    assertStreamId(pair[1], form, `the id of ${JSON.stringify(pair[0])}`)
  }
}

function checkIds(ids: unknown): void {
  if (!Array.isArray(ids) || ids.length === 0) throw invalidArgument('ids must be a non-empty array of ids')
  for (const id of ids) assertStreamId(id, 'strict', 'each id')
}

const cursorKeys = (streams: AnyArgs): string[] => (streams as [string, string][]).map(([key]) => key)
const blockOf = (o: unknown) => (o as { block?: number } | undefined)?.block ?? 0
const group = (a: AnyArgs) => assertKey(a[1], 'group')

/** A write that only matters now (it moves a delivery): a FailoverStore never replays it. */
const noReplay = (check: (a: AnyArgs) => void): CommandSpec => ({ ...oneKey(true, check), replay: false })

export const STREAM_COMMANDS: { readonly [K in keyof StreamCommands]: CommandSpec } = {
  xadd: oneKey(true, (a, ctx) => {
    checkFields(a[1], ctx)
    assertOptions(a[2], 'xadd options')
    if (!a[2]) return
    if (a[2].id !== undefined) assertStreamId(a[2].id, 'add', 'xadd id')
    assertFlag(a[2].nomkstream, 'nomkstream')
    if (a[2].trim !== undefined) checkTrim(a[2].trim)
  }),
  xrange: oneKey(false, (a) => {
    assertStreamId(a[1], 'interval', 'xrange start')
    assertStreamId(a[2], 'interval', 'xrange end')
    assertOptions(a[3], 'xrange options')
    assertCount(a[3]?.count, 'count', 1)
  }),
  xrevrange: oneKey(false, (a) => {
    assertStreamId(a[1], 'interval', 'xrevrange end')
    assertStreamId(a[2], 'interval', 'xrevrange start')
    assertOptions(a[3], 'xrevrange options')
    assertCount(a[3]?.count, 'count', 1)
  }),
  xlen: oneKey(false),
  xtrim: oneKey(true, (a) => checkTrim(a[1])),
  xdel: oneKey(true, (a) => checkIds(a[1])),
  xread: {
    write: false,
    sameSlot: true,
    keys: (a) => cursorKeys(a[0]),
    blockMs: (a) => blockOf(a[1]),
    check(a) {
      checkCursors(a[0], 'read')
      checkReadOptions(a[1], 'xread options')
    },
  },
  xgroupCreate: oneKey(true, (a) => {
    group(a)
    assertStreamId(a[2], 'group-create', 'xgroupCreate id')
    assertOptions(a[3], 'xgroupCreate options')
    assertFlag(a[3]?.mkstream, 'mkstream')
  }),
  xgroupDestroy: oneKey(true, group),
  xgroupCreateConsumer: oneKey(true, (a) => {
    group(a)
    assertKey(a[2], 'consumer')
  }),
  xgroupDelConsumer: oneKey(true, (a) => {
    group(a)
    assertKey(a[2], 'consumer')
  }),
  xreadgroup: {
    write: true,
    replay: false,
    sameSlot: true,
    keys: (a) => cursorKeys(a[2]),
    blockMs: (a) => blockOf(a[3]),
    check(a) {
      assertKey(a[0], 'group')
      assertKey(a[1], 'consumer')
      checkCursors(a[2], 'group-read')
      checkReadOptions(a[3], 'xreadgroup options')
      assertFlag(a[3]?.noack, 'noack')
    },
  },
  xack: oneKey(true, (a) => {
    group(a)
    checkIds(a[2])
  }),
  xpending: oneKey(false, group),
  xpendingRange: oneKey(false, (a) => {
    group(a)
    assertStreamId(a[2], 'interval', 'xpendingRange start')
    assertStreamId(a[3], 'interval', 'xpendingRange end')
    assertCount(a[4], 'count', 1)
    if (a[4] === undefined) throw invalidArgument('xpendingRange needs a count')
    assertOptions(a[5], 'xpendingRange options')
    if (a[5]?.consumer !== undefined) assertKey(a[5].consumer, 'consumer')
    assertCount(a[5]?.minIdleMs, 'minIdleMs', 0)
  }),
  xclaim: noReplay((a) => {
    group(a)
    assertKey(a[2], 'consumer')
    assertCount(a[3], 'minIdleMs', 0)
    assertInteger(a[3], 'minIdleMs')
    checkIds(a[4])
    assertOptions(a[5], 'xclaim options')
    if (!a[5]) return
    assertCount(a[5].idleMs, 'idleMs', 0)
    assertCount(a[5].timeMs, 'timeMs', 0)
    assertCount(a[5].retryCount, 'retryCount', 0)
    assertFlag(a[5].force, 'force')
  }),
  xautoclaim: noReplay((a) => {
    group(a)
    assertKey(a[2], 'consumer')
    assertCount(a[3], 'minIdleMs', 0)
    assertInteger(a[3], 'minIdleMs')
    assertStreamId(a[4], 'interval', 'xautoclaim start')
    assertOptions(a[5], 'xautoclaim options')
    assertCount(a[5]?.count, 'count', 1)
  }),
  xinfoStream: oneKey(false),
  xinfoGroups: oneKey(false),
  xinfoConsumers: oneKey(false, group),
}
