/**
 * The memory store's stream, laid out as Redis lays it out: nodes of up to 100 entries / 4096
 * listpack bytes, each with its master entry (the first entry's id and field names); deleting an
 * entry only flags it (the node's counts change, its bytes barely), and a node whose last live
 * entry goes is removed. Appending, iterating, deleting and trimming follow t_stream.c, so that
 * approximate trimming removes exactly the entries Redis removes.
 */
import { ID_MAX, makeId, msOf, seqOf, U64_MAX } from '../../stream-ids.js'
import type { Group } from './groups.js'
import { intSize, LISTPACK_EMPTY, NODE_MAX_BYTES, NODE_MAX_ENTRIES, stringSize } from './listpack.js'

export interface NodeEntry {
  readonly id: bigint
  readonly text: string
  /** Field names and values, alternating. */
  readonly fields: string[]
  deleted: boolean
}

export interface StreamNode {
  readonly master: bigint
  readonly masterFields: string[]
  readonly entries: NodeEntry[]
  live: number
  deleted: number
  /** Listpack bytes without the live/deleted counters (their size changes with their values). */
  body: number
}

export interface StreamValue {
  nodes: StreamNode[]
  length: number
  lastId: bigint
  /** Sum of the nodes' bytes (for the keyspace's byte budget). */
  nodeBytes: number
  groups: Map<string, Group>
}

/** A field or value as the listpack sees it: its text and its size in bytes. */
export interface Element {
  text: string
  bytes: number
}

export function emptyStream(): StreamValue {
  return { nodes: [], length: 0, lastId: 0n, nodeBytes: 0, groups: new Map() }
}

export const nodeBytes = (node: StreamNode): number => node.body + intSize(node.live) + intSize(node.deleted)

/** Appends an entry with id `id` (already checked to be above lastId). */
export function append(s: StreamValue, id: bigint, text: string, pairs: Element[]): void {
  let node = s.nodes.at(-1)
  let total = 0
  for (const e of pairs) total += e.bytes
  if (node && (nodeBytes(node) + total >= NODE_MAX_BYTES || node.live + node.deleted >= NODE_MAX_ENTRIES)) {
    node = undefined
  }
  const count = pairs.length / 2
  const names = pairs.filter((_, i) => i % 2 === 0)
  if (!node) {
    node = { master: id, masterFields: names.map((e) => e.text), entries: [], live: 0, deleted: 0, body: 0 }
    node.body = LISTPACK_EMPTY + intSize(count) + intSize(0)
    for (const e of names) node.body += stringSize(e.text, e.bytes)
    s.nodes.push(node)
  } else s.nodeBytes -= nodeBytes(node)
  const same = count === node.masterFields.length && names.every((e, i) => e.text === node!.masterFields[i])
  let bytes = intSize(same ? 2 : 0) + intSize(BigInt.asIntN(64, msOf(id) - msOf(node.master)))
  bytes += intSize(BigInt.asIntN(64, seqOf(id) - seqOf(node.master)))
  if (!same) bytes += intSize(count)
  pairs.forEach((e, i) => {
    if (!same || i % 2 === 1) bytes += stringSize(e.text, e.bytes)
  })
  bytes += intSize(same ? count + 3 : 2 * count + 4)
  node.body += bytes
  node.live++
  node.entries.push({ id, text, fields: pairs.map((e) => e.text), deleted: false })
  s.nodeBytes += nodeBytes(node)
  s.length++
  s.lastId = id
}

