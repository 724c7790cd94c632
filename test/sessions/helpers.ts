/**
 * Shared pieces of the sessions tests: one store per describe (from the store matrix), a fresh
 * key prefix per sessions instance, cleanup of every prefix used, and bounded polling.
 */
import { afterAll, beforeAll } from 'vitest'
import { createSessions } from '../../src/sessions/index.js'
import type { SessionData, SessionsOptions } from '../../src/sessions/options.js'
import type { Store } from '../../src/stores/types.js'
import { deletePrefix, type StoreCase, testPrefix } from '../support/stores.js'

export interface Harness {
  store(): Store
  /** A sessions instance under a fresh prefix (deleted after the describe). */
  sessions<T extends object = SessionData>(options?: SessionsOptions<T>): ReturnType<typeof createSessions<T>>
  /** The prefix of the last instance made. */
  prefix(): string
}

export function useSessions(storeCase: StoreCase): Harness {
  let store: Store | undefined
  const prefixes: string[] = []
  beforeAll(() => {
    store = storeCase.create()
  })
  afterAll(async () => {
    if (!store) return
    for (const prefix of prefixes) await deletePrefix(store, prefix)
    await store.close()
  })
  return {
    store: () => store!,
    sessions(options = {}) {
      const prefix = testPrefix('sessions')
      prefixes.push(prefix)
      return createSessions(store!, { prefix, ...options })
    },
    prefix: () => prefixes.at(-1)!,
  }
}

/** Every key under `prefix` (SCAN on every master). */
export async function keysUnder(store: Store, prefix: string): Promise<string[]> {
  const escaped = prefix.replace(/[\\*?[\]]/g, '\\$&')
  const keys: string[] = []
  for await (const batch of store.scan({ match: `${escaped}*`, count: 500 })) keys.push(...batch)
  return keys
}

/** Polls `check` every 25 ms until it is true; fails after `timeoutMs` (a bound, not a timing claim). */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`timed out waiting until ${what}`)
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
