/**
 * The single-session operations: create, read, set, update, touch, destroy. Each is one script
 * call (update: a read and a versioned write, repeated on a conflict).
 */
import { invalidArgument, isKitError } from '../errors.js'
import { type Duration, toPositiveMs } from '../internal/duration.js'
import { describe } from '../internal/keys.js'
import { type Context, recordKeys, table, toSession } from './context.js'
import { checkId, checkUserId, mayHaveUser, newSessionId, userRef } from './ids.js'
import type { SessionRef } from './keys.js'
import { destroyScript } from './move-scripts.js'
import { MAX_TIMEOUT_MS } from './options.js'
import { readScript, touchScript } from './read-scripts.js'
import { expiryOf, parseRecord, type StoredRecord } from './record.js'
import type { CreateOptions, Patch, Session, TouchResult, WriteOptions } from './types.js'
import { createPlainScript, createScript, writeScript } from './write-scripts.js'

function idleOf(ctx: Context<object>, ttl: Duration | undefined): number {
  if (ttl === undefined) return ctx.options.idleMs
  const ms = toPositiveMs(ttl, 'ttl')
  if (ms > MAX_TIMEOUT_MS) {
    throw invalidArgument(
      `ttl must be at most ${MAX_TIMEOUT_MS} ms (got ${describe(ttl)}); pass a shorter idle timeout`,
    )
  }
  return ms
}

export function checkVersion(options: WriteOptions | undefined): number | undefined {
  const version = options?.version
  if (version !== undefined && (!Number.isSafeInteger(version) || version < 1)) {
    throw invalidArgument(`version must be a positive integer from a Session (got ${describe(version)})`)
  }
  return version
}

/** A new session; `id` is for express-session, which issues its own ids (never with a user). */
export async function create<T extends object>(
  ctx: Context<T>,
  data: T,
  options: CreateOptions = {},
  id = '',
): Promise<Session<T>> {
  const idle = idleOf(ctx, options.ttl)
  const user = options.userId === undefined ? undefined : userRef(checkUserId(options.userId))
  id ||= newSessionId(user?.group, user !== undefined)
  const ref = ctx.keys.session(id)
  const { stored, value } = await ctx.payload.encode(data, ref.hash)
  const reply = table(
    user
      ? await ctx.store.eval(
          createScript,
          [ref.record, ref.keys.all, ref.keys.user(user.hash), ref.keys.revoked],
          [ref.hash, stored, idle, user.hash, ctx.options.absoluteMs, '', '', ''],
        )
      : await ctx.store.eval(
          createPlainScript,
          [ref.record, ref.keys.all],
          [ref.hash, stored, idle, ctx.options.absoluteMs, ''],
        ),
  )
  ctx.counters.created++
  return toSession(id, value, reply)
}

/** What a read found: the session, the stored record (its user hash, last activity, idle timeout). */
export interface Read<T extends object> {
  session: Session<T>
  record: StoredRecord
  /** When the idle deadline was last extended (now, if this read extended it). */
  lastActiveAt: number
}

/**
 * Reads a session: a plain GET for a session without a user (its id says so, see mayHaveUser),
 * else the read script, which also checks the user's marker. When `touchAfter` of the idle timeout has passed since the
 * last activity (by this process's clock), a touch follows (by the server's clock, which decides).
 */
