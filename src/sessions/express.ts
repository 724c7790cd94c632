/**
 * An express-session Store over the sessions primitive: get, set, destroy, touch, length, clear,
 * all, plus rotate(req) (a new id that keeps the data and can bind a user: express-session's own
 * regenerate() empties the session). Compared with connect-redis it keeps the record under a hash
 * of the id, enforces the absolute timeout, counts without SCAN, throttles touches, refuses to
 * resurrect a destroyed session, and detects lost updates between concurrent requests.
 *
 * The version a request read travels on `req.session.cookie` (which express-session never hashes
 * nor stores): a save then writes only over that version.
 */
import type { EventEmitter } from 'node:events'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { invalidArgument, isKitError, RedisKitError } from '../errors.js'
import type { Context } from './context.js'
import { checkId } from './ids.js'
import { create, read, set } from './operations.js'
import type { SessionData } from './options.js'
import type { Sessions } from './types.js'
import { allSessions, clearSessions } from './users.js'

const VERSION = 'redisKitVersion'
const TOUCH_AT = 'redisKitTouchAt'

// biome-ignore lint/suspicious/noExplicitAny: express-session's own Store types use any here
type Any = any

/** A session as express-session hands it over: its data plus a `cookie`. */
export type ExpressSessionData = { cookie: Any; [key: string]: Any }

export interface ExpressStoreOptions {
  /**
   * express-session's Store class (`import session from 'express-session'` → `session.Store`).
   * @default loaded from express-session as installed next to the working directory
   */
  Store?: new () => object
  /**
   * When two requests change the same session at once, the later save finds a newer version:
   * 'error' fails that save with a CONFLICT error (passed to express's `next`), 'overwrite' writes
   * over it (express-session's usual behaviour). @default 'error'
   */
  onConflict?: 'error' | 'overwrite'
}

type Callback<R> = (err: unknown, result?: R) => void

/** What express-session needs from a store (structurally its `session.Store`). */
export interface ExpressStore extends EventEmitter {
  get(sid: string, callback: Callback<ExpressSessionData | null>): void
  set(sid: string, session: ExpressSessionData, callback?: (err?: unknown) => void): void
  destroy(sid: string, callback?: (err?: unknown) => void): void
  touch(sid: string, session: ExpressSessionData, callback?: (err?: unknown) => void): void
  length(callback: Callback<number>): void
  clear(callback?: (err?: unknown) => void): void
  /** Every live session's data. Session ids are not stored, so none are given. */
  all(callback: Callback<ExpressSessionData[]>): void
  /**
   * A new session id for this request's session, keeping its data (call it at log-in, with the
   * user id, and on privilege changes). The old id is dead at once; the response sets the cookie.
   */
  rotate(req: object, options?: { userId?: string }): Promise<void>
  regenerate(req: Any, callback: (err?: Any) => Any): void
  load(sid: string, callback: (err: Any, session?: Any) => Any): void
  createSession(req: Any, session: Any): Any
}

function loadBase(given: ExpressStoreOptions['Store']): new () => EventEmitter {
  if (given) return given as new () => EventEmitter
  try {
    const load = createRequire(join(process.cwd(), 'noop.js'))
    return (load('express-session') as { Store: new () => EventEmitter }).Store
  } catch (err) {
    throw new RedisKitError(
      'INVALID_OPTIONS',
      'expressStore() could not load express-session: install it, or pass its Store: sessions.expressStore({ Store: session.Store })',
      { cause: err },
    )
  }
}

function settle<R>(work: Promise<R>, callback: Callback<R> | undefined): void {
  work.then(
    (result) => callback && process.nextTick(callback, null, result),
    (err: unknown) => callback && process.nextTick(callback, err),
  )
}

/** Milliseconds until the cookie expires; undefined without an expiry. */
function cookieTtl(cookie: object | undefined): number | undefined {
  const expires = (cookie as { expires?: Date | string | null } | undefined)?.expires
  if (expires === undefined || expires === null) return undefined
  const ms = new Date(expires).getTime() - Date.now()
  return Number.isNaN(ms) ? undefined : Math.ceil(ms)
}

/** The session's data for storage (without the version), and that version. */
function split(session: ExpressSessionData): { data: ExpressSessionData; version?: number } {
  const { cookie, ...rest } = session
  const version = (cookie as Record<string, unknown> | undefined)?.[VERSION]
  const plain = typeof (cookie as { toJSON?: unknown })?.toJSON === 'function'
  const stored = plain ? (cookie as { toJSON(): object }).toJSON() : { ...cookie }
  delete (stored as Record<string, unknown>)[VERSION]
  delete (stored as Record<string, unknown>)[TOUCH_AT]
  return { data: { ...rest, cookie: stored }, ...(typeof version === 'number' ? { version } : {}) }
}

