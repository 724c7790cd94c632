/**
 * Keyspace usage under the prefix, per primitive: SCAN MATCH `<prefix>*` on every master, bounded
 * in keys and time, with MEMORY USAGE sampled on a few keys per primitive to estimate the bytes.
 */
import type { Redis } from 'ioredis'
import { escapeGlob } from '../internal/keys.js'
import { bytes, type CheckResult, count, raw } from './check.js'
import type { Target } from './connect.js'

/** Module segment of a key (`<prefix><module>:…`) → the primitive that writes it. */
const MODULES: Record<string, string> = {
  cache: 'cache',
  'llm-cache': 'llmCache',
  sessions: 'sessions',
  'rate-limit': 'rateLimit',
  streams: 'streams',
  pubsub: 'pubsub',
  analytics: 'analytics',
  'sorted-sets': 'sortedSets',
  trending: 'sortedSets',
  hyperloglog: 'hyperloglog',
  bitmaps: 'bitmaps',
  flags: 'bitmaps',
  ops: 'failover journal',
  doctor: 'doctor probe',
}

/** The primitives whose keys an evicting policy may drop without losing anything but hits. */
const CACHES = new Set(['cache', 'llmCache', 'doctor probe'])

export interface KeyspaceOptions {
  /** Most keys scanned in total. @default 100_000 */
  maxKeys?: number
  /** Longest time spent scanning, in ms. @default 5000 */
  maxMs?: number
  /** Keys sampled with MEMORY USAGE per primitive. @default 20 */
  sample?: number
}

export interface Usage {
  keys: number
  /** Estimated bytes (sampled mean × keys), or null when MEMORY USAGE is not permitted. */
  bytes: number | null
  sampled: string[]
}

export function primitiveOf(prefix: string, key: string): string {
  const rest = key.slice(prefix.length)
  const colon = rest.indexOf(':')
  const module = colon === -1 ? rest : rest.slice(0, colon)
  return MODULES[module] ?? 'other'
}

async function sampleBytes(node: Redis, keys: string[]): Promise<number | null> {
  let total = 0
  for (const key of keys) {
    try {
      total += Number((await raw(node, 'memory', 'usage', key)) ?? 0)
    } catch {
      return null
    }
  }
  return keys.length === 0 ? 0 : total / keys.length
}

export async function keyspaceCheck(
  target: Target,
  options: KeyspaceOptions = {},
): Promise<{ result: CheckResult; cacheOnly: boolean }> {
  const maxKeys = options.maxKeys ?? 100_000
  const deadline = performance.now() + (options.maxMs ?? 5000)
  const sample = options.sample ?? 20
  const match = `${escapeGlob(target.prefix)}*`
  const usage = new Map<string, Usage & { mean: number | null; perNode: Map<Redis, string[]> }>()
  let scanned = 0
  let truncated = false
  for (const node of target.masters()) {
    let cursor = '0'
    do {
      if (scanned >= maxKeys || performance.now() > deadline) {
        truncated = true
        break
      }
      const [next, keys] = (await raw(node, 'scan', cursor, 'MATCH', match, 'COUNT', 1000)) as [
        string,
        string[],
      ]
      cursor = String(next)
      scanned += keys.length
      for (const key of keys) {
        const name = primitiveOf(target.prefix, key)
        let u = usage.get(name)
        if (!u) usage.set(name, (u = { keys: 0, bytes: null, sampled: [], mean: null, perNode: new Map() }))
        u.keys++
        if (u.sampled.length < sample) {
          u.sampled.push(key)
          u.perNode.set(node, [...(u.perNode.get(node) ?? []), key])
        }
      }
    } while (cursor !== '0')
    if (truncated) break
  }
  const perPrimitive: Record<string, { keys: number; bytes: number | null }> = {}
  for (const [name, u] of [...usage].sort((a, b) => b[1].keys - a[1].keys)) {
    let sum = 0
    let known = true
    for (const [node, keys] of u.perNode) {
      const mean = await sampleBytes(node, keys)
      if (mean === null) known = false
      else sum += mean * keys.length
    }
    const estimate = known && u.sampled.length > 0 ? Math.round((sum / u.sampled.length) * u.keys) : null
    perPrimitive[name] = { keys: u.keys, bytes: estimate }
  }
  const names = Object.keys(perPrimitive)
  const details = names.map((name) => {
    const { keys, bytes: b } = perPrimitive[name]!
    return `${name}: ${count(keys)} key${keys === 1 ? '' : 's'}${b === null ? '' : `, ≈ ${bytes(b)}`}`
  })
  const bound = truncated ? ` (scan stopped at ${count(scanned)} keys: counts are lower bounds)` : ''
  const message =
    scanned === 0
      ? `no keys under '${target.prefix}' yet`
      : `${count(scanned)} key${scanned === 1 ? '' : 's'} under '${target.prefix}' in ${names.length} primitive${names.length === 1 ? '' : 's'}${bound}`
  const data = { prefix: target.prefix, keys: scanned, truncated, primitives: perPrimitive }
  return {
    result: { id: 'keyspace', status: 'pass', message, details, data },
    cacheOnly: names.length > 0 && names.every((n) => CACHES.has(n)),
  }
}
