/**
 * Batches through a FailoverStore. A batch with no counting write goes to the primary as one
 * batch (one round trip) or, on an outage, to the fallback as one batch, its durable writes
 * journaled in order. A batch with counting writes (which need their own op-id guard) is sent
 * as its commands, each routed on its own: issued together they still share a round trip.
 */
import { RedisKitError } from '../../errors.js'
import { checkBatchCommand, isReplayable } from '../commands.js'
import { isEphemeral } from '../durability.js'
import type { BatchCommand, CommandName } from '../types.js'
import { countingScript, type RouterContext, route } from './router.js'
import { routeCommand } from './routes.js'

export async function routeBatch(ctx: RouterContext, batch: readonly BatchCommand[]): Promise<unknown[]> {
  if (!Array.isArray(batch)) throw new RedisKitError('INVALID_ARGUMENT', 'batch takes an array of commands')
  const commands = batch.map((command) => {
    const [name, ...args] = command as readonly [CommandName, ...unknown[]]
    checkBatchCommand(name, args, ctx)
    return { name, args }
  })
  const ephemeral = isEphemeral()
  const durable = commands.map(({ name }) => isReplayable(name) && !ephemeral)
  if (commands.some(({ name }, i) => durable[i] && countingScript(name))) {
    const settled = await Promise.allSettled(commands.map(({ name, args }) => routeCommand(ctx, name, args)))
    const failed = settled.find((s) => s.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
    return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value)
  }
  // One journal entry per durable command, filled in order when the batch falls back.
  const seqs = new Map<number, number>()
  const anyDurable = durable.some(Boolean)
  return route(ctx, {
    durable: anyDurable,
    attempt: () => {
      durable.forEach((d, i) => {
        if (d) seqs.set(i, ctx.journal.reserve())
      })
      return ctx.primary.batch(batch)
    },
    fallback: async (store) => {
      try {
        const results = await store.batch(batch)
        if (anyDurable) {
          commands.forEach(({ name, args }, i) => {
            if (!durable[i]) return
            ctx.journal.add(
              { kind: 'command', name, args, opId: ctx.opLog.newId(), inDoubt: seqs.has(i), at: Date.now() },
              seqs.get(i),
            )
          })
        }
        return results
      } finally {
        for (const seq of seqs.values()) ctx.journal.release(seq)
      }
    },
  }).then(
    (results) => {
      for (const seq of seqs.values()) ctx.journal.release(seq)
      return results as unknown[]
    },
    (err) => {
      for (const seq of seqs.values()) ctx.journal.release(seq)
      throw err
    },
  )
}
