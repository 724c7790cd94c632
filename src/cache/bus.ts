/**
 * The invalidation bus: one pub/sub channel per cache prefix on the cache's own store. A process
 * publishes after its store write resolved (never before: a peer must not re-read the old value),
 * keys written in the same tick share one message, and a message from this instance is ignored.
 *
 * Messages (JSON): [sender, kind, items] with kind 'k' (keys changed: drop them, wake waiters),
 * 't' (tags invalidated), 'p' (keys under these prefixes cleared).
 *
 * The subscription is made lazily; until the store confirmed it, `ready` is false and the cache
 * neither fills its L1 nor keeps tag versions (it could not hear about changes).
 */
import type { Store, Unsubscribe } from '../stores/types.js'

export interface BusHandlers {
  keys(keys: string[]): void
  tags(tags: string[]): void
  prefixes(prefixes: string[]): void
}

type Kind = 'k' | 't' | 'p'

const MAX_ITEMS = 500
const RETRY_MS = 1000

export class Bus {
  ready = false
  readonly #store: Store
  readonly #channel: string
  readonly #id: string
  readonly #handlers: BusHandlers
  readonly #onError: (err: unknown) => void
  readonly #waiters = new Map<string, Set<() => void>>()
  #pending: { k: string[]; t: string[]; p: string[] } | undefined
  #flush: Promise<void> | undefined
  #subscribing: Promise<void> | undefined
  #unsubscribe: Unsubscribe | undefined
  #retryAt = 0
  #closed = false

  constructor(
    store: Store,
    channel: string,
    id: string,
    handlers: BusHandlers,
    onError: (e: unknown) => void,
  ) {
    this.#store = store
    this.#channel = channel
    this.#id = id
    this.#handlers = handlers
    this.#onError = onError
  }

  /** Subscribes if not done yet (idempotent, cheap; a failed attempt is retried after a second). */
  start(): void {
    if (this.ready || this.#subscribing || this.#closed || Date.now() < this.#retryAt) return
    this.#subscribing = this.#store
      .subscribe(this.#channel, (message) => this.#receive(message))
      .then(
        (unsubscribe) => {
          if (this.#closed) return void unsubscribe().catch(() => {})
          this.#unsubscribe = unsubscribe
          this.ready = true
        },
        (err) => {
          this.#retryAt = Date.now() + RETRY_MS
          this.#onError(err)
        },
      )
      .finally(() => {
        this.#subscribing = undefined
      })
  }

  /** Resolves once the subscription is confirmed (or failed). */
  async whenStarted(): Promise<void> {
    this.start()
    await this.#subscribing
  }

  get channel(): string {
    return this.#channel
  }

  /** A message as the bus sends it (for scripts that publish it themselves). */
  message(kind: Kind, items: readonly string[]): string {
    return JSON.stringify([this.#id, kind, items])
  }

  /** Tells the other processes; resolves when the message was published (errors are reported). */
  publish(kind: Kind, items: readonly string[]): Promise<void> {
    if (this.#closed || items.length === 0) return Promise.resolve()
    if (this.#pending === undefined) {
      this.#pending = { k: [], t: [], p: [] }
      this.#flush = new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => this.#send())
    }
    for (const item of items) this.#pending[kind].push(item)
    return this.#flush!
  }

  async #send(): Promise<void> {
    const pending = this.#pending!
    this.#pending = undefined
    const sends: Promise<unknown>[] = []
    for (const kind of ['k', 't', 'p'] as const) {
      const items = pending[kind]
      for (let i = 0; i < items.length; i += MAX_ITEMS) {
        const message = this.message(kind, items.slice(i, i + MAX_ITEMS))
        sends.push(this.#store.publish(this.#channel, message).catch(this.#onError))
      }
    }
    await Promise.all(sends)
  }

  #receive(message: string): void {
    let parsed: unknown
    try {
      parsed = JSON.parse(message)
    } catch {
      return
    }
    if (!Array.isArray(parsed) || parsed[0] === this.#id || !Array.isArray(parsed[2])) return
    const items = (parsed[2] as unknown[]).filter((item): item is string => typeof item === 'string')
    if (parsed[1] === 'k') {
      this.#handlers.keys(items)
      for (const key of items) this.#wake(key)
    } else if (parsed[1] === 't') this.#handlers.tags(items)
    else if (parsed[1] === 'p') this.#handlers.prefixes(items)
  }

  /** Resolves when a message names `key`, or after `ms` (whichever comes first). */
  waitFor(key: string, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let set = this.#waiters.get(key)
      if (set === undefined) this.#waiters.set(key, (set = new Set()))
      const waiter = () => {
        clearTimeout(timer)
        set!.delete(waiter)
        if (set!.size === 0 && this.#waiters.get(key) === set) this.#waiters.delete(key)
        resolve()
      }
      const timer = setTimeout(waiter, ms)
      set.add(waiter)
    })
  }

  #wake(key: string): void {
    const set = this.#waiters.get(key)
    if (set) for (const waiter of [...set]) waiter()
  }

  async close(): Promise<void> {
    this.#closed = true
    this.ready = false
    for (const set of this.#waiters.values()) for (const waiter of [...set]) waiter()
    // a subscription still on its way is dropped when it completes (see start): not awaited, as
    // it may be waiting for an unreachable Redis
    await this.#flush?.catch(() => {})
    await this.#unsubscribe?.().catch(() => {})
  }
}
