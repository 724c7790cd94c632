/**
 * Sending guarded writes (see guard.ts): counting commands and appends go to the primary inside
 * the op-id guard script, with their arguments as the guard's ARGV, and their replies are read
 * back as the command's; acknowledged op ids leave the op log with the next guarded write.
 */
import { formatScore, parseScore } from '../redis-commands.js'
import type { CommandName, Script, StoreValue } from '../types.js'
import { COUNTING_COMMANDS, type CountingCommand, guarded } from './guard.js'
import { LIST_ARGV, listReply } from './lists.js'
import type { RouterContext } from './router.js'
import { xaddArgv } from './xadd.js'

/** The ARGV a counting command takes inside its guard, and how its reply is read back. */
const COUNTING_WIRE: Record<CountingCommand, (args: unknown[]) => StoreValue[]> = {
  incrby: (a) => [String(a[1])],
  incrbyfloat: (a) => [String(a[1])],
  hincrby: (a) => [a[1] as string, String(a[2])],
  zincrby: (a) => [formatScore(a[1] as number), a[2] as string],
  xadd: xaddArgv,
  ...LIST_ARGV,
}

function countingReply(name: CommandName, reply: unknown): unknown {
  if (Object.hasOwn(LIST_ARGV, name)) return listReply(name as keyof typeof LIST_ARGV, reply)
  if (reply === null) return null
  if (name === 'xadd') return String(reply)
  return name === 'zincrby' ? parseScore(reply) : Number(reply)
}

export function countingScript(name: CommandName): Script | undefined {
  return (COUNTING_COMMANDS as Record<string, Script>)[name]
}

/**
 * Lets the id of guarded write `opId` on `key`'s slot leave the op log (the next guarded write
 * there removes it). Only for a write sent once and confirmed within its deadline: a copy whose
 * outcome was lost may still arrive (ioredis Cluster resends commands flushed from a closed node
 * connection, long after our deadline) or is journaled to be sent again, and every copy skips
 * itself only while the id is in the log. Other ids expire with the log's retention.
 */
export function ackOp(ctx: RouterContext, key: string, opId: string): void {
  ctx.opLog.ack(ctx.opLog.keyFor(key), opId)
}

/** Sends a counting command guarded by `opId` to `store` and reads the reply as the command's. */
export function sendCounting(ctx: RouterContext, name: CommandName, args: unknown[], opId: string) {
  const key = args[0] as string
  const logKey = ctx.opLog.keyFor(key)
  const acks = ctx.opLog.takeAcks(logKey)
  const argv = [...ctx.opLog.argv(opId, acks), ...COUNTING_WIRE[name as CountingCommand](args)]
  return ctx.primary.eval(guarded(countingScript(name)!), [logKey, key], argv).then(
    (reply) => countingReply(name, reply),
    (err: unknown) => {
      ctx.opLog.putBack(logKey, acks)
      throw err
    },
  )
}

/** Sends a script that is not idempotent guarded by `opId`. */
export function sendGuardedScript(
  ctx: RouterContext,
  script: Script,
  keys: readonly string[],
  args: readonly StoreValue[],
  opId: string,
) {
  const logKey = ctx.opLog.keyFor(keys[0] ?? '')
  const acks = ctx.opLog.takeAcks(logKey)
  return ctx.primary.eval(guarded(script), [logKey, ...keys], [...ctx.opLog.argv(opId, acks), ...args]).then(
    (reply) => reply,
    (err: unknown) => {
      ctx.opLog.putBack(logKey, acks)
      throw err
    },
  )
}
