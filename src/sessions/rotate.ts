/**
 * rotate(id): a new id for the same session, the old id dead at once (the fixation defence: call
 * it at log-in and on every privilege change).
 *
 * - Same group (no user change): one script moves the record to the new id atomically. With
 *   encryption the data is first read and re-sealed for the new id (the ciphertext is bound to
 *   the id), and the script only writes over the version that was read.
 * - Binding to a user (log-in), or to another user: the new id must live in the user's group,
 *   another cluster slot. The old id is destroyed first (atomically, returning its record), then
 *   the record is created under the new id. A failure between the two leaves no session — never
 *   two.
 */

import { type Context, recordKeys, table, toSession } from './context.js'
import { checkUserId, newSessionId, type UserRef, userRef } from './ids.js'
import type { SessionRef } from './keys.js'
import { destroyScript, rotateScript } from './move-scripts.js'
import { read } from './operations.js'
import type { RotateOptions, Session } from './types.js'
import { createScript } from './write-scripts.js'

const OTHER_USER = Symbol('other user')

export async function rotateSession<T extends object>(
  ctx: Context<T>,
  id: string,
  options: RotateOptions<T>,
): Promise<Session<T> | null> {
  const old = ctx.keys.session(id)
  const target = options.userId === undefined ? undefined : userRef(checkUserId(options.userId))
  if (!target || target.group === old.keys.group) {
    const rotated = await rotateInGroup(ctx, id, old, options.data, target?.hash)
    if (rotated !== OTHER_USER) return rotated
  }
  return moveToUser(ctx, old, target!, options.data)
}

async function rotateInGroup<T extends object>(
  ctx: Context<T>,
  id: string,
  old: SessionRef,
  data: T | undefined,
  expectedUser: string | undefined,
): Promise<Session<T> | null | typeof OTHER_USER> {
  const newId = newSessionId(old.keys.group, true) // it may have a user: reads check
  const next = ctx.keys.session(newId)
  const given = data === undefined ? undefined : await ctx.payload.encode(data, next.hash)
  let userHash = expectedUser ?? ''
  let lastVersion = 0
  for (let attempt = 0; attempt <= ctx.options.updateRetries; attempt++) {
    let payload = given?.stored ?? ''
    let value = given?.value
    let expect = ''
    if (!given && ctx.payload.bound) {
      const current = await read(ctx, id, 'rotate')
      if (!current) return null
      if (expectedUser !== undefined && current.record.u !== expectedUser) return OTHER_USER
      userHash = current.record.u
      payload = (await ctx.payload.encode(current.session.data, next.hash)).stored
      value = current.session.data
      expect = String(current.session.version)
    }
    const userKey = userHash ? old.keys.user(userHash) : old.keys.noUser
    const reply = table(
      await ctx.store.eval(
        rotateScript,
        [old.record, next.record, old.keys.all, userKey, old.keys.revoked],
        [old.hash, next.hash, expect, payload, userHash, ''],
      ),
    )
    if (reply[0] === 0) return null
    if (reply[0] === 1) {
      ctx.counters.rotated++
      if (value === undefined) {
        const decoded = await ctx.payload.decode(reply[5] as string, next.hash)
        if (!decoded.ok) {
          ctx.reject(decoded.reason, 'rotate')
          return null
        }
        value = decoded.data
      }
      return toSession(newId, value, reply)
    }
    if (reply[0] === -2) {
      // the session has a user the caller did not name: use that user's index (or move it)
      if (expectedUser !== undefined) return OTHER_USER
      userHash = reply[1] as string
      continue
    }
    lastVersion = reply[1] as number // -1: written since it was read; read it again
  }
  throw ctx.conflict(undefined, lastVersion)
}

async function moveToUser<T extends object>(
  ctx: Context<T>,
  old: SessionRef,
  user: UserRef,
  data: T | undefined,
): Promise<Session<T> | null> {
  const newId = newSessionId(user.group, true)
  const next = ctx.keys.session(newId)
  let given = data === undefined ? undefined : await ctx.payload.encode(data, next.hash)
  const taken = table(await ctx.store.eval(destroyScript, recordKeys(old), [old.hash, '', '1', '']))
  if (taken[0] !== 1) return null
  const [, , createdAt, absoluteAt, idleMs, , stored] = taken as [
    number,
    number,
    number,
    number,
    number,
    string,
    string,
  ]
  if (!given) {
    const decoded = await ctx.payload.decode(stored, old.hash)
    if (!decoded.ok) {
      ctx.reject(decoded.reason, 'rotate')
      return null
    }
    given = await ctx.payload.encode(decoded.data, next.hash)
  }
  const reply = table(
    await ctx.store.eval(
      createScript,
      [next.record, next.keys.all, next.keys.user(user.hash), next.keys.revoked],
      [next.hash, given.stored, idleMs, user.hash, ctx.options.absoluteMs, createdAt, absoluteAt, ''],
    ),
  )
  if (reply[0] !== 1) return null
  ctx.counters.rotated++
  return toSession(newId, given.value, reply)
}
