/**
 * Memory store: SCAN as an async iterable. It walks the keyspace index with a live Map
 * iterator, so keys present for the whole scan are returned (at least once), keys added meanwhile may
 * or may not be, and concurrent writes never break the iteration — Redis's SCAN guarantee.
 */
import { RedisKitError } from '../../errors.js'
import type { ScanOptions } from '../types.js'
import { globMatch } from './glob.js'
import type { Keyspace } from './keyspace.js'

const YIELD_EVERY = 1000

export async function* scanKeyspace(
  ks: Keyspace,
  options: ScanOptions | undefined,
  isClosed: () => boolean,
): AsyncGenerator<string[]> {
  const count = Math.max(1, options?.count ?? 100)
  const match = options?.match
  const type = options?.type
  let batch: string[] = []
  let visited = 0
  for (const [key, entry] of ks.index) {
    if (isClosed()) throw new RedisKitError('CLOSED', 'the memory store is closed')
    visited++
    const live = entry.expiresAt === 0 || entry.expiresAt > ks.now()
    if (
      live &&
      (type === undefined || entry.type === type) &&
      (match === undefined || globMatch(match, key))
    ) {
      batch.push(key)
      if (batch.length >= count) {
        yield batch
        batch = []
      }
    }
    if (visited % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  if (batch.length > 0) yield batch
}
