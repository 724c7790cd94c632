/**
 * The public shapes of the sessions primitive.
 */
import type { Duration } from '../internal/duration.js'
import type { ExpressStore, ExpressStoreOptions } from './express.js'
import type { SessionData } from './options.js'
import type { RejectReason } from './payload.js'

/** A live session. Times are Unix milliseconds, from the Redis server's clock. */
export interface Session<T extends object = SessionData> {
  /** The session id: 32 base64url characters (192 bits, at least 180 of them random). Keep it secret. */
  id: string
  data: T
  /** +1 on every write of the data; pass it to set(…, { version }) to write only over it. */
  version: number
  createdAt: number
  /** When the session ends unless it is used again (idle deadline, capped by the absolute one). */
  expiresAt: number
  /** When the session ends however active it is (rotation keeps it). */
  absoluteExpiresAt: number
}

/** A session as listForUser sees it: no id (Redis only holds its hash), a handle instead. */
export interface UserSession<T extends object = SessionData> {
  /** The SHA-256-based name the session is stored under: not usable as a session id. */
  handle: string
  data: T
  version: number
  createdAt: number
  /** The last time the idle deadline was extended (a read, a touch or a write). */
  lastActiveAt: number
  expiresAt: number
  absoluteExpiresAt: number
}

export interface CreateOptions {
  /** Idle timeout of this session. @default the idleTimeout option */
  ttl?: Duration
  /** Binds the session to a user: listForUser / destroyAllForUser find it. */
  userId?: string
}

export interface WriteOptions {
  /** Write only if the session is still at this version; else a CONFLICT error. */
  version?: number
}

export interface RotateOptions<T extends object = SessionData> {
  /** Bind the new id to this user (log-in). Omitted: the session keeps its user, if any. */
  userId?: string
  /** Replace the data at the same time. Omitted: the new id carries the same data. */
  data?: T
}

export interface DestroyAllOptions {
  /** Keep this session (the caller's own: "log out my other devices"). */
  except?: string
}

export interface TouchResult {
  expiresAt: number
  absoluteExpiresAt: number
}

export type Patch<T> = Partial<T> | ((data: T) => T | Promise<T>)

export interface SessionsStats {
  created: number
  rotated: number
  destroyed: number
  /** Writes refused because another writer changed the session first. */
  conflicts: number
  /** Stored sessions that read as absent because they were tampered, foreign or invalid. */
  rejected: number
}

export interface SessionsEvents {
  /** A stored session was refused (it reads as absent). `operation`: get, listForUser, … */
  rejected: [{ reason: RejectReason; operation: string }]
  [event: string]: unknown[]
}

export interface Sessions<T extends object = SessionData> {
  /** A new session with a fresh id. One round trip. */
  create(data: T, options?: CreateOptions): Promise<Session<T>>
  /** The session, or null. Extends the idle deadline when `touchAfter` of it has passed. One round trip. */
  get(id: string): Promise<Session<T> | null>
  /** Replaces the data (null when the session is gone). With `version`: only over that version. */
  set(id: string, data: T, options?: WriteOptions): Promise<Session<T> | null>
  /**
   * Merges `patch` into the data (or applies a function to it) without losing a concurrent
   * write: read, apply, write at the version read; on a conflict, read again and re-apply.
   */
  update(id: string, patch: Patch<T>, options?: WriteOptions): Promise<Session<T> | null>
  /** Extends the idle deadline (throttled by `touchAfter`); null when the session is gone. */
  touch(id: string): Promise<TouchResult | null>
  /** Ends the session; true when it existed. */
  destroy(id: string): Promise<boolean>
  /** A new id for the same session; the old id is dead at once. Null when the session is gone. */
  rotate(id: string, options?: RotateOptions<T>): Promise<Session<T> | null>
  listForUser(userId: string): Promise<UserSession<T>[]>
  /** "Log out everywhere": ends every session of the user (but `except`); returns the records deleted. */
  destroyAllForUser(userId: string, options?: DestroyAllOptions): Promise<number>
  /** Live sessions, from the indexes (no keyspace scan). */
  count(): Promise<number>
  /** An express-session Store over these sessions. */
  expressStore(options?: ExpressStoreOptions): ExpressStore
  stats(): SessionsStats
  on<K extends keyof SessionsEvents>(event: K, listener: (...args: SessionsEvents[K]) => void): () => void
}
