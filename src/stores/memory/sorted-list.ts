/**
 * A sorted list of distinct items kept in blocks of a few hundred (the layout of Python's
 * sortedcontainers). One big array would make every insert and removal a splice of the whole
 * list, which V8 does slowly (about 0.1 ms per splice at 100k items); blocks bound a splice to
 * the block, and finding a position is a binary search over the blocks' last items plus one
 * inside a block. Ranks add up the lengths of the blocks before: O(n / 512), a short loop.
 */

const LOAD = 512

/** Leading items of a sorted block for which `pred` holds (pred is true, then false). */
function countIn<T>(block: readonly T[], pred: (item: T) => boolean): number {
  let lo = 0
  let hi = block.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (pred(block[mid] as T)) lo = mid + 1
    else hi = mid
  }
  return lo
}

export class SortedList<T> {
  #blocks: T[][] = []
  #size = 0
  readonly #compare: (a: T, b: T) => number

  /** `sorted` must already be in order and without duplicates. */
  constructor(compare: (a: T, b: T) => number, sorted: readonly T[] = []) {
    this.#compare = compare
    this.#load(sorted)
  }

  get size(): number {
    return this.#size
  }

  /** How many leading items satisfy `pred`, which must hold for a prefix of the list only. */
  countWhile(pred: (item: T) => boolean): number {
    const b = this.#blockWhere(pred)
    if (b === this.#blocks.length) return this.#size
    return this.#offset(b) + countIn(this.#blocks[b] as T[], pred)
  }

  /** Inserts an item that is not in the list. */
  insert(item: T): void {
    if (this.#blocks.length === 0) {
      this.#blocks.push([item])
      this.#size = 1
      return
    }
    const before = (other: T) => this.#compare(other, item) < 0
    const b = Math.min(this.#blockWhere(before), this.#blocks.length - 1)
    const block = this.#blocks[b] as T[]
    block.splice(countIn(block, before), 0, item)
    this.#size++
    if (block.length > 2 * LOAD) this.#blocks.splice(b + 1, 0, block.splice(LOAD))
  }

  /** Removes an item (found by comparison); false when it is not in the list. */
  remove(item: T): boolean {
    const before = (other: T) => this.#compare(other, item) < 0
    const b = this.#blockWhere(before)
    const block = this.#blocks[b]
    if (block === undefined) return false
    const i = countIn(block, before)
    if (i === block.length || this.#compare(block[i] as T, item) !== 0) return false
    block.splice(i, 1)
    this.#size--
    this.#shrink(b)
    return true
  }

  /** The items at positions [from, to). */
  slice(from: number, to: number): T[] {
    const out: T[] = []
    let offset = 0
    for (const block of this.#blocks) {
      if (offset >= to) break
      const end = offset + block.length
      if (end > from) {
        for (let i = Math.max(from, offset) - offset; i < block.length && offset + i < to; i++)
          out.push(block[i] as T)
      }
      offset = end
    }
    return out
  }

  /** Removes the items at positions [from, to) and returns them. */
  removeRange(from: number, to: number): T[] {
    if (to <= from) return []
    if (from === 0 && to >= this.#size) {
      const all = this.slice(0, this.#size)
      this.#load([])
      return all
    }
    const removed: T[] = []
    let offset = 0
    for (const block of this.#blocks) {
      if (offset >= to) break
      const length = block.length
      const start = Math.max(from, offset) - offset
      const end = Math.min(to, offset + length) - offset
      if (end > start) removed.push(...block.splice(start, end - start))
      offset += length
    }
    this.#size -= removed.length
    this.#blocks = this.#blocks.filter((block) => block.length > 0)
    // many partial blocks after repeated range removals: lay the list out again
    if (this.#blocks.length > 2 * Math.ceil(this.#size / LOAD) + 2) this.#load(this.slice(0, this.#size))
    return removed
  }

  forEach(visit: (item: T) => void): void {
    for (const block of this.#blocks) for (const item of block) visit(item)
  }

  #load(sorted: readonly T[]): void {
    this.#blocks = []
    for (let i = 0; i < sorted.length; i += LOAD) this.#blocks.push(sorted.slice(i, i + LOAD))
    this.#size = sorted.length
  }

  /** The first block whose last item fails `pred` (blocks.length when every item satisfies it). */
  #blockWhere(pred: (item: T) => boolean): number {
    let lo = 0
    let hi = this.#blocks.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const block = this.#blocks[mid] as T[]
      if (pred(block[block.length - 1] as T)) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  #offset(b: number): number {
    let offset = 0
    for (let i = 0; i < b; i++) offset += (this.#blocks[i] as T[]).length
    return offset
  }

  /** Drops an empty block and merges a small one into a neighbour. */
  #shrink(b: number): void {
    const block = this.#blocks[b] as T[]
    if (block.length === 0) {
      this.#blocks.splice(b, 1)
      return
    }
    if (block.length >= LOAD / 4 || this.#blocks.length === 1) return
    const into = b > 0 ? b - 1 : b
    const merged = (this.#blocks[into] as T[]).concat(this.#blocks[into + 1] as T[])
    this.#blocks.splice(into, 2, merged)
    if (merged.length > 2 * LOAD) this.#blocks.splice(into + 1, 0, merged.splice(LOAD))
  }
}
