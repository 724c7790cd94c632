/** What every doctor check returns, and small helpers the checks share. */
import type { Redis } from 'ioredis'
import type { StoreInfo } from '../stores/types.js'

export type Status = 'pass' | 'warn' | 'fail'

export interface CheckResult {
  /** Stable identifier: connection, server, latency, memory, persistence, acl, keyspace, scripts. */
  id: string
  status: Status
  /** One line a person reads. */
  message: string
  /** Further lines (one per problem, or the per-primitive figures). */
  details?: string[]
  /** Figures for machines (--json). */
  data?: Record<string, unknown>
}

const RANK: Record<Status, number> = { pass: 0, warn: 1, fail: 2 }

/** The worse of two statuses. */
export function worst(a: Status, b: Status): Status {
  return RANK[b] > RANK[a] ? b : a
}

/** Parses INFO text into fields (sections and comments dropped). */
export function parseInfo(text: string): StoreInfo {
  const out: StoreInfo = Object.create(null)
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon > 0 && !line.startsWith('#')) out[line.slice(0, colon)] = line.slice(colon + 1).trim()
  }
  return out
}

/** Sends a raw command to one node (the client's commandTimeout bounds it). */
export function raw(node: Redis, ...args: (string | number)[]): Promise<unknown> {
  return node.call(String(args[0]), ...args.slice(1)) as Promise<unknown>
}

/** INFO of one node, or null when the user may not run INFO (NOPERM). */
export async function nodeInfo(node: Redis, section?: string): Promise<StoreInfo | null> {
  try {
    return parseInfo(String(await (section ? raw(node, 'info', section) : raw(node, 'info'))))
  } catch (err) {
    if (/NOPERM/.test((err as Error).message)) return null
    throw err
  }
}

/** `host:port` of a node. */
export function nodeName(node: Redis): string {
  return `${node.options.host ?? '127.0.0.1'}:${node.options.port ?? 6379}`
}

/** 1536 → '1.5 KiB'. */
export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let i = 0
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024
    i++
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`
}

export function count(n: number): string {
  return n.toLocaleString('en-US')
}
