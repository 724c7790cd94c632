/**
 * The consumer's sweeper. Entries pending on a consumer that died (a crash, a lost pod) stay in
 * the group's pending list forever unless someone takes them over: every `claimIdle / 2` the
 * sweeper claims (XAUTOCLAIM) entries idle for at least `claimIdle`, as many as it has free
 * handler slots, walking the pending list with XAUTOCLAIM's cursor, and hands them to the
 * handler with their delivery counts (so that the dead-letter limit counts every delivery).
 * At start, a consumer with a stable name first finishes what it had pending before a restart.
 */
import { isKitError } from '../errors.js'
import type { Store, StreamGroupEntry } from '../stores/types.js'

export interface SweeperSettings {
  key: string
  group: string
  name: string
  claimIdleMs: number
}

export interface SweeperHooks {
  free(): number
  dispatch(entry: StreamGroupEntry, deliveries: number): void
  onClaimed(count: number): void
  onNoGroup(): Promise<void>
  onError(err: unknown): void
}

const PAGE = 100

export class Sweeper {
  readonly #store: Store
  readonly #s: SweeperSettings
  readonly #hooks: SweeperHooks
  #timer: NodeJS.Timeout | undefined
  #cursor = '0-0'
  #busy = false

  constructor(store: Store, settings: SweeperSettings, hooks: SweeperHooks) {
    this.#store = store
    this.#s = settings
    this.#hooks = hooks
  }

  start(): void {
    const every = Math.max(50, Math.floor(this.#s.claimIdleMs / 2))
    this.#timer = setInterval(() => void this.sweep(), every)
    this.#timer.unref?.()
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }

  /** Claims idle entries of any consumer, up to the free handler slots. */
  async sweep(): Promise<void> {
    const free = this.#hooks.free()
    if (this.#busy || free <= 0 || !this.#timer) return
    this.#busy = true
    try {
      const { key, group, name, claimIdleMs } = this.#s
      const claimed = await this.#store.xautoclaim(key, group, name, claimIdleMs, this.#cursor, {
        count: free,
      })
      this.#cursor = claimed.next
      if (claimed.entries.length === 0) return
      this.#hooks.onClaimed(claimed.entries.length)
      await this.#dispatchWithCounts(claimed.entries)
    } catch (err) {
      if (isKitError(err, 'NOGROUP')) await this.#hooks.onNoGroup()
      else this.#hooks.onError(err)
    } finally {
      this.#busy = false
    }
  }

  /** Handles the entries this consumer (same name) had pending, e.g. before a restart. */
  async recoverOwn(freeSlot: () => Promise<void>): Promise<void> {
    const { key, group, name } = this.#s
    let after = '0'
    for (;;) {
      let read: Awaited<ReturnType<Store['xreadgroup']>>
      try {
        read = await this.#store.xreadgroup(group, name, [[key, after]], { count: PAGE })
      } catch (err) {
        if (!isKitError(err, 'NOGROUP')) this.#hooks.onError(err)
        return
      }
      const entries = read?.[0]?.entries ?? []
      if (entries.length === 0) return
      for (const entry of entries) {
        await freeSlot()
        await this.#dispatchWithCounts([entry])
      }
      after = entries.at(-1)!.id
    }
  }

  async #dispatchWithCounts(entries: StreamGroupEntry[]): Promise<void> {
    const { key, group, name } = this.#s
    const first = entries[0]!.id
    const last = entries.at(-1)!.id
    // other entries of this consumer may sit in the same id range (being handled now)
    const pending = await this.#store.xpendingRange(key, group, first, last, 10_000, { consumer: name })
    const counts = new Map(pending.map((p) => [p.id, p.deliveries]))
    for (const entry of entries) this.#hooks.dispatch(entry, counts.get(entry.id) ?? 1)
  }
}