export async function read<T extends object>(
  ctx: Context<T>,
  id: string,
  operation: string,
): Promise<Read<T> | null> {
  const ref = ctx.keys.session(id)
  let record: StoredRecord | null
  if (mayHaveUser(id)) record = await readChecked(ctx, ref)
  else {
    // no user: the key's TTL is the session's deadline, so a plain GET is the whole check
    const stored = await ctx.store.get(ref.record)
    if (stored === null) return null
    record = parseRecord(stored)
    // a record with a user (or not a record: the script removes it) needs the script's checks
    if (record?.u !== '') record = await readChecked(ctx, ref)
  }
  if (!record) return null
  const decoded = await ctx.payload.decode(record.d, ref.hash)
  if (!decoded.ok) {
    ctx.reject(decoded.reason, operation)
    return null
  }
  let expiresAt = expiryOf(record)
  let lastActiveAt = record.t
  if (Date.now() - record.t >= record.i * ctx.options.touchAfter) {
    const touched = await touch(ctx, id)
    if (!touched) return null
    expiresAt = touched.expiresAt
    lastActiveAt = Date.now()
  }
  const { v: version, c: createdAt, a: absoluteExpiresAt } = record
  const session = { id, data: decoded.data, version, createdAt, expiresAt, absoluteExpiresAt }
  return { session, record, lastActiveAt }
}

/** The read script: the record, checked against its user's "log out everywhere" marker. */
async function readChecked(ctx: Context<object>, ref: SessionRef): Promise<StoredRecord | null> {
  const reply = table(await ctx.store.eval(readScript, recordKeys(ref), [ref.hash]))
  return reply[0] === 1 ? parseRecord(reply[1] as string) : null
}

/** A session, or null; `id` is checked here (a bad one rejects). */
export async function get<T extends object>(ctx: Context<T>, id: string, operation: string) {
  return (await read(ctx, checkId(id), operation))?.session ?? null
}

export async function set<T extends object>(
  ctx: Context<T>,
  id: string,
  data: T,
  version: number | undefined,
  idleMs?: number,
): Promise<Session<T> | null> {
  const ref = ctx.keys.session(id)
  const { stored, value } = await ctx.payload.encode(data, ref.hash)
  const reply = table(
    await ctx.store.eval(writeScript, recordKeys(ref), [ref.hash, stored, version ?? '', idleMs ?? '', '']),
  )
  if (reply[0] === -1) throw ctx.conflict(version, reply[1] as number)
  return reply[0] === 1 ? toSession(id, value, reply) : null
}

export async function update<T extends object>(
  ctx: Context<T>,
  id: string,
  patch: Patch<T>,
  version?: number,
) {
  if (typeof patch !== 'function' && (typeof patch !== 'object' || patch === null || Array.isArray(patch))) {
    throw invalidArgument(
      `patch must be an object to merge or a function (data) => data (got ${describe(patch)})`,
    )
  }
  for (let attempt = 0; ; attempt++) {
    const current = await get(ctx, id, 'update')
    if (!current) return null
    if (version !== undefined && current.version !== version) throw ctx.conflict(version, current.version)
    const next = typeof patch === 'function' ? await patch(current.data) : merge(current.data, patch)
    try {
      return await set(ctx, id, next, current.version)
    } catch (err) {
      if (!isKitError(err, 'CONFLICT') || version !== undefined || attempt >= ctx.options.updateRetries)
        throw err
    }
  }
}

export async function touch<T extends object>(ctx: Context<T>, id: string): Promise<TouchResult | null> {
  const ref = ctx.keys.session(id)
  const reply = table(
    await ctx.store.eval(touchScript, recordKeys(ref), [ref.hash, ctx.options.touchAfter, '']),
  )
  if (reply[0] !== 1) return null
  return { expiresAt: reply[3] as number, absoluteExpiresAt: reply[4] as number }
}

export async function destroy<T extends object>(ctx: Context<T>, id: string): Promise<boolean> {
  const ref = ctx.keys.session(id)
  const reply = table(await ctx.store.eval(destroyScript, recordKeys(ref), [ref.hash, '', '', '']))
  if (reply[0] !== 1) return false
  ctx.counters.destroyed++
  return true
}

/** A shallow merge that never copies a `__proto__` key (stored data would drop it anyway). */
function merge<T extends object>(data: T, patch: Partial<T>): T {
  const out = { ...data }
  for (const key of Object.keys(patch)) {
    if (key !== '__proto__') (out as Record<string, unknown>)[key] = (patch as Record<string, unknown>)[key]
  }
  return out
}
