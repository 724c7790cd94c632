/**
 * The connection layer of RedisStore: sending one command with a bounded wait for readiness,
 * an optional client-side deadline (for clients passed in without `commandTimeout`), and
 * errors mapped to RedisKitErrors. The client is created in redis.ts; a standalone connection
 * makes its own ioredis Commands, so that it can time them out (command-deadlines.ts).
 */
import { type Cluster, Command, type Redis } from 'ioredis'
import { RedisKitError } from '../errors.js'
import { withDeadline } from '../internal/deadline.js'
import { CommandDeadlines } from './command-deadlines.js'
import { type Arg, wireArgs } from './redis-commands.js'
import { toKitError } from './redis-errors.js'

export type Client = Redis | Cluster

/**
 * Most writes per corked batch: a batch is flushed once it holds this many, so Redis starts on
 * it while the client prepares the next (one batch of everything in flight makes the two sides
 * take turns).
 */
const MAX_BATCH = 32

export interface ConnectionOptions {
  /** Longest wait for the connection to become ready before a command is refused (ms). */
  readyTimeoutMs: number
  /**
   * A client-side deadline per command (ms), or 0 when the client enforces commandTimeout itself.
   * On a standalone client the commands sent here share one timer (command-deadlines.ts), unless
   * it auto-pipelines; pipelines and other promises passed to `bounded` get a timer each.
   */
  deadlineMs: number
  /** Batch the writes of concurrent calls (only on clients the store created; see #batchWrites). */
  adaptivePipelining?: boolean
}

export class Connection {
  readonly client: Client
  readonly isCluster: boolean
  closed = false
  readonly #options: ConnectionOptions
  #ready: Promise<void> | undefined
  #inFlight = 0
  #corked: { cork(): void; uncork(): void } | undefined
  #batched = 0
  #lastReset = 0
  #cancelReady: (() => void) | undefined
  readonly #deadlines: CommandDeadlines | undefined

  constructor(client: Client, options: ConnectionOptions) {
    this.client = client
    this.isCluster = (client as Cluster).isCluster === true
    this.#options = options
    // a client of the caller's that auto-pipelines keeps doing so (its commands go through call())
    const autoPipelined = (client.options as { enableAutoPipelining?: boolean }).enableAutoPipelining === true
    if (!this.isCluster && !autoPipelined && options.deadlineMs > 0) {
      this.#deadlines = new CommandDeadlines(options.deadlineMs)
    }
  }

  /** The client-side deadline of a command (ms), 0 when the client enforces its own. */
  get deadlineMs(): number {
    return this.#options.deadlineMs
  }

  /** The key prefix ioredis applies itself (its `keyPrefix` option), if any. */
  get keyPrefix(): string {
    const o = this.client.options as { keyPrefix?: string; redisOptions?: { keyPrefix?: string } }
    return o.keyPrefix ?? o.redisOptions?.keyPrefix ?? ''
  }

