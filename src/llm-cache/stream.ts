/**
 * Streams. Recording, with in-process single flight: identical streaming misses in one process
 * share one model stream. A pump reads the source into one recording; every reader — the caller that started it
 * and those that join while it runs — reads the recording from its first chunk and then follows
 * it live, each at its own pace. When every reader has left before the end, the source is closed
 * and nothing is stored; a stream that fails fails for every reader and is not stored either.
 * Replay: a hit replays the recorded chunks in order, optionally paced.
 */

/** Chunks stored per stream; past it the stream still flows (held until it ends) but is not stored. */
export const MAX_CHUNKS = 100_000

export type StreamEnd<C> = { chunks: C[] } | { error: unknown } | { abandoned: true }

export class LiveStream<C> {
  private readonly chunks: C[] = []
  private state: 'running' | 'done' | 'failed' | 'abandoned' = 'running'
  private error: unknown
  private readers = 0
  private waiting: (() => void)[] = []
  private iterator: AsyncIterator<C> | undefined
  private overflow = false
  /** Settles once the stream ended and `onEnd`'s work (storing it) is done. */
  readonly finished: Promise<void>

  constructor(
    open: () => Promise<AsyncIterable<C>>,
    onEnd: (end: StreamEnd<C>) => Promise<unknown> | undefined,
  ) {
    this.finished = this.pump(open)
      .then((end) => onEnd(end))
      .then(
        () => undefined,
        () => undefined,
      )
  }

  /** A reader of the recording (from its first chunk), following it live. */
  join(): AsyncGenerator<C> {
    this.readers++
    return this.read()
  }

  private async pump(open: () => Promise<AsyncIterable<C>>): Promise<StreamEnd<C>> {
    try {
      const source = await open()
      this.iterator = source[Symbol.asyncIterator]()
      for (;;) {
        if (this.state !== 'running') {
          await this.iterator.return?.()
          return { abandoned: true }
        }
        const step = await this.iterator.next()
        if (step.done) break
        if (this.chunks.length >= MAX_CHUNKS) this.overflow = true
        this.chunks.push(step.value)
        this.wake()
      }
      if (this.state !== 'running') return { abandoned: true }
      this.state = 'done'
      this.wake()
      return this.overflow ? { abandoned: true } : { chunks: this.chunks }
    } catch (err) {
      if (this.state !== 'running') return { abandoned: true }
      this.state = 'failed'
      this.error = err
      this.wake()
      return { error: err }
    }
  }

  private async *read(): AsyncGenerator<C> {
    let i = 0
    try {
      for (;;) {
        if (i < this.chunks.length) yield this.chunks[i++]!
        else if (this.state === 'done') return
        else if (this.state === 'failed') throw this.error
        else await new Promise<void>((resolve) => this.waiting.push(resolve))
      }
    } finally {
      this.readers--
      if (this.readers === 0 && this.state === 'running') {
        this.state = 'abandoned'
        this.iterator?.return?.().catch(() => {}) // stop the model (an SDK stream aborts its request)
      }
    }
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve()
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Replays recorded chunks, `paceMs` apart (0: as fast as they are read). */
export async function* replayStream<C>(chunks: readonly C[], paceMs: number): AsyncGenerator<C> {
  for (let i = 0; i < chunks.length; i++) {
    if (paceMs > 0 && i > 0) await sleep(paceMs)
    yield chunks[i]!
  }
}

/** Whether `value` can be iterated with for await (an async iterable, or a sync one). */
export function isIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' ||
      typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function')
  )
}
