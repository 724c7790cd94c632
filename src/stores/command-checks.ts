/**
 * The argument checks of the commands whose options need more than a key or a value check (SET
 * and EXPIRE options, hash field maps, ZADD members and options, ranges): commands.ts uses them
 * in its table, so both stores refuse bad input with the same error.
 */
import { invalidArgument } from '../errors.js'
import { describe } from '../internal/keys.js'
import { assertInteger, assertScoreBound, assertTtl, assertValue } from '../internal/validate.js'
import type { AnyArgs, CheckContext } from './command-spec.js'

export function checkExpireMode(mode: unknown): void {
  if (mode !== undefined && mode !== 'NX' && mode !== 'XX' && mode !== 'GT' && mode !== 'LT') {
    throw invalidArgument(`expire mode must be 'NX', 'XX', 'GT' or 'LT' (got ${describe(mode)})`)
  }
}

export function checkSetOptions(options: unknown): void {
  if (options === undefined) return
  if (typeof options !== 'object' || options === null) throw invalidArgument('set options must be an object')
  const o = options as Record<string, unknown>
  if (o.ex !== undefined) assertTtl(o.ex, 'ex (seconds)')
  if (o.px !== undefined) assertTtl(o.px, 'px (milliseconds)')
  const expiries = [o.ex !== undefined, o.px !== undefined, o.keepTtl === true].filter(Boolean).length
  if (expiries > 1) throw invalidArgument('set options: use only one of ex, px and keepTtl')
  if (o.nx && o.xx) throw invalidArgument('set options: nx and xx cannot both be true')
}

export function checkFieldMap(fields: unknown, ctx: CheckContext): void {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw invalidArgument(`hash fields must be an object of field → value (got ${describe(fields)})`)
  }
  const entries = Object.entries(fields)
  if (entries.length === 0) throw invalidArgument('hset needs at least one field')
  for (const [field, value] of entries)
    assertValue(value, ctx.maxValueBytes, `hash field ${JSON.stringify(field)}`)
}

export function checkScoredMembers(members: unknown): void {
  if (!Array.isArray(members) || members.length === 0) {
    throw invalidArgument('zadd needs a non-empty array of { member, score }')
  }
  for (const m of members) {
    if (typeof m !== 'object' || m === null || typeof m.member !== 'string') {
      throw invalidArgument(`each zadd entry must be { member: string, score: number } (got ${describe(m)})`)
    }
    if (typeof m.score !== 'number' || Number.isNaN(m.score)) {
      throw invalidArgument(
        `score of ${JSON.stringify(m.member)} must be a number (got ${describe(m.score)})`,
      )
    }
  }
}

export function checkZAddOptions(o: Record<string, unknown> | undefined): void {
  if (!o) return
  if (o.nx && o.xx) throw invalidArgument('zadd options: nx and xx cannot both be true')
  if ((o.gt || o.lt) && o.nx) throw invalidArgument('zadd options: gt/lt cannot be combined with nx')
  if (o.gt && o.lt) throw invalidArgument('zadd options: gt and lt cannot both be true')
}

export function checkRange(args: AnyArgs): void {
  const options = (args[3] ?? {}) as { by?: string; limit?: { offset: unknown; count: unknown } }
  if (options.by !== undefined && options.by !== 'rank' && options.by !== 'score') {
    throw invalidArgument(`zrange by must be 'rank' or 'score' (got ${describe(options.by)})`)
  }
  if (options.by === 'score') {
    assertScoreBound(args[1], 'zrange start')
    assertScoreBound(args[2], 'zrange stop')
    if (options.limit) {
      assertInteger(options.limit.offset, 'limit.offset')
      assertInteger(options.limit.count, 'limit.count')
    }
  } else {
    assertInteger(args[1], 'zrange start (a rank)')
    assertInteger(args[2], 'zrange stop (a rank)')
    if (options.limit) throw invalidArgument("zrange limit needs by: 'score'")
  }
}

/** Integer start and stop (ranks of ZREMRANGEBYRANK, indexes of LRANGE and LTRIM). */
export function checkStartStop(args: AnyArgs): void {
  assertInteger(args[1], 'start')
  assertInteger(args[2], 'stop')
}
