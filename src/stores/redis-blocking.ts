/**
 * Blocking reads (XREAD/XREADGROUP with BLOCK) on connections of their own: a blocked command
 * holds its connection until it returns, so on the shared connection it would hold up every
 * other command. A small pool of duplicated clients serves them, one blocking call per
 * connection at a time, created on demand up to `max` and kept for reuse.
 *
 * Every call is bounded: its deadline is its block time plus a grace period (a dead server or a
 * half-open socket cannot keep it forever); an AbortSignal ends it early. Either way the
 * connection is dropped (it is still blocked on the server) and the call rejects: TIMEOUT, or
 * the signal's reason. A call waiting for a free connection uses what is left of its block time.
 */
import type { Cluster, Redis } from 'ioredis'
import { isKitError, RedisKitError } from '../errors.js'
import { withDeadline } from '../internal/deadline.js'
import { type Arg, WIRE } from './redis-commands.js'
import { withBlock } from './redis-commands-streams.js'
import { type Client, Connection } from './redis-connection.js'
import type { CommandName, StreamCursor } from './types.js'

export interface BlockingPoolOptions {
  /** Most blocking connections at once. */
  max: number
  /** Added to the block time to make the deadline of a call (ms). */
  graceMs: number
  /** How long a new connection may take to be ready (ms). */
  readyTimeoutMs: number
}

interface Waiter {
  resolve(conn: Connection): void
  reject(err: unknown): void
}

export class BlockingPool {
  readonly #main: Connection
  readonly #options: BlockingPoolOptions
  readonly #onError: (err: unknown) => void
  readonly #idle: Connection[] = []
  readonly #busy = new Set<Connection>()
  readonly #waiters: Waiter[] = []
  #size = 0
  #closed = false

  constructor(main: Connection, options: BlockingPoolOptions, onError: (err: unknown) => void) {
    this.#main = main
    this.#options = options
    this.#onError = onError
  }

  /** Connections open now (idle or in use). */
  get size(): number {
    return this.#size
  }

  /** Whether a call made now is sent at once (an idle connection is ready for it). */
  get hasIdle(): boolean {
    return this.#idle.length > 0
  }

  /**
   * Sends a blocking command. `argv(blockMs)` builds it with the block time left when a
   * connection was obtained (0: send it without BLOCK, it answers at once).
   */
  async run(
    argv: (blockMs: number) => [string, ...Arg[]],
    blockMs: number,
    signal: AbortSignal | undefined,
    parse?: (reply: unknown) => unknown,
  ): Promise<unknown> {
    signal?.throwIfAborted()
    const started = Date.now()
    const conn = await this.#acquire(signal)
    this.#busy.add(conn)
    const left = Math.max(0, blockMs - (Date.now() - started))
    let keep = true
    const onAbort = () => {
      keep = false
      conn.client.disconnect()
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const sent = conn.send(argv(left), false, conn.client, parse)
      return await withDeadline(sent, left + this.#options.graceMs, 'blocking read')
    } catch (err) {
      keep = false
      if (signal?.aborted) throw signal.reason
      if (this.#closed) throw closed()
      throw err
    } finally {
      signal?.removeEventListener('abort', onAbort)
      this.#busy.delete(conn)
      this.#release(conn, keep)
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const waiter of this.#waiters.splice(0)) waiter.reject(closed())
    for (const conn of [...this.#idle.splice(0), ...this.#busy]) conn.client.disconnect()
  }

  #acquire(signal: AbortSignal | undefined): Promise<Connection> {
    if (this.#closed) return Promise.reject(closed())
    const idle = this.#idle.pop()
    if (idle) return Promise.resolve(idle)
    if (this.#size < this.#options.max) return this.#create()
    return new Promise<Connection>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (conn) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(conn)
        },
        reject,
      }
      const onAbort = () => {
        const i = this.#waiters.indexOf(waiter)
        if (i !== -1) this.#waiters.splice(i, 1)
        reject(signal!.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiters.push(waiter)
    })
  }

  async #create(): Promise<Connection> {
    this.#size++
    try {
      const client = duplicate(this.#main.client)
      client.on('error', this.#onError)
      const conn = new Connection(client, { readyTimeoutMs: this.#options.readyTimeoutMs, deadlineMs: 0 })
      await conn.whenReady()
      return conn
    } catch (err) {
      this.#size--
      this.#wakeOne()
      throw err
    }
  }

  #release(conn: Connection, keep: boolean): void {
    if (!keep || this.#closed || conn.client.status !== 'ready') {
      conn.client.disconnect()
      this.#size--
      this.#wakeOne()
      return
    }
    const waiter = this.#waiters.shift()
    if (waiter) waiter.resolve(conn)
    else this.#idle.push(conn)
  }

  /** A connection was dropped: the first waiter may open a new one. */
  #wakeOne(): void {
    const waiter = this.#waiters.shift()
    if (waiter) this.#create().then(waiter.resolve, waiter.reject)
  }
}

/** A client like `client` for blocking calls: no command or socket timeout (the pool bounds them). */
function duplicate(client: Client): Client {
  const quiet = { commandTimeout: undefined, socketTimeout: undefined, enableAutoPipelining: false }
  if ((client as Cluster).isCluster) {
    const cluster = client as Cluster
    const redisOptions = { ...cluster.options.redisOptions, ...quiet }
    return cluster.duplicate([], { lazyConnect: true, enableAutoPipelining: false, redisOptions })
  }
  return (client as Redis).duplicate({ ...quiet, lazyConnect: true })
}

function closed(): RedisKitError {
  return new RedisKitError('CLOSED', 'the Redis store is closed')
}

type BlockingName = 'xread' | 'xreadgroup'

/**
 * XREAD/XREADGROUP with BLOCK through `pool`. `$` means "after the last id now": when the read
 * cannot be sent at once (a connection must be opened or freed first), the id `$` stands for is
 * looked up first (`send`, on the shared connection), so entries added meanwhile are not missed.
 */
export function blockingReads(
  pool: BlockingPool,
  send: (name: CommandName, args: unknown[]) => Promise<unknown>,
) {
  const lastId = (key: string): Promise<string> =>
    (send('xinfoStream', [key]) as Promise<{ lastGeneratedId: string }>).then(
      (info) => info.lastGeneratedId,
      (err: unknown) => {
        if (isKitError(err, 'COMMAND_ERROR') && /no such key/.test(err.message)) return '0-0'
        throw err
      },
    )
  return async (name: BlockingName, args: unknown[], block: number): Promise<unknown> => {
    const options = args[name === 'xread' ? 1 : 3] as { signal?: AbortSignal }
    const cursors = args[0] as StreamCursor[]
    if (name === 'xread' && !pool.hasIdle && cursors.some(([, id]) => id === '$')) {
      const resolved = await Promise.all(
        cursors.map(async ([key, id]) => [key, id === '$' ? await lastId(key) : id]),
      )
      args = [resolved, args[1]]
    }
    const argv = (left: number) => WIRE[name](...withBlock(name, args, left)).argv
    return pool.run(argv, block, options.signal, WIRE[name](...args).parse)
  }
}
