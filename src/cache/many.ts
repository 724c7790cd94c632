/**
 * getMany and setMany: one store round trip for all the keys (MGET and a batch of SETs, split per
 * slot by the store on a cluster), one round trip for the tag versions they need, one bus message.
 */
import { ephemeral } from '../stores/durability.js'
import { tagsHold } from './check.js'
import type { Core } from './core.js'
import { type Entry, encodeEntry, encodeValue, entryOf, type TagSnapshot } from './envelope.js'
import type { Flight } from './flights.js'
import { isOutage } from './signals.js'
import { fillWritten, type Times, times } from './writer.js'

export async function getMany(core: Core, keys: readonly string[]): Promise<(unknown | undefined)[]> {
  const now = core.now()
  const out: unknown[] = new Array(keys.length)
  const missing: number[] = []
  keys.forEach((key, i) => {
    const e = core.l1?.get(key)
    if (e !== undefined && now < e.l1Fresh! && tagsHold(e, now, core.tags.epoch)) {
      core.signals.hit(core.userKey(key), 'l1')
      core.cascade.record(e.tags)
      out[i] = e.value
    } else missing.push(i)
  })
  if (missing.length === 0) return out
  const flights = missing.map((i) => hold(core, keys[i]!))
  try {
    let stored: (Buffer | null)[]
    try {
      stored = await core.store.mgetBuffer(missing.map((i) => keys[i]!))
    } catch (err) {
      core.signals.error(err, 'getMany')
      stored = missing.map(() => null)
    }
    const entries = await Promise.all(
      stored.map((s, j) => (s === null ? undefined : core.accept(keys[missing[j]!]!, s, true))),
    )
    fillMany(core, keys, missing, entries, flights, out)
  } finally {
    missing.forEach((i, j) => {
      unhold(core, keys[i]!, flights[j]!)
    })
  }
  return out
}

function fillMany(
  core: Core,
  keys: readonly string[],
  missing: readonly number[],
  entries: readonly (Entry | undefined)[],
  flights: readonly Flight[],
  out: unknown[],
): void {
  entries.forEach((entry, j) => {
    const key = keys[missing[j]!]!
    if (entry === undefined) {
      core.signals.miss(core.userKey(key))
      return
    }
    if (!flights[j]!.stale) core.fill(key, entry)
    core.signals.hit(core.userKey(key), 'l2')
    core.cascade.record(entry.tags)
    out[missing[j]!] = entry.value
  })
}

/** Keeps the key's flight in place (so that an invalidation marks it) until unhold. */
function hold(core: Core, key: string): Flight {
  const flight = core.flights.take(key)
  flight.writes++
  return flight
}

function unhold(core: Core, key: string, flight: Flight): void {
  flight.writes--
  core.flights.release(key, flight)
}

export interface ManyItem {
  key: string
  value: unknown
  ttlMs: number
  graceMs: number
  tags: readonly string[] | undefined
}

export async function setMany(core: Core, items: readonly ManyItem[]): Promise<void> {
  const payloads = items.map((item) => encodeValue(item.value))
  const when: Times[] = items.map((item) => times(core, item.ttlMs, item.graceMs))
  for (const item of items) {
    core.flights.invalidate(item.key)
    core.l1?.delete(item.key)
  }
  const flights = items.map((item) => hold(core, item.key))
  try {
    const snapshots = await tagVersions(core, items, when)
    if (snapshots === false) return
    const encoded = items.map((_, i) =>
      encodeEntry(payloads[i]!, when[i]!.fresh, when[i]!.stale, 0, snapshots[i]),
    )
    try {
      await ephemeral(() =>
        core.store.batch(
          items.map(
            (item, i) =>
              [
                'set',
                item.key,
                encoded[i]!.data,
                { px: Math.max(1, Math.ceil(when[i]!.stale - core.now())) },
              ] as const,
          ),
        ),
      )
    } catch (err) {
      if (!isOutage(err)) throw err
      core.signals.error(err, 'setMany')
      return
    }
    core.signals.counters.sets += items.length
    items.forEach((item, i) => {
      if (flights[i]!.stale) return
      const t = when[i]!
      fillWritten(core, item.key, entryOf(item.value, t.fresh, t.stale, 0, snapshots[i], encoded[i]!.size))
    })
    void core.bus.publish(
      'k',
      items.map((item) => item.key),
    )
  } finally {
    items.forEach((item, i) => {
      unhold(core, item.key, flights[i]!)
    })
  }
}

/** The versions of every tag used by the items, ensured once each (to outlive the longest entry). */
async function tagVersions(
  core: Core,
  items: readonly ManyItem[],
  when: readonly Times[],
): Promise<(TagSnapshot | undefined)[] | false> {
  const until = new Map<string, number>()
  items.forEach((item, i) => {
    for (const tag of item.tags ?? []) until.set(tag, Math.max(until.get(tag) ?? 0, when[i]!.stale))
  })
  if (until.size === 0) return items.map(() => undefined)
  const latest = Math.max(...until.values())
  let versions: TagSnapshot
  try {
    versions = await core.tags.ensure([...until.keys()], latest)
  } catch (err) {
    if (!isOutage(err)) throw err
    core.signals.error(err, 'setMany')
    return false
  }
  const byTag = new Map(versions)
  return items.map((item) =>
    item.tags === undefined ? undefined : item.tags.map((tag) => [tag, byTag.get(tag)!] as const),
  )
}

/** Whether `key` holds a fresh, valid value (no cascade, no hit counting). */
export async function has(core: Core, key: string): Promise<boolean> {
  const entry = await core.read(key)
  return entry !== undefined && core.now() < entry.freshUntil
}
