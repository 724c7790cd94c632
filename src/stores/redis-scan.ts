/**
 * SCAN for RedisStore as an async iterable of key batches. On a cluster every master is
 * scanned (a plain cluster.scan would see one node only). An ioredis `keyPrefix` is added to
 * MATCH and stripped from the keys returned, so callers see the same names they write.
 */
import type { Cluster, Redis } from 'ioredis'
import { RedisKitError } from '../errors.js'
import { escapeGlob } from '../internal/keys.js'
import type { Connection } from './redis-connection.js'
import type { ScanOptions } from './types.js'

export async function* scanRedis(conn: Connection, options: ScanOptions = {}): AsyncGenerator<string[]> {
  if (conn.closed) throw new RedisKitError('CLOSED', 'the Redis store is closed')
  const prefix = conn.keyPrefix
  const match = prefix ? escapeGlob(prefix) + (options.match ?? '*') : options.match
  const args: (string | number)[] = []
  if (match !== undefined) args.push('MATCH', match)
  args.push('COUNT', Math.max(1, options.count ?? 100))
  if (options.type) args.push('TYPE', options.type)

  await conn.whenReady()
  const nodes: Redis[] = conn.isCluster ? (conn.client as Cluster).nodes('master') : [conn.client as Redis]
  for (const node of nodes) {
    let cursor = '0'
    do {
      const reply = (await conn.send(['scan', cursor, ...args], false, node)) as [string, string[]]
      cursor = String(reply[0])
      const keys = prefix
        ? reply[1].map((k) => (k.startsWith(prefix) ? k.slice(prefix.length) : k))
        : reply[1]
      if (keys.length > 0) yield keys
    } while (cursor !== '0')
  }
}
