/**
 * getOrSet: the value, or the loader's, run once per key in this process (the flight) and once
 * across processes (the lease). With a stale value at hand (grace) it answers stale while one
 * background refresh runs, after at most the soft `timeout`, and keeps answering stale while the
 * loader fails; `hardTimeout` rejects with TIMEOUT. Optional XFetch refreshes early, at random,
 * more likely as expiry nears and the slower the loader.
 */
import { RedisKitError } from '../errors.js'
import { merge, toSnapshot } from './cascade.js'
import type { Core } from './core.js'
import { type Entry, encodeValue } from './envelope.js'
import type { Flight, LoadResult } from './flights.js'
import { checkTags, ttlMs } from './options.js'
import type { Loader, LoaderContext, Ttl } from './types.js'
import { times, versions, writeEntry } from './writer.js'

export interface LoadSpec<T> {
  key: string
  userKey: string
  loader: Loader<T>
  ttlMs: number
  graceMs: number
  /** Qualified tags (with the namespace). */
  tags: readonly string[] | undefined
  /** Qualifies tags added by the loader. */
  qualify(tags: readonly string[]): string[]
}

/** Answers from a hit, or loads; `stale` is an entry within its grace period. */
export async function loadOrStale<T>(
  core: Core,
  spec: LoadSpec<T>,
  stale: Entry | undefined,
  timeoutMs: number,
  hardTimeoutMs: number | undefined,
): Promise<T> {
  if (stale !== undefined) {
    const refresh = refreshInBackground(core, spec, stale)
    if (timeoutMs > 0) {
      const fresh = await race(refresh, timeoutMs, () => undefined)
      if (fresh !== undefined) {
        core.cascade.record(fresh.tags)
        return fresh.value as T
      }
    }
    core.signals.counters.stale++
    core.cascade.record(stale.tags)
    return stale.value as T
  }
  let pending = load(core, spec, undefined, true)
  if (hardTimeoutMs !== undefined)
    pending = race(pending, hardTimeoutMs, () => timeoutError(spec, hardTimeoutMs))
  const result = (await pending)!
  core.cascade.record(result.tags)
  return result.value as T
}

/** XFetch: refresh before expiry with a probability that grows as expiry nears. */
export function maybeRefreshEarly<T>(core: Core, spec: LoadSpec<T>, entry: Entry, beta: number): void {
  if (beta <= 0 || entry.loadMs <= 0) return
  if (core.now() - entry.loadMs * beta * Math.log(Math.random()) >= entry.freshUntil) {
    refreshInBackground(core, spec, entry)
  }
}

/** One background refresh per key; resolves undefined when skipped or failed (never rejects). */
function refreshInBackground<T>(
  core: Core,
  spec: LoadSpec<T>,
  stale: Entry,
): Promise<LoadResult | undefined> {
  if ((core.backoff.get(spec.key) ?? 0) > core.now()) return Promise.resolve(undefined)
  const task = load(core, spec, stale, false).catch((err: unknown) => {
    core.backoff.set(spec.key, core.now() + core.o.graceBackoffMs)
    if (core.backoff.size > 10_000) core.backoff.delete(core.backoff.keys().next().value as string)
    core.signals.loaderError(err, spec.userKey)
    return undefined
  })
  core.track(task)
  return task
}

/**
 * The single flight: joins the load of the key in flight, or starts one. A background load gives
 * up when another process holds the lease (it is refreshing); a foreground caller then loads.
 */
function load<T>(
  core: Core,
  spec: LoadSpec<T>,
  stale: Entry | undefined,
  wait: boolean,
): Promise<LoadResult | undefined> {
  const flight = core.flights.take(spec.key)
  if (flight.load !== undefined) {
    if (!wait) return flight.load
    return flight.load.then((r) => r ?? load(core, spec, stale, true))
  }
  // the flight is cleared before anyone sees the result: a call right after starts a new load
  const run = runLoad(core, spec, stale, wait, flight).finally(() => {
    if (flight.load === run) flight.load = undefined
    core.flights.release(spec.key, flight)
  })
  flight.load = run
  return run
}