  /**
   * Sends argv (as text or bytes) and resolves with the reply, passed through `parse` when
   * given. Rejects with a RedisKitError, or answers with what `recover` makes of it (in the same
   * promise). Numbers are sent as String(n), exactly what the memory store and the script twins
   * see.
   */
  send(
    argv: readonly [string, ...Arg[]],
    buffer = false,
    on: Client | Redis = this.client,
    parse?: (reply: unknown) => unknown,
    recover?: (error: RedisKitError) => unknown,
  ): Promise<unknown> {
    if (this.closed) return Promise.reject(new RedisKitError('CLOSED', 'the Redis store is closed'))
    const pending =
      this.client.status === 'ready' ? this.#issue(argv, buffer, on) : this.#issueWhenReady(argv, buffer, on)
    // one handler per outcome settles the in-flight count too (one promise per call, not two)
    return pending.then(
      parse ? (reply: unknown) => parse(this.#settled(reply)) : this.#settled,
      (err: unknown) => {
        const error = this.#failed(this.#unsettled(err), argv[0])
        if (recover) return recover(error)
        throw error
      },
    )
  }

  /**
   * A command (a batch, a handshake: see whenReady) that timed out is still waiting in the
   * client's queue for a reply that may never come (a blackholed or half-open socket): every
   * later command would wait behind it.
   * Drop the connection and reconnect (at most once a second), which rejects what is pending and
   * starts clean. This is also what drops a silent socket (so ioredis's socketTimeout, a timer per
   * command, is not needed: redis.ts). On a cluster, socketTimeout and the slot refresh do this
   * per node.
   */
  #resetAfterTimeout(): void {
    if (this.isCluster || this.closed || Date.now() - this.#lastReset < 1000) return
    this.#lastReset = Date.now()
    ;(this.client as Redis).disconnect(true)
  }

  async #issueWhenReady(
    argv: readonly [string, ...Arg[]],
    buffer: boolean,
    on: Client | Redis,
  ): Promise<unknown> {
    try {
      await this.whenReady()
      return this.#issue(argv, buffer, on)
    } catch (err) {
      // not issued, so not counted in: send's handler will count it out
      if (this.#options.adaptivePipelining === true) this.#inFlight++
      throw err
    }
  }

  #issue(argv: readonly [string, ...Arg[]], buffer: boolean, on: Client | Redis): Promise<unknown> {
    const adaptive = this.#options.adaptivePipelining === true
    if (adaptive) this.#batchWrites(on)
    const deadlines = on === this.client ? this.#deadlines : undefined
    let sent: Promise<unknown>
    if (deadlines) {
      // what on.call / on.callBuffer do, with the Command in hand for its deadline
      const options = on.options as { showFriendlyErrorStack?: boolean; keyPrefix?: string }
      const command = new Command(argv[0], wireArgs(argv, 1), {
        errorStack: options.showFriendlyErrorStack ? new Error() : undefined,
        keyPrefix: options.keyPrefix,
        replyEncoding: buffer ? null : 'utf8',
      })
      sent = (on as Redis).sendCommand(command) as Promise<unknown>
      deadlines.track(command)
    } else if (buffer) {
      const wire = wireArgs(argv)
      // ioredis 6 loses the command name of callBuffer under auto-pipelining (it replays
      // `pipeline.callBuffer(...args)` without it); the named `<command>Buffer` methods keep it.
      const named = (on as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[
        `${argv[0]}Buffer`
      ]
      sent = named ? named.apply(on, wire.slice(1)) : on.callBuffer.apply(on, wire as never)
    } else sent = on.call.apply(on, wireArgs(argv) as never) as Promise<unknown>
    if (adaptive) this.#inFlight++ // until send's handlers see the outcome
    return deadlines ? sent : this.#bounded(sent, argv[0])
  }

  /**
   * Adaptive pipelining on clients we own: a lone call is written at once; a call made while
   * others are in flight shares one socket write with every call made in the same tick.
   *
   * - Standalone: the socket is corked until the next tick. Unlike ioredis's auto-pipeline,
   *   which sends the next pipeline only once every reply of the previous one has arrived (the
   *   client and Redis then work in turn), corked writes go out while earlier replies are still
   *   coming, so both sides stay busy. Order is kept: it is the socket's own order.
   * - Cluster: ioredis's auto-pipeline (one pipeline per node), toggled per call.
   */
  #batchWrites(on: Client | Redis): void {
    if (this.isCluster) {
      ;(on.options as { enableAutoPipelining?: boolean }).enableAutoPipelining = this.#inFlight > 0
      return
    }
    if (this.#inFlight === 0 || on !== this.client) return
    if (this.#corked) {
      if (++this.#batched < MAX_BATCH) return
      this.#corked.uncork() // a full batch goes now; the next one starts corked
      this.#corked.cork()
      this.#batched = 0
      return
    }
    const stream = (on as unknown as { stream?: { cork(): void; uncork(): void } }).stream
    if (!stream || typeof stream.cork !== 'function') return
    stream.cork()
    this.#corked = stream
    this.#batched = 0
    process.nextTick(this.#uncork)
  }

  readonly #settled = (reply: unknown): unknown => {
    if (this.#options.adaptivePipelining === true) this.#inFlight--
    this.#deadlines?.release()
    return reply
  }

  #unsettled(err: unknown): unknown {
    if (this.#options.adaptivePipelining === true) this.#inFlight--
    this.#deadlines?.release()
    return err
  }

  /** Stops the deadline timer (the connection has ended). */
  stopDeadlines(): void {
    this.#deadlines?.stop()
  }

  readonly #uncork = (): void => {
    const stream = this.#corked
    this.#corked = undefined
    stream?.uncork()
  }

  /** Applies the client-side deadline to any promise (pipelines, scripts, subscriber calls). */
  bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    return this.#bounded(promise, what).catch((err: unknown) => {
      throw this.#failed(err, what)
    })
  }

  /** A failure as a RedisKitError; a TIMEOUT also resets the connection (#resetAfterTimeout). */
  #failed(err: unknown, what: string): RedisKitError {
    const error = toKitError(err, what)
    if (error.code === 'TIMEOUT') this.#resetAfterTimeout()
    return error
  }

  #bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    const ms = this.#options.deadlineMs
    return ms <= 0 ? promise : withDeadline(promise, ms, what)
  }

  /** Ends a wait of whenReady() at once (CLOSED): for closing while Redis does not answer. */
  cancelReady(): void {
    this.#cancelReady?.()
  }

  /** Resolves once the client is ready; connects a lazy client; bounded by readyTimeoutMs. */
  whenReady(): Promise<void> {
    const client = this.client
    if (client.status === 'ready') return Promise.resolve()
    if (this.#ready) return this.#ready
    const wait = new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer)
        client.off('ready', onReady)
        client.off('end', onEnd)
        this.#ready = undefined
        this.#cancelReady = undefined
        err ? reject(err) : resolve()
      }
      const onReady = () => done()
      const onEnd = () => done(new RedisKitError('UNAVAILABLE', 'Redis connection ended'))
      const timer = setTimeout(() => {
        done(new RedisKitError('UNAVAILABLE', `Redis not ready within ${this.#options.readyTimeoutMs} ms`))
        // connected, but a command of the handshake (HELLO, the ready check) is unanswered: a
        // silent socket. While Redis loads its data, the ready check waits with nothing pending.
        if (client.status === 'connect' && (client as Redis).commandQueue?.length) this.#resetAfterTimeout()
      }, this.#options.readyTimeoutMs)
      this.#cancelReady = () => done(new RedisKitError('CLOSED', 'the Redis store is closed'))
      client.on('ready', onReady)
      client.on('end', onEnd)
      if (client.status === 'wait') client.connect().catch(() => {}) // errors surface as 'end' or timeout
    })
    this.#ready = wait
    return wait
  }
}
