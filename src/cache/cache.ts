/**
 * createCache(store, options): a two-tier cache when the store is remote (an in-process L1 kept
 * coherent by a pub/sub bus, in front of the store), one tier on the memory store. Namespaces are
 * views over the same state. The returned object is plain and extensible: another module may add
 * methods to it (Object.assign) or wrap it. See docs/cache.md.
 */
import { invalidArgument } from '../errors.js'
import { describe } from '../internal/keys.js'
import type { Store } from '../stores/types.js'
import { tagsHold } from './check.js'
import { Clears, watchStore } from './clear.js'
import { Core } from './core.js'
import { type Entry, encodeValue } from './envelope.js'
import { type LoadSpec, loadOrStale, maybeRefreshEarly } from './loader.js'
import { getMany, has, setMany } from './many.js'
import { type CacheOptions, callMs, checkTags, resolveOptions, ttlMs } from './options.js'
import type { Cache, CacheEntryInput, CacheSetOptions, GetOrSetOptions, Loader } from './types.js'
import { deleteKey, invalidateTags, setValue } from './writer.js'

/** Longest close() waits for background refreshes. */
const CLOSE_WAIT_MS = 1000

export function createCache(store: Store, options?: CacheOptions): Cache {
  if (typeof store !== 'object' || store === null || typeof store.getBuffer !== 'function') {
    throw invalidArgument(
      'createCache needs a Store (createMemoryStore(), createRedisStore(), …) as its first argument',
    )
  }
  const core = new Core(store, resolveOptions(options, 'createCache'))
  const clears = new Clears(core)
  const unwatch = watchStore(core, clears)
  return view(core, clears, '', unwatch)
}

function keyOf(key: unknown, what = 'key'): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw invalidArgument(`cache ${what} must be a non-empty string (got ${describe(key)})`)
  }
  return key
}