async function runLoad<T>(
  core: Core,
  spec: LoadSpec<T>,
  stale: Entry | undefined,
  wait: boolean,
  flight: Flight,
): Promise<LoadResult | undefined> {
  let t = times(core, spec.ttlMs, spec.graceMs)
  const [snapshot, outcome] = await Promise.all([
    versions(core, spec.tags, t.stale, spec.key),
    core.leases?.obtain(spec.key, core.leaseKey(spec.key), () => readFresh(core, spec.key, stale), wait, {
      wait: () => core.signals.counters.leaseWaits++,
      timeout: () => core.signals.counters.leaseTimeouts++,
    }),
  ])
  if (outcome?.kind === 'found') {
    if (!flight.stale) core.fill(spec.key, outcome.entry)
    return { value: outcome.entry.value, tags: outcome.entry.tags, found: true }
  }
  if (outcome?.kind === 'busy') return undefined
  const release = outcome?.kind === 'acquired' ? outcome.release : undefined
  let wrote = false
  try {
    let ttl = spec.ttlMs
    const added: string[] = []
    let skip = false
    const context: LoaderContext<T> = {
      key: spec.userKey,
      stale: stale?.value as T | undefined,
      setTtl: (value: Ttl) => {
        ttl = ttlMs(value, core.o.presets, 'setTtl')
      },
      addTags: (...tags: string[]) => {
        added.push(...spec.qualify(checkTags(tags, 'addTags') ?? []))
      },
      skip: () => {
        skip = true
      },
    }
    core.signals.counters.loads++
    const started = core.now()
    let value: T
    const inherited = new Map<string, string>(snapshot === false ? [] : (snapshot ?? []))
    try {
      if (core.o.cascade) {
        const tracked = await core.cascade.track(() => spec.loader(context))
        value = tracked.value
        merge(inherited, [...tracked.tags])
      } else value = await spec.loader(context)
    } catch (err) {
      core.signals.counters.loadErrors++
      throw err
    }
    if (snapshot === false || skip || value === undefined || flight.stale) {
      return { value, tags: toSnapshot(inherited), found: false }
    }
    const payload = encodeValue(value)
    if (ttl !== spec.ttlMs || added.length > 0) {
      t = times(core, ttl, spec.graceMs)
      const more = await versions(core, added.length > 0 ? added : undefined, t.stale, spec.key)
      if (more === false) return { value, tags: toSnapshot(inherited), found: false }
      if (more !== undefined) merge(inherited, more)
    }
    const tags = toSnapshot(inherited)
    await writeEntry(core, spec.key, value, payload, t, core.now() - started, tags, flight, release)
    wrote = true
    return { value, tags, found: false }
  } finally {
    if (release !== undefined && !wrote) {
      // released before this load settles, so the next attempt finds the lease free
      await release()
      // waiting processes retry at once rather than at their next poll
      void core.bus.publish('k', [spec.key])
    }
  }
}

/** The stored value when it is fresh, valid and (for a refresh) newer than the one it replaces. */
async function readFresh(core: Core, key: string, replacing: Entry | undefined): Promise<Entry | undefined> {
  const stored = await core.reads.get(key)
  if (stored === null) return undefined
  const entry = await core.accept(key, stored, true)
  if (entry === undefined || (replacing !== undefined && entry.freshUntil <= replacing.freshUntil))
    return undefined
  return entry
}

function race<V, F>(promise: Promise<V>, ms: number, onTimeout: () => F): Promise<V | F> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        resolve(onTimeout())
      } catch (err) {
        reject(err)
      }
    }, ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (err) => {
        clearTimeout(timer)
        reject(err)
      },
    )
  })
}

function timeoutError(spec: { userKey: string }, ms: number): never {
  throw new RedisKitError(
    'TIMEOUT',
    `getOrSet(${JSON.stringify(spec.userKey)}): no value within hardTimeout (${ms} ms); the loader goes on in the background — raise hardTimeout or speed up the loader`,
  )
}
