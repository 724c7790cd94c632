/**
 * The connection layer of RedisStore: sending one command with a bounded wait for readiness,
 * an optional client-side deadline (for clients passed in without `commandTimeout`), and
 * errors mapped to RedisKitErrors. Type-only use of ioredis: the client is created in redis.ts.
 */
import type { Cluster, Redis } from 'ioredis'
import { RedisKitError } from '../errors.js'
import { type Arg, wireArgs } from './redis-commands.js'
import { toKitError } from './redis-errors.js'

export type Client = Redis | Cluster

export interface ConnectionOptions {
  /** Longest wait for the connection to become ready before a command is refused (ms). */
  readyTimeoutMs: number
  /** A client-side deadline per command (ms), or 0 when the client enforces commandTimeout itself. */
  deadlineMs: number
}

export class Connection {
  readonly client: Client
  readonly isCluster: boolean
  closed = false
  readonly #options: ConnectionOptions
  #ready: Promise<void> | undefined

  constructor(client: Client, options: ConnectionOptions) {
    this.client = client
    this.isCluster = (client as Cluster).isCluster === true
    this.#options = options
  }

  /** The key prefix ioredis applies itself (its `keyPrefix` option), if any. */
  get keyPrefix(): string {
    const o = this.client.options as { keyPrefix?: string; redisOptions?: { keyPrefix?: string } }
    return o.keyPrefix ?? o.redisOptions?.keyPrefix ?? ''
  }

  /** Sends argv (as text or bytes) and resolves with the raw reply. Rejects with a RedisKitError. */
  send(
    argv: readonly [string, ...Arg[]],
    buffer = false,
    on: Client | Redis = this.client,
  ): Promise<unknown> {
    if (this.closed) return Promise.reject(new RedisKitError('CLOSED', 'the Redis store is closed'))
    const issue = () => {
      const [name, ...args] = wireArgs(argv) as [string, ...(string | Buffer)[]]
      // ioredis 6 loses the command name of callBuffer under auto-pipelining (it replays
      // `pipeline.callBuffer(...args)` without it); the named `<command>Buffer` methods keep it.
      const named = buffer ? (on as unknown as Record<string, unknown>)[`${name}Buffer`] : undefined
      const sent =
        typeof named === 'function'
          ? (named as (...a: unknown[]) => Promise<unknown>).apply(on, args)
          : ((buffer ? on.callBuffer : on.call) as (...a: unknown[]) => Promise<unknown>).apply(on, [
              name,
              ...args,
            ])
      return this.#bounded(sent, name)
    }
    const pending = this.client.status === 'ready' ? issue() : this.whenReady().then(issue)
    return pending.catch((err: unknown) => {
      throw toKitError(err, argv[0])
    })
  }

  /** Applies the client-side deadline to any promise (pipelines, scripts, subscriber calls). */
  bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    return this.#bounded(promise, what).catch((err: unknown) => {
      throw toKitError(err, what)
    })
  }

  #bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    const ms = this.#options.deadlineMs
    if (ms <= 0) return promise
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new RedisKitError(
              'TIMEOUT',
              `${what} timed out after ${ms} ms (its outcome on the server is unknown)`,
            ),
          ),
        ms,
      )
    })
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
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
        err ? reject(err) : resolve()
      }
      const onReady = () => done()
      const onEnd = () => done(new RedisKitError('UNAVAILABLE', 'Redis connection ended'))
      const timer = setTimeout(
        () =>
          done(new RedisKitError('UNAVAILABLE', `Redis not ready within ${this.#options.readyTimeoutMs} ms`)),
        this.#options.readyTimeoutMs,
      )
      client.on('ready', onReady)
      client.on('end', onEnd)
      if (client.status === 'wait') client.connect().catch(() => {}) // errors surface as 'end' or timeout
    })
    this.#ready = wait
    return wait
  }
}
