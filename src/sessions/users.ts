/**
 * Operations over many sessions: a user's (list, log out everywhere) and everyone's (count, and
 * all / clear for express-session). A user's sessions share the user's group, so each step is
 * one round trip on one slot; count, all and clear visit the 256 groups' indexes, never SCAN.
 */
import type { BatchCommand, ScoredMember } from '../stores/types.js'
import { clearScript, revokeScript } from './bulk-scripts.js'
import type { Context } from './context.js'
import { checkId, userRef } from './ids.js'
import type { GroupKeys } from './keys.js'
import { nowScript, pruneScript } from './read-scripts.js'
import { expiryOf, isAlive, parseRecord } from './record.js'
import type { DestroyAllOptions, UserSession } from './types.js'

export async function listForUser<T extends object>(
  ctx: Context<T>,
  userId: string,
): Promise<UserSession<T>[]> {
  const user = userRef(userId)
  const { keys, index } = ctx.keys.user(user)
  const [hashes, now] = await Promise.all([ctx.store.zrange(index, 0, -1), serverNow(ctx)])
  if (hashes.length === 0) return []
  const commands: BatchCommand[] = [['zscore', keys.revoked, user.hash]]
  for (const h of hashes) {
    commands.push(['get', keys.record(h)], ['zscore', keys.revoked, `${user.hash}/${h}`])
  }
  const replies = (await ctx.store.batch(commands)) as unknown[]
  const marker = replies[0] as number | null
  const live: UserSession<T>[] = []
  const stale: string[] = []
  for (const [n, handle] of hashes.entries()) {
    const rec = parseRecord(replies[1 + 2 * n] as string | null)
    const exemption = replies[2 + 2 * n] as number | null
    if (!rec || rec.u !== user.hash || !isAlive(rec, now, marker, exemption)) {
      stale.push(handle)
      continue
    }
    const decoded = await ctx.payload.decode(rec.d, handle)
    if (!decoded.ok) {
      ctx.reject(decoded.reason, 'listForUser')
      continue
    }
    live.push({
      handle,
      data: decoded.data,
      version: rec.v,
      createdAt: rec.c,
      lastActiveAt: rec.t,
      expiresAt: expiryOf(rec),
      absoluteExpiresAt: rec.a,
    })
  }
  if (stale.length > 0) await ctx.store.zrem(index, stale)
  return live.sort((a, b) => a.createdAt - b.createdAt)
}

export async function destroyAllForUser<T extends object>(
  ctx: Context<T>,
  userId: string,
  options: DestroyAllOptions = {},
): Promise<number> {
  const user = userRef(userId)
  const { keys, index } = ctx.keys.user(user)
  let keep = ''
  if (options.except !== undefined) {
    const kept = ctx.keys.session(checkId(options.except, 'except'))
    if (kept.keys.group === keys.group) keep = kept.hash
  }
  const gone = await ctx.store.eval(
    revokeScript,
    [index, keys.all, keys.revoked],
    [user.hash, keep, ctx.options.absoluteMs, ''],
  )
  const deleted = await deleteRecords(ctx, keys, gone)
  ctx.counters.destroyed += deleted
  return deleted
}

/** The store's clock (Redis's TIME), so that what is live is judged as the scripts judge it. */
function serverNow(ctx: Context<object>): Promise<number> {
  return ctx.store.eval(nowScript, [], [])
}

/** Deletes the records of `hashes` (one slot), 1000 keys per DEL. */
async function deleteRecords(ctx: Context<object>, keys: GroupKeys, hashes: readonly string[]) {
  let deleted = 0
  for (let i = 0; i < hashes.length; i += 1000) {
    deleted += await ctx.store.del(hashes.slice(i, i + 1000).map((h) => keys.record(h)))
  }
  return deleted
}

/**
 * Live sessions: the server's clock, then one batch over the 256 group indexes (ZCARD, minus the
 * entries past their deadline), which a FailoverStore answers whole from Redis or from memory.
 * Groups holding ended entries are then pruned (with the server's clock).
 */
export async function countSessions<T extends object>(ctx: Context<T>): Promise<number> {
  const groups = ctx.keys.groups()
  const now = await serverNow(ctx)
  const commands = groups.flatMap((g): BatchCommand[] => [
    ['zcard', g.all],
    ['zrange', g.all, '-inf', now, { by: 'score' }],
  ])
  const replies = (await ctx.store.batch(commands)) as (number | string[])[]
  let live = 0
  const stale: GroupKeys[] = []
  for (const [n, g] of groups.entries()) {
    const ended = (replies[2 * n + 1] as string[]).length
    live += (replies[2 * n] as number) - ended
    if (ended > 0) stale.push(g)
  }
  await Promise.allSettled(stale.map((g) => ctx.store.eval(pruneScript, [g.all], [''])))
  return live
}

/** Every live session's data (for express-session's `all`): ids are not stored, so none are given. */
export async function allSessions<T extends object>(ctx: Context<T>): Promise<T[]> {
  const now = await serverNow(ctx)
  const perGroup = await Promise.all(
    ctx.keys.groups().map(async (keys) => {
      const hashes = await ctx.store.zrange(keys.all, `(${now}`, '+inf', { by: 'score' })
      if (hashes.length === 0) return []
      const [revoked, records] = (await ctx.store.batch([
        ['zrangeWithScores', keys.revoked, 0, -1],
        ['mget', hashes.map((h) => keys.record(h))],
      ])) as [ScoredMember[], (string | null)[]]
      const markers = new Map(revoked.map(({ member, score }) => [member, score]))
      const out: T[] = []
      for (const [n, stored] of records.entries()) {
        const rec = parseRecord(stored)
        const h = hashes[n]!
        if (!rec || !isAlive(rec, now, markers.get(rec.u) ?? null, markers.get(`${rec.u}/${h}`) ?? null))
          continue
        const decoded = await ctx.payload.decode(rec.d, h)
        if (decoded.ok) out.push(decoded.data)
        else ctx.reject(decoded.reason, 'all')
      }
      return out
    }),
  )
  return perGroup.flat()
}

/** Ends every session (for express-session's `clear`). Returns how many records were deleted. */
export async function clearSessions<T extends object>(ctx: Context<T>): Promise<number> {
  const deleted = await Promise.all(
    ctx.keys
      .groups()
      .map(async (keys) =>
        deleteRecords(ctx, keys, await ctx.store.eval(clearScript, [keys.all, keys.revoked], [])),
      ),
  )
  return deleted.reduce((sum, n) => sum + n, 0)
}
