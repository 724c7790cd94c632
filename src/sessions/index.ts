/**
 * @module redis-kit/sessions
 * Server-side sessions that are safe by default: hashed keys, idle and absolute timeouts enforced
 * in Redis, atomic rotation, per-user listing and revocation, lost-update detection, optional
 * encryption at rest, and an express-session Store.
 */

export type { EncryptionKey } from './crypto.js'
export type { ExpressSessionData, ExpressStore, ExpressStoreOptions } from './express.js'
export type { SessionData, SessionsOptions } from './options.js'
export type { RejectReason } from './payload.js'
export type { StandardSchemaV1 } from './schema.js'
export { createSessions } from './sessions.js'
export type {
  CreateOptions,
  DestroyAllOptions,
  Patch,
  RotateOptions,
  Session,
  Sessions,
  SessionsEvents,
  SessionsStats,
  TouchResult,
  UserSession,
  WriteOptions,
} from './types.js'
