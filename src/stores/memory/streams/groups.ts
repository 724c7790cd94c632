/**
 * Consumer groups of the memory store, as Redis keeps them: a group has a last-delivered id, a
 * pending entries list (PEL: id → NACK with its consumer, last delivery time and delivery
 * count) and consumers, each with its own PEL sharing the group's NACKs. PELs are kept in id
 * order; consumers and groups are listed in byte order of their names (Redis's radix trees).
 */
import { compareMembers } from '../zset.js'

export interface Nack {
  readonly id: bigint
  /** null only for a NACK that XCLAIM FORCE just created. */
  consumer: Consumer | null
  deliveryTime: number
  deliveries: number
}

export interface Consumer {
  readonly name: string
  seenTime: number
  readonly pel: IdMap<Nack>
}

export interface Group {
  readonly name: string
  lastId: bigint
  readonly pel: IdMap<Nack>
  readonly consumers: Map<string, Consumer>
}

/** A map from id to value that iterates in id order (ids mostly arrive in order: appends). */
export class IdMap<V> {
  readonly #ids: bigint[] = []
  readonly #values = new Map<bigint, V>()

  get size(): number {
    return this.#ids.length
  }

  get(id: bigint): V | undefined {
    return this.#values.get(id)
  }

  set(id: bigint, value: V): void {
    if (!this.#values.has(id)) {
      const ids = this.#ids
      if (ids.length === 0 || ids[ids.length - 1]! < id) ids.push(id)
      else ids.splice(this.#lowerBound(id), 0, id)
    }
    this.#values.set(id, value)
  }

  delete(id: bigint): boolean {
    if (!this.#values.delete(id)) return false
    this.#ids.splice(this.#lowerBound(id), 1)
    return true
  }

  first(): bigint | undefined {
    return this.#ids[0]
  }

  last(): bigint | undefined {
    return this.#ids.at(-1)
  }

  /** Entries with ids >= `from`, in order; safe against deletions of already visited ids. */
  *from(from: bigint): Generator<[bigint, V]> {
    let next = from
    for (;;) {
      const i = this.#lowerBound(next)
      const id = this.#ids[i]
      if (id === undefined) return
      yield [id, this.#values.get(id)!]
      next = id + 1n
    }
  }

  #lowerBound(id: bigint): number {
    const ids = this.#ids
    let lo = 0
    let hi = ids.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (ids[mid]! < id) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

export function createGroup(name: string, lastId: bigint): Group {
  return { name, lastId, pel: new IdMap(), consumers: new Map() }
}

/** The consumer `name`, created (and counted as seen now) when missing. */
export function consumerOf(group: Group, name: string, now: number, refresh = true): Consumer {
  let consumer = group.consumers.get(name)
  if (!consumer) {
    consumer = { name, seenTime: now, pel: new IdMap() }
    group.consumers.set(name, consumer)
  } else if (refresh) consumer.seenTime = now
  return consumer
}

/** Removes a NACK from the group's and its consumer's PEL. */
export function dropNack(group: Group, nack: Nack): void {
  group.pel.delete(nack.id)
  nack.consumer?.pel.delete(nack.id)
}

/** Moves a NACK to `consumer` (no-op when it already is its owner). */
export function assignNack(nack: Nack, consumer: Consumer): void {
  if (nack.consumer === consumer) return
  nack.consumer?.pel.delete(nack.id)
  nack.consumer = consumer
  consumer.pel.set(nack.id, nack)
}

export const byName = <T extends { name: string }>(values: Iterable<T>): T[] =>
  [...values].sort((a, b) => compareMembers(a.name, b.name))

/** Estimated bytes of the groups of a stream (for the keyspace's byte budget). */
export function groupBytes(groups: Map<string, Group>): number {
  let bytes = 0
  for (const group of groups.values()) {
    bytes += 64 + group.name.length + 40 * group.pel.size
    for (const consumer of group.consumers.values()) bytes += 48 + consumer.name.length
  }
  return bytes
}
