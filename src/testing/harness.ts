/**
 * The suite's harness: one shared store per suite, and per test a random key namespace, the
 * keys it wrote (deleted afterwards, one DEL per key so that no command spans slots), deferred
 * clean-ups, and an error assertion that names the command that misbehaved.
 */
import { randomBytes } from 'node:crypto'
import { type ErrorCode, isKitError, type RedisKitError } from '../errors.js'
import { keySlot } from '../internal/slot.js'
import type { Store } from '../stores/types.js'
import type { ConformanceFeature, ConformanceOptions, Expect, StoreLimits } from './types.js'

export interface TestContext {
  readonly store: Store
  readonly expect: Expect
  /** The store runs on a Redis Cluster (options.cluster). */
  readonly cluster: boolean
  /** The random namespace of this test: every key and channel it uses contains it. */
  readonly id: string
  /** A plain key of this test: `<prefix><id>:<name>` (on a cluster, each name has its own slot). */
  key(name: string): string
  /** A hash-tagged key of this test: `{<prefix><id>}:<name>`; all of them share one slot. */
  tagged(name: string): string
  /**
   * Plain keys `<name><i>` whose slots cover `buckets` equal slot ranges (on a cluster: keys on
   * every master).
   */
  spreadKeys(name: string, buckets?: number): string[]
  /** Two plain keys that hash to different slots. */
  keysInTwoSlots(): [string, string]
  /** A channel name of this test. */
  channel(name: string): string
  /**
   * Calls `call` and asserts that it returns a promise rejecting with a RedisKitError of `code`
   * (a synchronous throw, a resolution or another error fails, labelled with `label`).
   */
  rejects(label: string, call: () => unknown, code: ErrorCode): Promise<RedisKitError>
  /** Runs `fn` after the test, before its keys are deleted. */
  defer(fn: () => unknown): void
  /** A store of its own (createStore(limits)), closed after the test. */
  createStore(limits?: StoreLimits): Promise<Store>
}

export interface Suite {
  readonly options: ConformanceOptions
  describe(name: string, fn: () => void): void
  test(name: string, body: (t: TestContext) => Promise<void>, requires?: ConformanceFeature): void
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Polls `done` every 5 ms for at most `timeoutMs`; the assertions that follow tell the outcome. */
export async function waitFor(done: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!done() && Date.now() < until) await sleep(5)
}

/** Every key a scan returns (a key may come more than once; the set removes duplicates). */
export async function scanAll(store: Store, options?: Parameters<Store['scan']>[0]): Promise<Set<string>> {
  const seen = new Set<string>()
  for await (const batch of store.scan(options)) for (const key of batch) seen.add(key)
  return seen
}

export const sorted = (values: Iterable<string>): string[] => [...values].sort()

const SLOTS = 16384

/**
 * One key per slot range: `buckets` keys whose slots fall in `buckets` equal ranges of the 16384
 * slots, so that on any cluster whose masters each own at least 16384/buckets contiguous slots
 * every master holds some of them. `make(i)` builds candidate keys.
 */
function keysAcrossSlots(make: (i: number) => string, buckets = 64): string[] {
  const width = SLOTS / buckets
  const found: (string | undefined)[] = new Array(buckets)
  let missing = buckets
  for (let i = 0; missing > 0 && i < 1_000_000; i++) {
    const key = make(i)
    const bucket = Math.floor(keySlot(key) / width)
    if (found[bucket] === undefined) {
      found[bucket] = key
      missing--
    }
  }
  return found.filter((key): key is string => key !== undefined)
}

/** Two keys made by `make` that hash to different slots. */
function twoSlots(make: (name: string) => string): [string, string] {
  const a = make('a')
  for (let i = 0; ; i++) {
    const b = make(`b${i}`)
    if (keySlot(b) !== keySlot(a)) return [a, b]
  }
}

function randomId(): string {
  return randomBytes(6).toString('hex')
}

export function createSuite(options: ConformanceOptions): Suite {
  const { test: api } = options
  const base = options.keyPrefix ?? 'rk-conformance:'
  let shared: Promise<Store> | undefined
  const sharedStore = () => (shared ??= Promise.resolve().then(() => options.createStore()))

  api.beforeAll?.(async () => {
    await sharedStore()
  })
  api.afterAll?.(async () => {
    if (shared) await (await shared.catch(() => undefined))?.close()
  })

  async function run(body: (t: TestContext) => Promise<void>): Promise<void> {
    const store = await sharedStore()
    const id = randomId()
    const written = new Set<string>()
    const deferred: (() => unknown)[] = []
    const plain = (name: string) => `${base}${id}:${name}`
    const track = (key: string) => {
      written.add(key)
      return key
    }
    const t: TestContext = {
      store,
      expect: api.expect,
      cluster: options.cluster === true,
      id,
      key: (name) => track(plain(name)),
      spreadKeys: (name, buckets) => keysAcrossSlots((i) => plain(`${name}${i}`), buckets).map(track),
      keysInTwoSlots: () => twoSlots(plain).map(track) as [string, string],
      tagged: (name) => track(`{${base}${id}}:${name}`),
      channel: (name) => `${base}${id}:${name}`,
      rejects: (label, call, code) => expectRejection(api.expect, label, call, code),
      defer: (fn) => void deferred.push(fn),
      async createStore(limits) {
        const own = await options.createStore(limits)
        deferred.push(() => own.close())
        return own
      },
    }
    try {
      await body(t)
    } finally {
      for (const fn of deferred.reverse())
        await Promise.resolve()
          .then(fn)
          .catch(() => {})
      await Promise.all([...written].map((key) => store.del([key]).catch(() => 0)))
    }
  }

  return {
    options,
    describe: (name, fn) => void api.describe(name, fn),
    test(name, body, requires) {
      if (requires && options.skip?.includes(requires)) {
        const reason = `${name} (skipped: options.skip includes '${requires}')`
        if (api.it.skip) api.it.skip(reason, () => {})
        else api.it(reason, () => {})
        return
      }
      api.it(name, () => run(body), options.timeoutMs)
    },
  }
}

async function expectRejection(
  expect: Expect,
  label: string,
  call: () => unknown,
  code: ErrorCode,
): Promise<RedisKitError> {
  let outcome: Record<string, unknown>
  let error: unknown
  try {
    const pending = call()
    if (!pending || typeof (pending as Promise<unknown>).then !== 'function') {
      outcome = { label, returnedInsteadOfAPromise: pending }
    } else {
      try {
        outcome = { label, resolvedWith: await pending }
      } catch (err) {
        error = err
        outcome = isKitError(err)
          ? { label, code: err.code }
          : { label, notARedisKitError: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }
      }
    }
  } catch (err) {
    outcome = { label, threwSynchronously: err instanceof Error ? err.message : String(err) }
  }
  expect(outcome).toEqual({ label, code })
  return error as RedisKitError
}
