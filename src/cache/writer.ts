/**
 * Writes: set, delete, tag invalidation, and the write a load ends with.
 *
 * Order of a write: detach what is in flight for the key and drop it from this process's L1;
 * write the store (values inside `ephemeral()`: never replayed to Redis from memory; deletes and
 * tag versions are durable); fill the L1 if nothing invalidated the key meanwhile; then publish
 * on the bus, so that other processes drop their copy only once the store holds the new state
 * (the caller does not wait for the publish: it cannot make another process hear any sooner).
 * Deletes and tag versions publish from inside their script (atomic with the write, and again
 * when a FailoverStore replays them after an outage).
 * An outage makes a value write a reported no-op (the cache stays coherent: the old value is
 * still everywhere); an invalidation that cannot reach the store rejects.
 */
import { ephemeral } from '../stores/durability.js'
import type { Core } from './core.js'
import { encodeEntry, entryOf, type TagSnapshot } from './envelope.js'
import type { Flight } from './flights.js'
import { deleteAndNotify } from './scripts.js'
import { isOutage } from './signals.js'

export interface Times {
  fresh: number
  stale: number
}

/** When a new entry stops being fresh (its TTL shortened by up to `jitter`) and leaves the store. */
export function times(core: Core, ttlMs: number, graceMs: number): Times {
  const jittered = Math.max(1, Math.round(ttlMs * (1 - Math.random() * core.o.jitter)))
  const fresh = core.now() + jittered
  return { fresh, stale: fresh + graceMs }
}

/**
 * The tag versions to write an entry with (see Tags.ensure). Undefined when the store cannot
 * answer (reported): the entry is then not written.
 */
export async function versions(
  core: Core,
  tags: readonly string[] | undefined,
  until: number,
  key: string,
): Promise<TagSnapshot | undefined | false> {
  if (tags === undefined) return undefined
  try {
    return await core.tags.ensure(tags, until)
  } catch (err) {
    if (!isOutage(err)) throw err
    core.signals.error(err, 'set', core.userKey(key))
    return false
  }
}

/**
 * Writes an encoded value, fills the L1, tells the other processes. `then` (a lease release) is
 * issued in the same tick, right after the SET, and shares its round trip; it is awaited too:
 * its order relative to later scripts is not guaranteed (an EVALSHA answered NOSCRIPT is sent
 * again as EVAL a round trip later), and the next getOrSet must find the lease free.
 */
export async function writeEntry(
  core: Core,
  key: string,
  value: unknown,
  payload: string | Buffer,
  t: Times,
  loadMs: number,
  snapshot: TagSnapshot | undefined,
  flight: Flight,
  then?: () => Promise<void>,
): Promise<void> {
  const encoded = encodeEntry(payload, t.fresh, t.stale, loadMs, snapshot)
  const px = Math.max(1, Math.ceil(t.stale - core.now()))
  try {
    const written = ephemeral(() => core.store.set(key, encoded.data, { px }))
    await Promise.all([written, then?.()])
  } catch (err) {
    if (!isOutage(err)) throw err
    core.signals.error(err, 'set', core.userKey(key))
    return
  }
  core.signals.counters.sets++
  if (!flight.stale) fillWritten(core, key, entryOf(value, t.fresh, t.stale, loadMs, snapshot, encoded.size))
  void core.bus.publish('k', [key]) // sent after the write; nobody needs to wait for it (close() flushes)
}

/** Puts a value this process just wrote in its L1 (when its tag versions are known to be current). */
export function fillWritten(core: Core, key: string, entry: ReturnType<typeof entryOf>): void {
  if (core.l1 === undefined) return
  if (entry.tags !== undefined) {
    const refs = core.tags.check(entry.tags, core.now())
    if (!Array.isArray(refs)) return
    core.attach(entry, refs)
  }
  core.fill(key, entry)
}

export async function setValue(
  core: Core,
  key: string,
  value: unknown,
  payload: string | Buffer,
  ttlMs: number,
  graceMs: number,
  tags: readonly string[] | undefined,
): Promise<void> {
  core.flights.invalidate(key)
  core.l1?.delete(key)
  const flight = core.flights.take(key)
  flight.writes++
  try {
    const t = times(core, ttlMs, graceMs)
    const snapshot = await versions(core, tags, t.stale, key)
    if (snapshot === false) return
    await writeEntry(core, key, value, payload, t, 0, snapshot, flight)
  } finally {
    flight.writes--
    core.flights.release(key, flight)
  }
}

/** Deletes a key; the bus message is published by the same (durable) script. */
export async function deleteKey(core: Core, key: string): Promise<void> {
  core.flights.invalidate(key)
  core.l1?.delete(key)
  await core.store.eval(deleteAndNotify, [key], [core.bus.channel, core.bus.message('k', [key])])
  core.flights.invalidate(key)
  core.signals.counters.deletes++
}

/** New versions for `tags` (qualified): every entry built against the old ones is invalid. */
export async function invalidateTags(core: Core, tags: readonly string[]): Promise<void> {
  core.flights.invalidateAll()
  await core.tags.invalidate(tags, core.bus.channel, (tag) => core.bus.message('t', [tag]))
  core.flights.invalidateAll()
  core.signals.counters.invalidations++
}
