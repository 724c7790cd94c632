/**
 * Shared pieces of the cache tests: two "processes" (two caches on two store instances over the
 * same server; on memory both share the one store, the only way two caches can share data),
 * a store wrapper that counts and holds calls, deferred promises and bounded waits.
 */

import type { Cache, CacheOptions } from '../../src/cache/index.js'
import { createCache } from '../../src/cache/index.js'
import type { Store } from '../../src/stores/types.js'
import { deletePrefix, type StoreCase, testPrefix } from '../support/stores.js'

export interface Pair {
  a: Cache
  b: Cache
  storeA: Store
  storeB: Store
  prefix: string
  close(): Promise<void>
}

export async function pair(c: StoreCase, options: CacheOptions = {}): Promise<Pair> {
  const storeA = c.create()
  const storeB = c.name === 'memory' ? storeA : c.create()
  const prefix = testPrefix('cache')
  const a = createCache(storeA, { prefix, ...options })
  const b = createCache(storeB, { prefix, ...options })
  await Promise.all([a.ready(), b.ready()])
  return {
    a,
    b,
    storeA,
    storeB,
    prefix,
    async close() {
      await Promise.all([a.close(), b.close()])
      await deletePrefix(storeA, prefix)
      await storeA.close()
      if (storeB !== storeA) await storeB.close()
    },
  }
}

export interface Deferred<T> {
  promise: Promise<T>
  resolve(value: T): void
  reject(err: unknown): void
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (err: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/**
 * Polls `check` until true (on setImmediate and the real setTimeout, so fake timers do not stop
 * it); throws after `limitMs` of real time.
 */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  limitMs = 10_000,
): Promise<void> {
  const deadline = performance.now() + limitMs
  for (let i = 0; ; i++) {
    if (await check()) return
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setImmediate(resolve))
    if (i % 50 === 49) await new Promise((resolve) => realSetTimeout(resolve, 5))
  }
}

const realSetTimeout = globalThis.setTimeout

/**
 * A store that counts calls by method and can hold the replies of one method: calls made while
 * held wait until release() (the command itself has run on the server).
 */
export interface Spy {
  store: Store
  calls: Record<string, number>
  /** The arguments of every call, by method. */
  args: Record<string, unknown[][]>
  hold(method: string): void
  release(): void
  reset(): void
}

export function spy(inner: Store): Spy {
  const calls: Record<string, number> = {}
  const args: Record<string, unknown[][]> = {}
  let held: string | undefined
  let gate: Deferred<void> = deferred()
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (typeof value !== 'function' || typeof prop !== 'string') return value
      return (...given: unknown[]) => {
        calls[prop] = (calls[prop] ?? 0) + 1
        ;(args[prop] ??= []).push(given)
        const result = (value as (...a: unknown[]) => unknown).apply(target, given)
        if (prop !== held || !(result instanceof Promise)) return result
        const wait = gate.promise
        return result.then(
          (v) => wait.then(() => v),
          (e) => wait.then(() => Promise.reject(e)),
        )
      }
    },
  })
  return {
    store,
    calls,
    args,
    hold(method) {
      held = method
      gate = deferred()
    },
    release() {
      held = undefined
      gate.resolve()
    },
    reset() {
      for (const k of Object.keys(calls)) delete calls[k]
      for (const k of Object.keys(args)) delete args[k]
    },
  }
}
