/**
 * Following streams (`tail`). Each stream followed in this process has one read loop (a
 * blocking XREAD from the last id it saw), shared by every iterator following it, and a buffer
 * of the entries it read last. An iterator yields from that buffer while it keeps up (1,000 SSE
 * clients on one stream cost one blocking read, not 1,000) and reads pages of the stream itself
 * when it is behind (a slow consumer, or one resuming from an old id): it never skips an entry
 * that is still in the stream, and it never holds more than a page in memory.
 */
import { isKitError } from '../errors.js'
import { compareIds } from '../internal/entry-ids.js'
import type { Store, StreamEntry } from '../stores/types.js'
import { type StreamItem, toItem } from './items.js'

export interface TailOptions {
  /** 'now' (default): entries added from now on; 'start': every entry; or an id to resume after. */
  from?: 'now' | 'start' | string
  /** Ends the iteration (the `for await` loop finishes normally). */
  signal?: AbortSignal
}

interface Follow {
  listeners: number
  /** The loop has read every entry up to this id. */
  lastId: string
  /** `buffer` holds exactly the entries after this id, up to lastId. */
  bufferStart: string
  buffer: StreamEntry[]
  ready: Promise<void>
  waiting: Set<() => void>
  stop: AbortController
}

export interface TailSettings {
  blockMs: number
  pageSize: number
  bufferSize: number
  onError(err: unknown): void
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

export class Tails {
  readonly #store: Store
  readonly #settings: TailSettings
  readonly #follows = new Map<string, Follow>()

  constructor(store: Store, settings: TailSettings) {
    this.#store = store
    this.#settings = settings
  }

  /** Streams followed right now (one read loop each). */
  get active(): number {
    return this.#follows.size
  }

  async *follow<T>(key: string, options: TailOptions = {}): AsyncGenerator<StreamItem<T>> {
    const signal = options.signal
    if (signal?.aborted) return
    const f = this.#acquire(key)
    try {
      await this.#ready(f, signal)
      const from = options.from ?? 'now'
      let cursor = from === 'now' ? f.lastId : from === 'start' ? '0-0' : from
      while (!signal?.aborted && !f.stop.signal.aborted) {
        const buffered = compareIds(cursor, f.bufferStart) >= 0
        const next = buffered ? f.buffer.filter((e) => compareIds(e.id, cursor) > 0) : []
        if (next.length === 0 && (buffered || compareIds(cursor, f.lastId) >= 0)) {
          await this.#news(f, signal)
          continue
        }
        const page =
          next.length > 0
            ? next
            : await this.#store.xrange(key, `(${cursor}`, '+', { count: this.#settings.pageSize })
        if (page.length === 0) cursor = f.bufferStart // removed since: the buffer has the rest
        for (const entry of page) {
          if (signal?.aborted) return
          cursor = entry.id
          yield toItem<T>(entry)
        }
      }
    } finally {
      this.#release(key, f)
    }
  }

  /** Ends every loop (the store is about to close). */
  close(): void {
    for (const [key, f] of this.#follows) {
      f.stop.abort()
      for (const wake of f.waiting) wake()
      this.#follows.delete(key)
    }
  }

  #acquire(key: string): Follow {
    let f = this.#follows.get(key)
    if (!f) {
      let ready!: () => void
      f = {
        listeners: 0,
        lastId: '0-0',
        bufferStart: '0-0',
        buffer: [],
        ready: new Promise<void>((resolve) => (ready = resolve)),
        waiting: new Set(),
        stop: new AbortController(),
      }
      this.#follows.set(key, f)
      void this.#loop(key, f, ready)
    }
    f.listeners++
    return f
  }

  #release(key: string, f: Follow): void {
    if (--f.listeners > 0) return
    f.stop.abort()
    if (this.#follows.get(key) === f) this.#follows.delete(key)
  }

  /** Resolves when the loop read something new, the iterator is aborted, or the loop ends. */
  #news(f: Follow, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        f.waiting.delete(done)
        signal?.removeEventListener('abort', done)
        f.stop.signal.removeEventListener('abort', done)
        resolve()
      }
      f.waiting.add(done)
      signal?.addEventListener('abort', done, { once: true })
      f.stop.signal.addEventListener('abort', done, { once: true })
    })
  }

  /** Resolves when the loop knows where the stream ends ('now'), or the iterator is aborted. */
  #ready(f: Follow, signal: AbortSignal | undefined): Promise<void> {
    if (!signal) return f.ready
    return new Promise<void>((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done)
        resolve()
      }
      signal.addEventListener('abort', done, { once: true })
      f.ready.then(done)
    })
  }

  async #loop(key: string, f: Follow, ready: () => void): Promise<void> {
    const { blockMs, pageSize, bufferSize, onError } = this.#settings
    const signal = f.stop.signal
    let backoff = 100
    for (let known = false; !signal.aborted; ) {
      try {
        if (!known) {
          f.lastId = f.bufferStart = await this.#lastId(key)
          known = true
          ready()
          continue
        }
        const read = await this.#store.xread([[key, f.lastId]], { block: blockMs, count: pageSize, signal })
        backoff = 100
        const entries = read?.[0]?.entries ?? []
        if (entries.length === 0) continue
        f.buffer.push(...entries)
        f.lastId = entries.at(-1)!.id
        if (f.buffer.length > bufferSize)
          f.bufferStart = f.buffer.splice(0, f.buffer.length - bufferSize).at(-1)!.id
        for (const wake of [...f.waiting]) wake()
      } catch (err) {
        if (signal.aborted) break
        onError(err)
        await pause(backoff, signal)
        backoff = Math.min(backoff * 2, 2000)
      }
    }
    ready()
  }

  /** The stream's last id now ('0-0' when it does not exist yet): where 'now' starts. */
  #lastId(key: string): Promise<string> {
    return this.#store.xinfoStream(key).then(
      (info) => info.lastGeneratedId,
      (err: unknown) => {
        if (isKitError(err, 'COMMAND_ERROR') && /no such key/.test(err.message)) return '0-0'
        throw err
      },
    )
  }
}
