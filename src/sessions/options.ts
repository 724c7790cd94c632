/**
 * Options of createSessions, validated with zod at the factory boundary (INVALID_OPTIONS names
 * each bad option and the fix).
 */
import { z } from 'zod'
import { type Duration, toMs } from '../internal/duration.js'
import { durationSchema, parseOptions } from '../internal/options.js'
import { type EncryptionKey, isKeyId, keyBytes } from './crypto.js'
import { isStandardSchema, type StandardSchemaV1 } from './schema.js'

/** What a session holds: a plain object (express-session's sessions are). */
export type SessionData = Record<string, unknown>

export interface SessionsOptions<T extends object = SessionData> {
  /** Prefix of every key (`<prefix>sessions:…`). createKit passes its own. @default 'kit:' */
  prefix?: string
  /**
   * Idle (rolling) timeout: a session unused for this long ends. Per session: `create(…, { ttl })`.
   * @default '1d'
   */
  idleTimeout?: Duration
  /** Absolute timeout: a session ends this long after it was created, however active. @default '7d' */
  absoluteTimeout?: Duration
  /**
   * Reads and touches extend the idle deadline only once this fraction of the idle timeout has
   * passed since the last extension (0: every time). @default 0.1
   */
  touchAfter?: number
  /** Encrypt session data at rest (AES-256-GCM). The first key encrypts; any key decrypts. */
  encryption?: {
    keys: EncryptionKey[]
    /** Read records written before encryption was enabled (writes are always encrypted). @default false */
    acceptPlaintext?: boolean
  }
  /** A zod (or any Standard Schema) schema the data must match, on write and on read. */
  schema?: StandardSchemaV1<unknown, T>
  /** The largest session, in bytes of its stored form. @default 262144 (256 KiB) */
  maxBytes?: number
  /** How often update() re-reads and re-applies its patch when another writer got in first. @default 5 */
  updateRetries?: number
}

/**
 * The longest idle or absolute timeout, in ms: a safe integer, so that it is written as plain
 * digits (the create script stores the idle timeout as the client sends it).
 */
export const MAX_TIMEOUT_MS = Number.MAX_SAFE_INTEGER

const positiveDuration = () =>
  durationSchema()
    .refine((d) => toMs(d) >= 1, { message: 'must be at least 1 ms' })
    .refine((d) => toMs(d) <= MAX_TIMEOUT_MS, { message: `must be at most ${MAX_TIMEOUT_MS} ms` })

const keySchema = z
  .object({
    id: z.custom<string>(isKeyId, {
      message: "must be 1-32 letters, digits, '_' or '-' (it is stored with each record)",
    }),
    key: z.custom<EncryptionKey['key']>((k) => keyBytes(k) !== undefined, {
      message: 'must be 32 bytes: a Buffer, or base64 / hex text of 32 bytes (`openssl rand -base64 32`)',
    }),
  })
  .strict()

const schema = z
  .object({
    prefix: z
      .string()
      .max(256)
      .refine((p) => !/[*?[\]\\{}]/.test(p), { message: 'must not contain * ? [ ] \\ { }' })
      .default('kit:'),
    idleTimeout: positiveDuration().default('1d'),
    absoluteTimeout: positiveDuration().default('7d'),
    touchAfter: z.number().min(0).max(1).default(0.1),
    encryption: z
      .object({
        keys: z
          .array(keySchema)
          .min(1, { message: 'needs at least one key' })
          .refine((keys) => new Set(keys.map((k) => k.id)).size === keys.length, {
            message: 'key ids must be unique',
          }),
        acceptPlaintext: z.boolean().default(false),
      })
      .strict()
      .optional(),
    schema: z
      .custom<StandardSchemaV1>(isStandardSchema, {
        message: 'must be a zod schema or another Standard Schema (an object with ~standard.validate)',
      })
      .optional(),
    maxBytes: z
      .number()
      .int()
      .min(64)
      .default(256 * 1024),
    updateRetries: z.number().int().min(0).max(100).default(5),
  })
  .strict()

export interface ResolvedOptions {
  prefix: string
  idleMs: number
  absoluteMs: number
  touchAfter: number
  encryption?: { keys: EncryptionKey[]; acceptPlaintext: boolean }
  schema?: StandardSchemaV1
  maxBytes: number
  updateRetries: number
}

export function resolveOptions(input: unknown): ResolvedOptions {
  const o = parseOptions(schema, input, 'createSessions')
  return {
    prefix: o.prefix,
    idleMs: toMs(o.idleTimeout as Duration),
    absoluteMs: toMs(o.absoluteTimeout as Duration),
    touchAfter: o.touchAfter,
    ...(o.encryption ? { encryption: o.encryption as ResolvedOptions['encryption'] } : {}),
    ...(o.schema ? { schema: o.schema } : {}),
    maxBytes: o.maxBytes,
    updateRetries: o.updateRetries,
  }
}
