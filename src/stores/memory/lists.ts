/**
 * Memory store: list commands (LPUSH, RPUSH, LPOP, RPOP, LLEN, LINDEX, LRANGE, LTRIM), Redis
 * semantics. A list is a Deque: O(1) at both ends and by index, at any length.
 */
import type { ListCommands, StoreValue } from '../types.js'
import { Deque } from './deque.js'
import type { Entry, Keyspace } from './keyspace.js'
import { asString } from './strings.js'
import type { Sync } from './sync.js'

/** A list's value: its elements, as Redis would return them. */
export type ListValue = Deque<string>

/** Estimated bytes of one element: its text and its slot in the backing array. */
const sizeOf = (element: string) => element.length + 8

const toElement = (value: StoreValue): string => (typeof value === 'number' ? String(value) : asString(value))

/**
 * Redis's range of LRANGE and LTRIM: negative indexes count from the tail, then the range is
 * clamped to the list. The first and last index kept, or undefined when the range is empty.
 */
export function listSpan(length: number, start: number, stop: number): [number, number] | undefined {
  let from = start < 0 ? length + start : start
  const to = stop < 0 ? length + stop : stop
  if (from < 0) from = 0
  if (from > to || from >= length) return undefined
  return [from, Math.min(to, length - 1)]
}

export function listCommands(ks: Keyspace): Sync<ListCommands> {
  const read = (key: string) => ks.read<ListValue>(key, 'list')

  function push(key: string, values: readonly StoreValue[], front: boolean): number {
    const elements = values.map(toElement)
    let delta = 0
    for (const element of elements) delta += sizeOf(element)
    const entry = ks.write<ListValue>(key, 'list', () => new Deque())
    try {
      // accounted first: a list too large for the store is refused before it changes
      ks.resize(key, entry, entry.bytes + delta)
    } catch (err) {
      ks.dropIfEmpty(key, entry.value.length)
      throw err
    }
    const list = entry.value
    for (const element of elements) {
      if (front) list.pushFront(element)
      else list.pushBack(element)
    }
    return list.length
  }

  /** Records removed bytes, deleting the key when its last element went (Redis keeps no empty list). */
  function removed(key: string, entry: Entry<ListValue>, bytes: number): void {
    if (entry.value.length === 0) ks.dropIfEmpty(key, 0)
    else ks.resize(key, entry, entry.bytes - bytes)
  }

  function pop(key: string, front: boolean): string | null {
    const entry = read(key)
    if (entry === undefined) return null
    const element = (front ? entry.value.popFront() : entry.value.popBack()) as string
    removed(key, entry, sizeOf(element))
    return element
  }

  return {
    lpush: (key, values) => push(key, values, true),
    rpush: (key, values) => push(key, values, false),
    lpop: (key) => pop(key, true),
    rpop: (key) => pop(key, false),
    llen: (key) => read(key)?.value.length ?? 0,
    lindex: (key, index) => {
      const list = read(key)?.value
      if (list === undefined) return null
      return list.at(index < 0 ? list.length + index : index) ?? null
    },
    lrange: (key, start, stop) => {
      const list = read(key)?.value
      const span = list && listSpan(list.length, start, stop)
      return span ? list.slice(span[0], span[1] + 1) : []
    },
    ltrim: (key, start, stop) => {
      const entry = read(key)
      if (entry === undefined) return
      const list = entry.value
      const [from, to] = listSpan(list.length, start, stop) ?? [list.length, list.length - 1]
      const dropBack = list.length - 1 - to
      let bytes = 0
      for (let i = 0; i < from; i++) bytes += sizeOf(list.popFront() as string)
      for (let i = 0; i < dropBack; i++) bytes += sizeOf(list.popBack() as string)
      if (bytes > 0) removed(key, entry, bytes)
    },
  }
}
