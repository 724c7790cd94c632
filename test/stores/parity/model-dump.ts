/**
 * The final state of a set of keys, read the same way from any Store: for each key its type,
 * whether it has a TTL (not the value: time passes), and its contents (string bytes, hash
 * fields, set members, sorted-set members with scores, list elements). HyperLogLogs are
 * compared by PFCOUNT only (the memory store writes them dense, Redis starts them sparse).
 */
import type { BatchCommand, KeyType, Store } from '../../../src/stores/types.js'
import { normalizeStreamReply } from './stream-normalize.js'

export interface KeyState {
  type: KeyType
  ttl: 'persistent' | 'volatile' | 'missing'
  value?: unknown
}

const HLL_MAGIC = Buffer.from('HYLL')

function contentCommand(type: KeyType, key: string): BatchCommand | undefined {
  if (type === 'string') return ['getBuffer', key]
  if (type === 'hash') return ['hgetall', key]
  if (type === 'set') return ['smembers', key]
  if (type === 'zset') return ['zrangeWithScores', key, 0, -1]
  if (type === 'list') return ['lrange', key, 0, -1]
  if (type === 'stream') return ['xrange', key, '-', '+']
  return undefined
}

/** A stream's entries, last id, groups and every group's pending entries and consumers. */
async function streamState(store: Store, key: string, entries: unknown): Promise<unknown> {
  const info = await store.xinfoStream(key)
  const groups = await store.xinfoGroups(key)
  const details = await Promise.all(
    groups.map(async (g) => ({
      ...g,
      pending: await store.xpendingRange(key, g.name, '-', '+', 10_000),
      consumers: await store.xinfoConsumers(key, g.name),
    })),
  )
  return normalizeStreamReply({ entries, length: info.length, lastId: info.lastGeneratedId, groups: details })
}

/** Reads the state of `keys` (symbolic name → real key); absent keys are `{ type: 'none' }`. */
export async function dumpState(
  store: Store,
  keys: Readonly<Record<string, string>>,
): Promise<Record<string, KeyState>> {
  const names = Object.keys(keys)
  const real = names.map((name) => keys[name]!)
  const meta = (await store.batch(
    real.flatMap((key) => [['type', key] as const, ['ttl', key] as const]),
  )) as (KeyType | number)[]
  const types = real.map((_, i) => meta[2 * i] as KeyType)
  const reads = real.map((key, i) => contentCommand(types[i]!, key))
  const wanted = reads.filter((c): c is BatchCommand => c !== undefined)
  const contents = wanted.length > 0 ? await store.batch(wanted) : []
  const state: Record<string, KeyState> = {}
  let next = 0
  for (const [i, name] of names.entries()) {
    const type = types[i]!
    const ttl = meta[2 * i + 1] as number
    if (type === 'none') {
      state[name] = { type, ttl: ttl === -2 ? 'missing' : 'volatile' }
      continue
    }
    let value: unknown = reads[i] ? contents[next++] : undefined
    if (type === 'set') value = [...(value as string[])].sort()
    if (type === 'stream') value = await streamState(store, real[i]!, value)
    if (Buffer.isBuffer(value) && value.subarray(0, 4).equals(HLL_MAGIC)) {
      value = { hyperloglog: await store.pfcount([real[i]!]) }
    }
    state[name] = { type, ttl: ttl === -1 ? 'persistent' : ttl > 0 ? 'volatile' : 'missing', value }
  }
  return state
}
