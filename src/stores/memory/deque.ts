/**
 * A double-ended queue on a ring buffer: push and pop at both ends and access by index in O(1),
 * however long it grows (Array's unshift and shift move every element). The backing array's
 * capacity is a power of two: it doubles when full and halves when a quarter full, so a list
 * that grew to millions of elements and was popped empty again does not keep its memory.
 */

const MIN_CAPACITY = 8

export class Deque<T> {
  #items: (T | undefined)[]
  /** Position of the first element in #items. */
  #head = 0
  #length = 0
  /** capacity - 1 (the capacity is a power of two). */
  #mask: number

  constructor() {
    this.#items = new Array<T | undefined>(MIN_CAPACITY).fill(undefined)
    this.#mask = MIN_CAPACITY - 1
  }

  get length(): number {
    return this.#length
  }

  /** The element at `index` (0 is the first), or undefined outside 0 .. length - 1. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.#length) return undefined
    return this.#items[(this.#head + index) & this.#mask]
  }

  pushFront(item: T): void {
    if (this.#length === this.#items.length) this.#resize(this.#items.length * 2)
    this.#head = (this.#head - 1) & this.#mask
    this.#items[this.#head] = item
    this.#length++
  }

  pushBack(item: T): void {
    if (this.#length === this.#items.length) this.#resize(this.#items.length * 2)
    this.#items[(this.#head + this.#length) & this.#mask] = item
    this.#length++
  }

  /** Removes and returns the first element (undefined when empty). */
  popFront(): T | undefined {
    if (this.#length === 0) return undefined
    const item = this.#items[this.#head]
    this.#items[this.#head] = undefined
    this.#head = (this.#head + 1) & this.#mask
    this.#length--
    this.#maybeShrink()
    return item
  }

  /** Removes and returns the last element (undefined when empty). */
  popBack(): T | undefined {
    if (this.#length === 0) return undefined
    const at = (this.#head + this.#length - 1) & this.#mask
    const item = this.#items[at]
    this.#items[at] = undefined
    this.#length--
    this.#maybeShrink()
    return item
  }

  /** The elements from `start` up to, not including, `end` (both clamped to the deque). */
  slice(start: number, end: number): T[] {
    const from = Math.max(0, start)
    const to = Math.min(this.#length, end)
    const out: T[] = []
    for (let i = from; i < to; i++) out.push(this.#items[(this.#head + i) & this.#mask] as T)
    return out
  }

  #maybeShrink(): void {
    const capacity = this.#items.length
    if (capacity > MIN_CAPACITY && this.#length <= capacity / 4) this.#resize(capacity / 2)
  }

  /** Copies the elements to a new backing array of `capacity`, the first at position 0. */
  #resize(capacity: number): void {
    const items = new Array<T | undefined>(capacity).fill(undefined)
    for (let i = 0; i < this.#length; i++) items[i] = this.#items[(this.#head + i) & this.#mask]
    this.#items = items
    this.#head = 0
    this.#mask = capacity - 1
  }
}
