/**
 * The memory store's sorted set: a Map from member to node plus the nodes in Redis order (score,
 * then member bytes) in a SortedList. Score lookups are O(1); inserts, removals, ranks and bounds
 * take a binary search plus a splice within one block; a rank range is a slice.
 *
 * It also tracks which encoding Redis 7.0 would use, because one reply depends on it: a small set
 * (listpack: at most 128 members of at most 64 bytes) stores scores as text, where -0 becomes 0,
 * while a large one (skiplist) keeps -0. A set turns large when a member would break a limit and
 * never turns small again, except a ZUNIONSTORE result, which Redis re-encodes when it fits.
 */
import { SortedList } from './sorted-list.js'

/** Redis's zset-max-listpack-entries and zset-max-listpack-value defaults. */
const LISTPACK_MAX_ENTRIES = 128
const LISTPACK_MAX_VALUE = 64

/** Whether a member fits in a listpack (at most 64 UTF-8 bytes), measuring only when needed. */
const fitsListpack = (member: string): boolean =>
  member.length * 3 <= LISTPACK_MAX_VALUE ||
  (member.length <= LISTPACK_MAX_VALUE && Buffer.byteLength(member) <= LISTPACK_MAX_VALUE)

export interface ZNode {
  readonly member: string
  score: number
}

/** Bytes a member is estimated to take: its length plus 8 for the score. */
export const nodeBytes = (member: string): number => member.length + 8

/**
 * Compares two strings in the order of their UTF-8 bytes (Redis's memcmp order), which is code
 * point order. Plain `<` compares UTF-16 units, which puts astral characters (surrogate pairs)
 * before U+E000–U+FFFF; this shifts the surrogates above that block when both units are high.
 */
export function compareMembers(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x === y) continue
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000
    }
    return x < y ? -1 : 1
  }
  return a.length - b.length
}

/** Redis order: by score (-0 equals +0), ties by member bytes. */
export function compareNodes(a: ZNode, b: ZNode): number {
  if (a.score < b.score) return -1
  if (a.score > b.score) return 1
  return compareMembers(a.member, b.member)
}

export class ZSet {
  readonly #map = new Map<string, ZNode>()
  #order: SortedList<ZNode>
  /** The value's estimated bytes (see nodeBytes). */
  bytes = 0
  /** true while Redis would keep this set as a listpack. */
  compact = true

  constructor(order: SortedList<ZNode> = new SortedList(compareNodes)) {
    this.#order = order
  }

  /** Builds a set from distinct members, encoded as Redis encodes a ZUNIONSTORE result. */
  static from(entries: Iterable<[string, number]>): ZSet {
    const nodes: ZNode[] = []
    let fits = true
    let bytes = 0
    for (const [member, score] of entries) {
      nodes.push({ member, score })
      bytes += nodeBytes(member)
      if (fits && !fitsListpack(member)) fits = false
    }
    const compact = fits && nodes.length <= LISTPACK_MAX_ENTRIES
    if (compact) for (const node of nodes) if (node.score === 0) node.score = 0
    nodes.sort(compareNodes)
    const zset = new ZSet(new SortedList(compareNodes, nodes))
    for (const node of nodes) zset.#map.set(node.member, node)
    zset.bytes = bytes
    zset.compact = compact
    return zset
  }

  get size(): number {
    return this.#order.size
  }

  get(member: string): ZNode | undefined {
    return this.#map.get(member)
  }

  /** The 0-based position of a node that is in the set. */
  rank(node: ZNode): number {
    return this.#order.countWhile((other) => compareNodes(other, node) < 0)
  }

  /** The nodes at positions [from, to). */
  slice(from: number, to: number): ZNode[] {
    return this.#order.slice(from, to)
  }

  forEach(visit: (node: ZNode) => void): void {
    this.#order.forEach(visit)
  }

  /** Adds a member that is not in the set. */
  add(member: string, score: number): void {
    if (this.compact && (this.size + 1 > LISTPACK_MAX_ENTRIES || !fitsListpack(member))) this.compact = false
    const node: ZNode = { member, score: this.#stored(score) }
    this.#map.set(member, node)
    this.#order.insert(node)
    this.bytes += nodeBytes(member)
  }

  /** Changes the score of a node that is in the set, moving it to its new place. */
  update(node: ZNode, score: number): void {
    this.#order.remove(node)
    node.score = this.#stored(score)
    this.#order.insert(node)
  }

  /** Removes a member; false when it was not in the set. */
  delete(member: string): boolean {
    const node = this.#map.get(member)
    if (node === undefined) return false
    this.#order.remove(node)
    this.#map.delete(member)
    this.bytes -= nodeBytes(member)
    return true
  }

  /** Removes the nodes at positions [from, to) and returns how many were removed. */
  deleteRange(from: number, to: number): number {
    const removed = this.#order.removeRange(from, to)
    for (const node of removed) {
      this.#map.delete(node.member)
      this.bytes -= nodeBytes(node.member)
    }
    return removed.length
  }

  /** The first position whose score is above `min` (or at it, when inclusive). */
  lowerBound(min: number, exclusive: boolean): number {
    return this.#order.countWhile((node) => (exclusive ? node.score <= min : node.score < min))
  }

  /** The first position whose score is above `max` (or at it, when exclusive). */
  upperBound(max: number, exclusive: boolean): number {
    return this.#order.countWhile((node) => (exclusive ? node.score < max : node.score <= max))
  }

  /** The score as the encoding keeps it: a listpack writes -0 as 0. */
  #stored(score: number): number {
    return this.compact && score === 0 ? 0 : score
  }
}