function view(core: Core, clears: Clears, ns: string, unwatch: () => void): Cache {
  const base = core.valueBase + ns
  const qualify = (tags: readonly string[]) => (ns === '' ? [...tags] : tags.map((t) => ns + t))
  const ttlOf = (o: CacheSetOptions | undefined) =>
    o?.ttl === undefined ? core.o.ttlMs : ttlMs(o.ttl, core.o.presets)
  const tagsOf = (o: CacheSetOptions | undefined) => {
    const tags = checkTags(o?.tags)
    return tags === undefined ? undefined : qualify(tags)
  }
  const signals = core.signals

  const cache: Cache = {
    keyPrefix: base,
    get<T>(key: string): Promise<T | undefined> {
      if (typeof key !== 'string' || key.length === 0) return Promise.reject(invalidKey(key))
      const local = ns === '' ? key : ns + key
      const l1 = core.l1
      if (l1 !== undefined) {
        const e = l1.getLocal(local)
        if (e !== undefined) {
          const now = core.now()
          if (
            now < e.l1Fresh! &&
            (e.refs === undefined || e.epoch === core.tags.epoch || tagsHold(e, now, core.tags.epoch))
          ) {
            signals.counters.l1Hits++
            if (signals.hitListeners) signals.hit(local, 'l1')
            if (core.cascade.active > 0) core.cascade.record(e.tags)
            return Promise.resolve(e.value as T)
          }
        }
      }
      return slowGet<T>(base + key, local)
    },
    async set(key, value, options) {
      const k = base + keyOf(key)
      const ttl = ttlOf(options)
      const grace = callMs(options?.grace, core.o.graceMs, 'grace')
      const tags = tagsOf(options)
      await setValue(core, k, value, encodeValue(value), ttl, grace, tags)
    },
    async delete(key) {
      await deleteKey(core, base + keyOf(key))
    },
    async has(key) {
      return has(core, base + keyOf(key))
    },
    getOrSet<T>(key: string, loader: Loader<T>, options?: GetOrSetOptions): Promise<T> {
      try {
        return getOrSet(key, loader, options)
      } catch (err) {
        return Promise.reject(err)
      }
    },
    async getMany<T>(keys: readonly string[]) {
      if (!Array.isArray(keys))
        throw invalidArgument(`getMany takes an array of keys (got ${describe(keys)})`)
      if (keys.length === 0) return []
      return (await getMany(
        core,
        keys.map((key) => base + keyOf(key)),
      )) as (T | undefined)[]
    },
    async setMany(entries: readonly CacheEntryInput[]) {
      if (!Array.isArray(entries)) {
        throw invalidArgument(
          `setMany takes an array of { key, value, ttl?, tags? } (got ${describe(entries)})`,
        )
      }
      if (entries.length === 0) return
      const items = entries.map((entry) => ({
        key: base + keyOf(entry?.key),
        value: entry.value,
        ttlMs: ttlOf(entry),
        graceMs: callMs(entry.grace, core.o.graceMs, 'grace'),
        tags: tagsOf(entry),
      }))
      await setMany(core, items)
    },
    async invalidateTags(tags) {
      await invalidateTags(core, qualify(checkTags(tags ?? null)!))
    },
    clear(pattern = '*') {
      return clears.clear(base, pattern)
    },
    namespace(name) {
      const part = keyOf(name, 'namespace')
      return view(core, clears, `${ns}${part}:`, unwatch)
    },
    async settle() {
      while (core.background.size > 0) await Promise.allSettled([...core.background])
    },
    ready: () => core.bus.whenStarted(),
    stats: () => core.stats(),
    on: (event, listener) => signals.on(event, listener),
    async close() {
      if (core.closed) return
      core.closed = true
      unwatch()
      // background refreshes may finish later (their writes are then dropped): never wait long
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([
        cache.settle(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_WAIT_MS)
        }),
      ])
      clearTimeout(timer)
      await core.bus.close()
      core.l1?.clear()
      core.flights.invalidateAll()
      signals.clear()
    },
  }

  function slowGet<T>(k: string, userKey: string): Promise<T | undefined> {
    const found = core.read(k)
    if (found instanceof Promise) return found.then((entry) => answer<T>(entry, 'l2', userKey))
    return Promise.resolve(answer<T>(found, 'l1', userKey))
  }

  function answer<T>(entry: Entry | undefined, tier: 'l1' | 'l2', userKey: string): T | undefined {
    if (entry === undefined || core.now() >= entry.freshUntil) {
      signals.miss(userKey)
      return undefined
    }
    signals.hit(userKey, tier)
    core.cascade.record(entry.tags)
    return entry.value as T
  }

  function getOrSet<T>(key: string, loader: Loader<T>, options?: GetOrSetOptions): Promise<T> {
    if (typeof loader !== 'function') {
      throw invalidArgument(
        `getOrSet needs a loader function as its second argument (got ${describe(loader)})`,
      )
    }
    const spec: LoadSpec<T> = {
      key: base + keyOf(key),
      userKey: ns + key,
      loader,
      ttlMs: ttlOf(options),
      graceMs: callMs(options?.grace, core.o.graceMs, 'grace'),
      tags: tagsOf(options),
      qualify,
    }
    const early = options?.earlyRefresh
    const beta = early === undefined ? core.o.earlyBeta : early === true ? 1 : early === false ? 0 : early
    const e = core.l1?.getLocal(spec.userKey)
    if (e !== undefined) {
      const now = core.now()
      if (
        now < e.l1Fresh! &&
        (e.refs === undefined || e.epoch === core.tags.epoch || tagsHold(e, now, core.tags.epoch))
      ) {
        signals.hit(spec.userKey, 'l1')
        core.cascade.record(e.tags)
        if (beta > 0) maybeRefreshEarly(core, spec, e, beta)
        return Promise.resolve(e.value as T)
      }
    }
    const timeoutMs = callMs(options?.timeout, core.o.timeoutMs, 'timeout')
    const hard =
      options?.hardTimeout === undefined
        ? core.o.hardTimeoutMs
        : callMs(options.hardTimeout, 0, 'hardTimeout')
    return resolveOrLoad(spec, timeoutMs, hard, beta)
  }

  async function resolveOrLoad<T>(
    spec: LoadSpec<T>,
    timeoutMs: number,
    hard: number | undefined,
    beta: number,
  ) {
    const found = core.read(spec.key, spec.tags)
    const entry = found instanceof Promise ? await found : found
    const now = core.now()
    if (entry !== undefined && now < entry.freshUntil) {
      signals.hit(spec.userKey, found instanceof Promise ? 'l2' : 'l1')
      core.cascade.record(entry.tags)
      maybeRefreshEarly(core, spec, entry, beta)
      return entry.value as T
    }
    const stale =
      entry !== undefined &&
      spec.graceMs > 0 &&
      now < Math.min(entry.staleUntil, entry.freshUntil + spec.graceMs)
        ? entry
        : undefined
    if (stale === undefined) signals.miss(spec.userKey)
    return loadOrStale(core, spec, stale, timeoutMs, hard)
  }

  return cache
}

function invalidKey(key: unknown) {
  return invalidArgument(`cache key must be a non-empty string (got ${describe(key)})`)
}