/** The index of the node that holds `id` if it exists: the last one whose master is <= id. */
function nodeIndex(s: StreamValue, id: bigint): number {
  let lo = 0
  let hi = s.nodes.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (s.nodes[mid]!.master <= id) {
      found = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return found
}

function entryIndex(entries: NodeEntry[], id: bigint): number {
  let lo = 0
  let hi = entries.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (entries[mid]!.id < id) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Live entries from `start` to `end` (inclusive), at most `count`, newest first with `rev`. */
export function range(
  s: StreamValue,
  start: bigint,
  end: bigint,
  count = Infinity,
  rev = false,
): NodeEntry[] {
  const out: NodeEntry[] = []
  if (start > end || count <= 0) return out
  if (!rev) {
    for (let n = Math.max(0, nodeIndex(s, start)); n < s.nodes.length; n++) {
      const entries = s.nodes[n]!.entries
      for (let i = entryIndex(entries, start); i < entries.length; i++) {
        const e = entries[i]!
        if (e.id > end) return out
        if (!e.deleted && out.push(e) >= count) return out
      }
    }
    return out
  }
  for (let n = nodeIndex(s, end); n >= 0; n--) {
    const entries = s.nodes[n]!.entries
    let i = entryIndex(entries, end)
    if (i >= entries.length || entries[i]!.id > end) i--
    for (; i >= 0; i--) {
      const e = entries[i]!
      if (e.id < start) return out
      if (!e.deleted && out.push(e) >= count) return out
    }
  }
  return out
}

/** The live entry `id`, if any. */
export function lookup(s: StreamValue, id: bigint): NodeEntry | undefined {
  const n = nodeIndex(s, id)
  if (n < 0) return undefined
  const entries = s.nodes[n]!.entries
  const e = entries[entryIndex(entries, id)]
  return e && e.id === id && !e.deleted ? e : undefined
}

/** Deletes live entry `id` (XDEL); false when there is none. */
export function remove(s: StreamValue, id: bigint): boolean {
  const n = nodeIndex(s, id)
  if (n < 0) return false
  const node = s.nodes[n]!
  const e = node.entries[entryIndex(node.entries, id)]
  if (!e || e.id !== id || e.deleted) return false
  s.nodeBytes -= nodeBytes(node)
  e.deleted = true
  if (node.live === 1) s.nodes.splice(n, 1)
  else {
    node.live--
    node.deleted++
    s.nodeBytes += nodeBytes(node)
  }
  s.length--
  return true
}

export interface TrimArgs {
  maxlen?: number
  minid?: bigint
  approximate: boolean
  /** 0: no limit. */
  limit: number
}

/** Trims from the oldest end as streamTrim() does; returns how many entries were removed. */
export function trim(s: StreamValue, t: TrimArgs): number {
  let removed = 0
  while (s.nodes.length > 0) {
    if (t.maxlen !== undefined && s.length <= t.maxlen) break
    const node = s.nodes[0]!
    if (t.limit && removed + node.live > t.limit) break
    const whole =
      t.maxlen !== undefined ? s.length - node.live >= t.maxlen : node.entries.at(-1)!.id < t.minid!
    if (whole) {
      s.nodeBytes -= nodeBytes(node)
      s.nodes.shift()
      s.length -= node.live
      removed += node.live
      continue
    }
    if (t.approximate) break
    s.nodeBytes -= nodeBytes(node)
    let inNode = 0
    for (const e of node.entries) {
      if (t.maxlen !== undefined ? s.length <= t.maxlen : e.id >= t.minid!) break
      if (e.deleted) continue
      e.deleted = true
      inNode++
      s.length--
    }
    node.live -= inNode
    node.deleted += inNode
    s.nodeBytes += nodeBytes(node)
    removed += inNode
    break
  }
  return removed
}

/** The id after `id` (XADD '*' and 'ms-*'), or undefined when ids are exhausted. */
export function nextId(s: StreamValue, nowMs: number): bigint | undefined {
  const now = BigInt(Math.max(0, Math.floor(nowMs)))
  if (now > msOf(s.lastId)) return makeId(now, 0n)
  return s.lastId === ID_MAX ? undefined : s.lastId + 1n
}

/** The id of `ms-*`: the next sequence of the last id's millisecond, or ms-0. */
export function idInMs(s: StreamValue, ms: bigint): bigint | undefined {
  if (ms !== msOf(s.lastId)) return makeId(ms, 0n)
  return seqOf(s.lastId) === U64_MAX ? undefined : s.lastId + 1n
}
