/**
 * One SSE connection: writes frames to its sink (a Web ReadableStream or a Node response) while
 * the client keeps up, queues them (bounded, in bytes) while it does not, and sends a keep-alive
 * comment when nothing else went out for a while. A live source pushes: on overflow the queued
 * events are dropped and a `resync` event tells the client to fetch the current state. A
 * durable source pulls: it waits for room, so nothing is dropped. Closing (client gone, write
 * error, server shutdown) runs every clean-up once and stops the timer.
 */
import { comment, frame, type SseEvent } from './framing.js'

export interface Sink {
  /** Writes a chunk; false when the receiver is full (wait for onDrain). May throw once closed. */
  write(chunk: string): boolean
  onDrain(callback: () => void): void
  close(): void
}

export interface ConnectionSettings {
  keepAliveMs: number
  maxQueueBytes: number
}

export interface ConnectionStats {
  sent: number
  dropped: number
  resyncs: number
}

interface Queued {
  chunk: string
  data: boolean
}

export class SseConnection {
  readonly stats: ConnectionStats = { sent: 0, dropped: 0, resyncs: 0 }
  readonly #sink: Sink
  readonly #settings: ConnectionSettings
  readonly #queue: Queued[] = []
  readonly #cleanups: (() => unknown)[] = []
  readonly #roomWaiters: (() => void)[] = []
  readonly #closed = new AbortController()
  #queuedBytes = 0
  #writable = true
  #lastWrite = Date.now()
  #timer: ReturnType<typeof setInterval> | undefined

  constructor(sink: Sink, settings: ConnectionSettings) {
    this.#sink = sink
    this.#settings = settings
    this.#timer = setInterval(() => this.#keepAlive(), settings.keepAliveMs)
  }

  /** Aborted when the connection closes (pass it to sources). */
  get signal(): AbortSignal {
    return this.#closed.signal
  }

  get closed(): boolean {
    return this.#closed.signal.aborted
  }

  /** Registers a clean-up, run once when the connection closes. */
  onClose(cleanup: () => unknown): void {
    if (this.closed) void Promise.resolve().then(cleanup)
    else this.#cleanups.push(cleanup)
  }

  /** Writes something that is never dropped (retry, comments, resync). */
  control(chunk: string): void {
    this.#enqueue({ chunk, data: false })
  }

  /** Pushes an event of a live source; on overflow, queued events give way to a resync. */
  push(e: SseEvent): void {
    if (this.closed) return
    const chunk = frame(e)
    if (this.#queuedBytes + chunk.length > this.#settings.maxQueueBytes) {
      const kept = this.#queue.filter((q) => !q.data)
      const dropped = this.#queue.length - kept.length + 1
      this.#queue.splice(0, this.#queue.length, ...kept)
      this.#queuedBytes = kept.reduce((n, q) => n + q.chunk.length, 0)
      this.stats.dropped += dropped
      this.resync('overflow', { dropped })
      return
    }
    this.#enqueue({ chunk, data: true })
  }

  /** Sends an event of a durable source once there is room: nothing is dropped. */
  async send(e: SseEvent): Promise<void> {
    while (!this.closed && (!this.#writable || this.#queue.length > 0)) {
      await new Promise<void>((resolve) => this.#roomWaiters.push(resolve))
    }
    this.#enqueue({ chunk: frame(e), data: true })
  }

  /** Tells the client it may have missed events (it should fetch the current state). */
  resync(reason: string, details: Record<string, unknown> = {}): void {
    this.stats.resyncs++
    this.control(frame({ event: 'resync', data: JSON.stringify({ reason, ...details }) }))
  }

  close(): void {
    if (this.closed) return
    this.#closed.abort()
    clearInterval(this.#timer)
    this.#timer = undefined
    this.#queue.length = 0
    this.#queuedBytes = 0
    for (const wake of this.#roomWaiters.splice(0)) wake()
    for (const cleanup of this.#cleanups.splice(0)) {
      try {
        void Promise.resolve(cleanup()).catch(() => {})
      } catch {
        // a clean-up's failure must not keep the others from running
      }
    }
    try {
      this.#sink.close()
    } catch {
      // already closed by the client
    }
  }

  #enqueue(item: Queued): void {
    if (this.closed) return
    if (item.data) this.stats.sent++
    this.#queue.push(item)
    this.#queuedBytes += item.chunk.length
    this.#flush()
  }

  #flush(): void {
    while (this.#writable && this.#queue.length > 0 && !this.closed) {
      const item = this.#queue.shift()!
      this.#queuedBytes -= item.chunk.length
      this.#lastWrite = Date.now()
      let more: boolean
      try {
        more = this.#sink.write(item.chunk)
      } catch {
        this.close() // the client is gone
        return
      }
      if (!more) {
        this.#writable = false
        this.#sink.onDrain(() => {
          this.#writable = true
          this.#flush()
        })
      }
    }
    if (this.#writable && this.#queue.length === 0) for (const wake of this.#roomWaiters.splice(0)) wake()
  }

  #keepAlive(): void {
    if (this.#queue.length === 0 && Date.now() - this.#lastWrite >= this.#settings.keepAliveMs - 5)
      this.control(comment('keep-alive'))
  }
}
