/** Options of createRedisStore, validated with zod. Durations are seconds or '250ms'-style strings. */
import { z } from 'zod'
import { durationSchema } from '../internal/options.js'

const redisUrl = z.string().refine(
  (url) => {
    try {
      const protocol = new URL(url).protocol
      return protocol === 'redis:' || protocol === 'rediss:'
    } catch {
      return false
    }
  },
  { message: 'must be a URL like redis://host:6379 or rediss://user:password@host:6380/0' },
)

const node = z.union([
  redisUrl,
  z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }),
])

export const redisStoreOptionsSchema = z
  .object({
    /** redis:// or rediss:// (TLS) URL, with optional user, password and db. */
    url: redisUrl.optional(),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).default(6379),
    username: z.string().optional(),
    password: z.string().optional(),
    db: z.number().int().min(0).optional(),
    /** true, or Node TLS options (ca, cert, servername …). */
    tls: z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional(),
    /** Startup nodes of a Redis Cluster. */
    cluster: z.array(node).min(1).optional(),
    /** Address translation for cluster nodes (ioredis natMap). */
    natMap: z.record(z.string(), z.object({ host: z.string(), port: z.number().int() })).optional(),
    /** An existing ioredis Redis or Cluster client (left open by close()). */
    client: z.custom<object>((v) => typeof v === 'object' && v !== null && 'sendCommand' in v).optional(),
    /** Deadline of each command. @default '1s' */
    commandTimeout: durationSchema().default('1s'),
    /** Deadline of connecting (and of waiting for a connection before a command). @default '2s' */
    connectTimeout: durationSchema().default('2s'),
    /** Silence on a socket with pending commands before it is dropped. @default '5s' */
    socketTimeout: durationSchema().default('5s'),
    /** How often a cluster client refreshes its slot map (a frozen master is noticed). @default '2s' */
    slotsRefreshInterval: durationSchema().default('2s'),
    /** Largest value accepted (VALUE_TOO_LARGE beyond it). @default 16 MiB */
    maxValueBytes: z
      .number()
      .int()
      .positive()
      .default(16 * 1024 * 1024),
    /** Most connections held by blocking reads (XREAD/XREADGROUP BLOCK) at once. @default 32 */
    maxBlockingConnections: z.number().int().positive().default(32),
    /** Extra ioredis options, applied last (per node on a cluster). */
    ioredis: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()

export type RedisStoreOptions = z.input<typeof redisStoreOptionsSchema>
