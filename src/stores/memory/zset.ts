/**
 * The memory store's sorted set: a Map from member to node plus an array of the nodes kept in
 * Redis order (score, then member bytes), maintained by binary search. Lookups are O(1), ranks and
 * bounds O(log n), rank ranges a slice; inserts and removals splice the array (a memmove).
 *
 * It also tracks which encoding Redis 7.0 would use, because one reply depends on it: a small set
 * (listpack: at most 128 members of at most 64 bytes) stores scores as text, where -0 becomes 0,
 * while a large one (skiplist) keeps -0. A set turns large when a member would break a limit and
 * never turns small again, except a ZUNIONSTORE result, which Redis re-encodes when it fits.
 */

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
  /** The nodes in Redis order. Read-only for callers. */
  readonly nodes: ZNode[] = []
  /** The value's estimated bytes (see nodeBytes). */
  bytes = 0
  /** true while Redis would keep this set as a listpack. */
  compact = true

  /** Builds a set from distinct members, encoded as Redis encodes a ZUNIONSTORE result. */
  static from(entries: Iterable<[string, number]>): ZSet {
    const zset = new ZSet()
    let fits = true
    for (const [member, score] of entries) {
      const node: ZNode = { member, score }
      zset.#map.set(member, node)
      zset.nodes.push(node)
      zset.bytes += nodeBytes(member)
      if (fits && !fitsListpack(member)) fits = false
    }
    zset.compact = fits && zset.nodes.length <= LISTPACK_MAX_ENTRIES
    if (zset.compact) for (const node of zset.nodes) node.score = zset.#stored(node.score)
    zset.nodes.sort(compareNodes)
    return zset
  }

  /** The score as the encoding keeps it: a listpack writes -0 as 0. */
  #stored(score: number): number {
    return this.compact && score === 0 ? 0 : score
  }

  get size(): number {
    return this.nodes.length
  }

  get(member: string): ZNode | undefined {
    return this.#map.get(member)
  }

  /** The 0-based position of a node that is in the set. */
  rank(node: ZNode): number {
    let lo = 0
    let hi = this.nodes.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareNodes(this.nodes[mid] as ZNode, node) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Adds a member that is not in the set. */
  add(member: string, score: number): void {
    if (this.compact && (this.nodes.length + 1 > LISTPACK_MAX_ENTRIES || !fitsListpack(member))) this.compact = false
    const node: ZNode = { member, score: this.#stored(score) }
    this.#map.set(member, node)
    this.nodes.splice(this.rank(node), 0, node)
    this.bytes += nodeBytes(member)
  }

  /** Changes the score of a node that is in the set, moving it to its new place. */
  update(node: ZNode, newScore: number): void {
    const score = this.#stored(newScore)
    const i = this.rank(node)
    const prev = this.nodes[i - 1]
    const next = this.nodes[i + 1]
    const moved: ZNode = { member: node.member, score }
    if (
      (prev === undefined || compareNodes(prev, moved) < 0) &&
      (next === undefined || compareNodes(moved, next) < 0)
    ) {
      node.score = score
      return
    }
    this.nodes.splice(i, 1)
    node.score = score
    this.nodes.splice(this.rank(node), 0, node)
  }

  /** Removes a member; false when it was not in the set. */
  delete(member: string): boolean {
    const node = this.#map.get(member)
    if (node === undefined) return false
    this.nodes.splice(this.rank(node), 1)
    this.#map.delete(member)
    this.bytes -= nodeBytes(member)
    return true
  }

  /** Removes the nodes at positions [from, to) and returns how many were removed. */
  deleteRange(from: number, to: number): number {
    if (to <= from) return 0
    for (const node of this.nodes.splice(from, to - from)) {
      this.#map.delete(node.member)
      this.bytes -= nodeBytes(node.member)
    }
    return to - from
  }

  /** The first position whose score is above `min` (or at it, when inclusive). */
  lowerBound(min: number, exclusive: boolean): number {
    let lo = 0
    let hi = this.nodes.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const score = (this.nodes[mid] as ZNode).score
      if (exclusive ? score <= min : score < min) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** The first position whose score is above `max` (or at it, when exclusive). */
  upperBound(max: number, exclusive: boolean): number {
    let lo = 0
    let hi = this.nodes.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const score = (this.nodes[mid] as ZNode).score
      if (exclusive ? score < max : score <= max) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
