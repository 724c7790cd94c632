/**
 * The shape of an entry of the command table (commands.ts): what every Store needs to know about
 * a command before it runs it. Kept apart so that the families' tables can share the helpers.
 */
import { assertKey } from '../internal/validate.js'

export interface CheckContext {
  maxValueBytes: number
}

// biome-ignore lint/suspicious/noExplicitAny: specs are indexed by name; each check narrows its own tuple
export type AnyArgs = any[]

export interface CommandSpec {
  /** true when the command may modify data. */
  readonly write: boolean
  /**
   * false for a write that only matters now (it moves a delivery cursor: XREADGROUP, XCLAIM): a
   * FailoverStore serves it from its fallback during an outage but never replays it to Redis.
   */
  readonly replay?: false
  /** The keys the command reads or writes, in the order Redis takes them. */
  keys(args: AnyArgs): string[]
  /** Throws a RedisKitError for invalid arguments. */
  check(args: AnyArgs, ctx: CheckContext): void
  /**
   * The keys must hash to one cluster slot (the command cannot be split: a union, a merge).
   * Enforced on every store, so code that works on memory also works on Redis Cluster.
   */
  sameSlot?: true
  /**
   * How long the call may block, in ms (XREAD/XREADGROUP BLOCK); 0 when it does not. Blocking
   * calls get a deadline of their block time plus the usual one, and may not run in batches.
   */
  blockMs?(args: AnyArgs): number
}

export const first = (args: AnyArgs): string[] => [args[0]]

/** A command on one key (the first argument), with its own further checks. */
export function oneKey(
  write: boolean,
  check: (args: AnyArgs, ctx: CheckContext) => void = () => {},
): CommandSpec {
  return {
    write,
    keys: first,
    check(args, ctx) {
      assertKey(args[0])
      check(args, ctx)
    },
  }
}
