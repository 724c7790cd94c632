import type { Socket } from 'node:net'

/** 'up': client → Redis (commands); 'down': Redis → client (replies). */
export type Dir = 'up' | 'down'

export type ReplyFn = (command: string[]) => string | undefined

/** The proxy-wide faults; every pipe reads them per chunk, so changes apply at once. */
export interface Faults {
  latency: Record<Dir, { ms: number; jitterMs: number }>
  blackhole: Record<Dir, boolean>
  /** Bytes a pipe lets through before its pair is closed; undefined: no limit. */
  limit: Record<Dir, number | undefined>
  /** Largest piece when re-chunking (0: off). */
  slice: number
  refuse: boolean
  reply: ReplyFn | undefined
}

export function noFaults(): Faults {
  return {
    latency: { up: { ms: 0, jitterMs: 0 }, down: { ms: 0, jitterMs: 0 } },
    blackhole: { up: false, down: false },
    limit: { up: undefined, down: undefined },
    slice: 0,
    refuse: false,
    reply: undefined,
  }
}

type Item =
  | { kind: 'data'; buf: Buffer; due: number; spaced: boolean }
  | { kind: 'end'; due: number }
  | { kind: 'limit'; due: number }

/** Above this many queued bytes the source socket is paused (TCP back-pressure, nothing lost). */
const HIGH_WATER = 1 << 20
/** Most items written per turn of the event loop. */
const BURST = 1000

/**
 * One direction of a proxied pair: a FIFO of chunks, each with a due time, drained by at most
 * one timer (or one setImmediate while slicing), so order is kept under latency and jitter.
 */
export class Pipe {
  /** Bytes let through since the pipe started or limitData() was last called. */
  passed = 0
  private queue: Item[] = []
  private queued = 0
  private lastDue = 0
  private timer: NodeJS.Timeout | undefined
  private immediate: NodeJS.Immediate | undefined
  private blocked = false
  private closing = false
  private dead = false

  constructor(
    private readonly dir: Dir,
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly faults: Faults,
    private readonly onLimit: () => void,
  ) {
    dst.on('drain', () => {
      this.blocked = false
      this.kick()
    })
  }

  /** Queues bytes for `dst`, applying blackhole, limitData, latency and slice. */
  send(data: Buffer): void {
    if (this.dead || this.closing || data.length === 0 || this.faults.blackhole[this.dir]) return
    let buf = data
    const limit = this.faults.limit[this.dir]
    if (limit !== undefined && this.passed + buf.length >= limit) {
      buf = buf.subarray(0, Math.max(0, limit - this.passed))
      this.closing = true
    }
    this.passed += buf.length
    const due = this.due()
    const max = this.faults.slice
    for (let pos = 0; pos < buf.length; ) {
      const size = max > 0 ? 1 + Math.floor(Math.random() * max) : buf.length
      const piece = buf.subarray(pos, pos + size)
      this.queue.push({ kind: 'data', buf: piece, due, spaced: max > 0 })
      this.queued += piece.length
      pos += piece.length
    }
    if (this.closing) this.queue.push({ kind: 'limit', due })
    this.kick()
  }

  /** Forwards the source's FIN after the data queued before it (also while blackholed). */
  end(): void {
    if (this.dead) return
    this.queue.push({ kind: 'end', due: this.due() })
    this.kick()
  }

  /** Starts counting bytes for a new limitData(). */
  resetLimit(): void {
    this.passed = 0
  }

  destroy(): void {
    this.dead = true
    this.queue = []
    clearTimeout(this.timer)
    if (this.immediate) clearImmediate(this.immediate)
  }

  private due(): number {
    const { ms, jitterMs } = this.faults.latency[this.dir]
    this.lastDue = Math.max(this.lastDue, performance.now() + ms + Math.random() * jitterMs)
    return this.lastDue
  }

  private kick(): void {
    if (!this.timer && !this.immediate && !this.blocked && !this.dead) this.pump()
  }

  private pump(): void {
    this.timer = undefined
    this.immediate = undefined
    this.drain()
    this.flow()
  }

  /** Writes what is due, then arms the one timer (or setImmediate) for the rest. */
  private drain(): void {
    for (let n = 0; n < BURST; n++) {
      const head = this.queue[0]
      if (!head || this.blocked || this.dead) return
      const wait = head.due - performance.now()
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), Math.ceil(wait))
        return
      }
      this.queue.shift()
      if (head.kind === 'limit') {
        this.onLimit()
        return
      }
      if (head.kind === 'end') {
        this.dst.end()
        continue
      }
      this.queued -= head.buf.length
      if (this.dst.writable && !this.dst.write(head.buf)) this.blocked = true
      if (head.spaced && this.queue.length > 0) break
    }
    // Sliced pieces (one per turn, so the reader sees them apart) or a long queue: go on next turn.
    if (!this.blocked) this.immediate = setImmediate(() => this.pump())
  }

  private flow(): void {
    if (this.dead) return
    if (this.blocked || this.queued > HIGH_WATER) this.src.pause()
    else if (this.src.isPaused()) this.src.resume()
  }
}
