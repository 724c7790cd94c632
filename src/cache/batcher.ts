/**
 * Store reads coalesced per tick: the reads of values issued while the current microtasks run
 * leave as one MGET (a lone read as a plain GET) on process.nextTick, i.e. after the burst, with
 * no timer and no added wait. Under load this turns hundreds of GETs into a few MGETs: less work
 * per read for ioredis and for Redis than even raw ioredis GETs. On a cluster the store splits an
 * MGET per slot, so keys that share a hash tag still share a command.
 *
 * MGET answers nil for a key of another type (as GET would fail), so one odd key never fails the
 * others; a store error (an outage) fails the reads of that batch only.
 */
import type { Store } from '../stores/types.js'

/** Most keys per MGET: a bounded command, and Redis stays responsive between them. */
const MAX_KEYS = 256

interface Pending {
  keys: string[]
  resolves: ((value: Buffer | null) => void)[]
  rejects: ((err: unknown) => void)[]
}

export class ReadBatcher {
  readonly #store: Store
  #pending: Pending | undefined

  constructor(store: Store) {
    this.#store = store
  }

  /** The stored bytes of `key`, or null. */
  get(key: string): Promise<Buffer | null> {
    return new Promise((resolve, reject) => {
      let batch = this.#pending
      if (batch === undefined) {
        batch = { keys: [], resolves: [], rejects: [] }
        this.#pending = batch
        process.nextTick(() => this.#flush(batch!))
      }
      batch.keys.push(key)
      batch.resolves.push(resolve)
      batch.rejects.push(reject)
      if (batch.keys.length >= MAX_KEYS) this.#pending = undefined // the next read starts a new batch
    })
  }

  #flush(batch: Pending): void {
    if (this.#pending === batch) this.#pending = undefined
    const { keys, resolves, rejects } = batch
    if (keys.length === 1) {
      this.#store.getBuffer(keys[0]!).then(resolves[0], rejects[0])
      return
    }
    this.#store.mgetBuffer(keys).then(
      (values) => {
        for (let i = 0; i < resolves.length; i++) resolves[i]!(values[i] ?? null)
      },
      (err) => {
        for (const reject of rejects) reject(err)
      },
    )
  }
}