/** Records on the request's cookie what was just written: the version, and when a touch is due. */
function mark(session: ExpressSessionData, version: number, touchAt: number): void {
  if (!session.cookie) return
  const cookie = session.cookie as Record<string, unknown>
  cookie[VERSION] = version
  cookie[TOUCH_AT] = touchAt
}

export function createExpressStore(
  ctx: Context<SessionData>,
  sessions: Sessions<SessionData>,
  options: ExpressStoreOptions = {},
): ExpressStore {
  const onConflict = options.onConflict ?? 'error'
  if (onConflict !== 'error' && onConflict !== 'overwrite') {
    throw new RedisKitError('INVALID_OPTIONS', "expressStore: onConflict must be 'error' or 'overwrite'")
  }
  const Base = loadBase(options.Store)

  const touchAfter = ctx.options.touchAfter

  async function get(sid: string): Promise<ExpressSessionData | null> {
    const found = await read(ctx, checkId(sid), 'get')
    const data = found?.session.data as ExpressSessionData | undefined
    if (!found || typeof data?.cookie !== 'object' || data.cookie === null) return null
    const touchAt = found.lastActiveAt + found.record.i * touchAfter
    return { ...data, cookie: { ...data.cookie, [VERSION]: found.session.version, [TOUCH_AT]: touchAt } }
  }

  /** express-session touches every request it does not save: only ask Redis when one is due. */
  async function touch(sid: string, session: ExpressSessionData): Promise<void> {
    const touchAt = (session?.cookie as Record<string, unknown> | undefined)?.[TOUCH_AT]
    if (typeof touchAt === 'number' && Date.now() < touchAt) return
    await sessions.touch(sid)
  }

  async function save(sid: string, session: ExpressSessionData): Promise<void> {
    const ttl = cookieTtl(session.cookie)
    if (ttl !== undefined && ttl <= 0) {
      await sessions.destroy(sid)
      return
    }
    const { data, version } = split(session)
    if (version === undefined) {
      const idle = ttl ?? ctx.options.idleMs
      const created = await create(ctx, data, { ttl: `${idle}ms` }, checkId(sid))
      mark(session, created.version, Date.now() + idle * touchAfter)
      return
    }
    try {
      // null: destroyed meanwhile (a log-out won the race): never resurrect it
      const written = await set(ctx, checkId(sid), data, version, ttl)
      if (written) mark(session, written.version, Date.now() + (ttl ?? ctx.options.idleMs) * touchAfter)
    } catch (err) {
      if (onConflict === 'error' || !isKitError(err, 'CONFLICT')) throw err
      const written = await set(ctx, sid, data, undefined, ttl)
      if (written) mark(session, written.version, Date.now() + (ttl ?? ctx.options.idleMs) * touchAfter)
    }
  }

  class KitExpressStore extends Base {
    get(sid: string, callback: Callback<ExpressSessionData | null>) {
      settle(get(sid), callback)
    }
    set(sid: string, session: ExpressSessionData, callback?: (err?: unknown) => void) {
      settle(save(sid, session), callback)
    }
    destroy(sid: string, callback?: (err?: unknown) => void) {
      settle(
        sessions.destroy(sid).then(() => undefined),
        callback,
      )
    }
    touch(sid: string, session: ExpressSessionData, callback?: (err?: unknown) => void) {
      settle(touch(sid, session), callback)
    }
    length(callback: Callback<number>) {
      settle(sessions.count(), callback)
    }
    clear(callback?: (err?: unknown) => void) {
      settle(
        clearSessions(ctx).then(() => undefined),
        callback,
      )
    }
    all(callback: Callback<ExpressSessionData[]>) {
      settle(allSessions(ctx) as Promise<ExpressSessionData[]>, callback)
    }
    async rotate(req: object, rotateOptions: { userId?: string } = {}) {
      const request = req as { sessionID?: string; session?: ExpressSessionData }
      if (!request.session || typeof request.sessionID !== 'string') {
        throw invalidArgument('rotate(req) needs a request that went through express-session (req.session)')
      }
      const { data } = split(request.session)
      const ttl = cookieTtl(request.session.cookie)
      const next =
        (await sessions.rotate(request.sessionID, { ...rotateOptions, data })) ??
        (await sessions.create(data, { ...rotateOptions, ...(ttl && ttl > 0 ? { ttl: `${ttl}ms` } : {}) }))
      request.sessionID = next.id
      ;(this as unknown as ExpressStore).createSession(req, {
        ...next.data,
        cookie: { ...(next.data.cookie as object), [VERSION]: next.version, [TOUCH_AT]: 0 },
      })
    }
  }
  return new KitExpressStore() as unknown as ExpressStore
}
