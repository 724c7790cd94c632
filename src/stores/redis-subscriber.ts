/**
 * One lazily created subscriber connection per RedisStore, shared by every subscription.
 * Channels and patterns are ref-counted: the first local handler sends SUBSCRIBE, the last one
 * to leave sends UNSUBSCRIBE. On a cluster the connection goes to one master (classic pub/sub
 * reaches every node), and to another one when that node goes away.
 *
 * After a reconnect the subscriber subscribes again to everything in use, confirms it with a
 * PING, and then reports the gap to `onGap` listeners: messages published while it was
 * disconnected were missed (pub/sub keeps nothing). A PING every 10 s notices a connection that
 * died silently (a half-open socket would otherwise lose every message without a sign).
 */
import type { Cluster, Redis } from 'ioredis'
import { isKitError, RedisKitError } from '../errors.js'
import { assertChannel, assertFunction } from '../internal/validate.js'
import { Connection } from './redis-connection.js'
import type { MessageHandler, PatternMessageHandler, SubscriptionGap, Unsubscribe } from './types.js'

type Handler = (message: string, channel: string, pattern?: string) => void
type Kind = 'channel' | 'pattern'

interface Topic {
  handlers: Set<Handler>
  /** Settles when the server has confirmed the subscription. */
  confirmed: Promise<void>
}

const HEARTBEAT_MS = 10_000
const COMMAND = { channel: ['subscribe', 'unsubscribe'], pattern: ['psubscribe', 'punsubscribe'] } as const

export class RedisSubscriber {
  readonly #main: Connection
  readonly #onError: (err: unknown) => void
  readonly #topics = { channel: new Map<string, Topic>(), pattern: new Map<string, Topic>() }
  readonly #gapListeners = new Set<(gap: SubscriptionGap) => void>()
  #current: Promise<Connection> | undefined
  /** Connections of #open still waiting to be ready (close() ends them at once). */
  readonly #opening = new Set<Connection>()
  #lostAt: number | undefined
  #heartbeat: NodeJS.Timeout | undefined
  #closed = false

  constructor(main: Connection, onError: (err: unknown) => void) {
    this.#main = main
    this.#onError = onError
  }

  subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe> {
    return this.#add('channel', channel, handler as Handler)
  }

  psubscribe(pattern: string, handler: PatternMessageHandler): Promise<Unsubscribe> {
    return this.#add('pattern', pattern, handler as Handler)
  }

  /** Calls `listener` after the subscriptions were restored following a lost connection. */
  onGap(listener: (gap: SubscriptionGap) => void): () => void {
    this.#gapListeners.add(listener)
    return () => void this.#gapListeners.delete(listener)
  }

  async close(): Promise<void> {
    this.#closed = true
    clearInterval(this.#heartbeat)
    const pending = this.#current
    this.#current = undefined
    // a connection still waiting for Redis ends now (its wait rejects) rather than at its timeout
    for (const conn of this.#opening) {
      conn.client.disconnect()
      conn.cancelReady()
    }
    this.#opening.clear()
    this.#topics.channel.clear()
    this.#topics.pattern.clear()
    this.#gapListeners.clear()
    const sub = await pending?.catch(() => undefined)
    sub?.client.disconnect()
  }

  async #add(kind: Kind, name: string, handler: Handler): Promise<Unsubscribe> {
    if (this.#main.closed) throw new RedisKitError('CLOSED', 'the Redis store is closed')
    assertChannel(name, kind)
    assertFunction(handler, 'handler')
    const sub = await this.#connection()
    const topics = this.#topics[kind]
    let topic = topics.get(name)
    if (!topic) {
      const confirmed = sub.bounded(call(sub.client, COMMAND[kind][0], name), COMMAND[kind][0]).then(() => {})
      topic = { handlers: new Set(), confirmed }
      topics.set(name, topic)
      const added = topic
      confirmed.catch(() => {
        if (topics.get(name) === added) topics.delete(name)
      })
    }
    await topic.confirmed
    // a wrapper of its own: the same function subscribed twice is two subscriptions
    const entry: Handler = (message, channel, pattern) =>
      pattern === undefined ? handler(message, channel) : handler(message, channel, pattern)
    topic.handlers.add(entry)
    const joined = topic
    let active = true
    return async () => {
      if (!active) return
      active = false
      joined.handlers.delete(entry)
      if (joined.handlers.size > 0 || topics.get(name) !== joined) return
      topics.delete(name)
      const now = await this.#current?.catch(() => undefined)
      if (now) await now.bounded(call(now.client, COMMAND[kind][1], name), 'unsubscribe').catch(() => {})
    }
  }

  #connection(): Promise<Connection> {
    if (this.#current) return this.#current
    const opening = this.#open(false)
    this.#current = opening
    opening.catch((err) => {
      if (this.#current === opening) this.#current = undefined
      if (!isKitError(err)) this.#onError(err)
    })
    return opening
  }

  /** A new subscriber connection; `replacing`: it takes over the subscriptions of a lost one. */
  async #open(replacing: boolean): Promise<Connection> {
    const client = await this.#newClient()
    if (this.#closed) {
      client.disconnect()
      throw new RedisKitError('CLOSED', 'the Redis store is closed')
    }
    client.on('error', this.#onError)
    client.on('message', (channel: string, message: string) =>
      this.#dispatch('channel', channel, message, channel),
    )
    client.on('pmessage', (pattern: string, channel: string, message: string) =>
      this.#dispatch('pattern', pattern, message, channel, pattern),
    )
    let restoreOnReady = replacing
    client.on('close', () => {
      this.#lostAt ??= Date.now()
      restoreOnReady = true
    })
    client.on('ready', () => {
      if (restoreOnReady && !this.#closed) void this.#restore(client)
    })
    if (this.#main.isCluster) client.once('end', () => this.#replace())
    const conn = new Connection(client, { readyTimeoutMs: 5000, deadlineMs: 5000 })
    this.#opening.add(conn)
    try {
      await conn.whenReady()
    } catch (err) {
      client.disconnect()
      throw err
    } finally {
      this.#opening.delete(conn)
    }
    this.#startHeartbeat()
    return conn
  }

  /** Standalone: a duplicate of the client. Cluster: a connection to one of the masters. */
  async #newClient(): Promise<Redis> {
    const overrides = { lazyConnect: true, autoResubscribe: false, enableAutoPipelining: false }
    if (!this.#main.isCluster) {
      // the main connection may time its commands out itself: the subscriber's get the same bound
      const deadline = this.#main.deadlineMs > 0 ? { commandTimeout: this.#main.deadlineMs } : {}
      return (this.#main.client as Redis).duplicate({ ...overrides, ...deadline })
    }
    await this.#main.whenReady()
    const masters = (this.#main.client as Cluster).nodes('master')
    const node = masters[Math.floor(Math.random() * masters.length)]
    if (!node) throw new RedisKitError('UNAVAILABLE', 'no cluster master to subscribe on')
    // give up on a node after a few attempts: another master takes over (see #replace)
    return node.duplicate({ ...overrides, retryStrategy: (n: number) => (n > 3 ? null : 100 * n) })
  }

  /** Cluster: the subscriber's node went away; subscribe again on another master. */
  #replace(): void {
    if (this.#closed) return
    this.#lostAt ??= Date.now()
    const next = this.#open(true)
    this.#current = next
    next.catch((err) => {
      this.#onError(err)
      if (this.#current === next) this.#current = undefined
      setTimeout(() => this.#replace(), 1000).unref()
    })
  }

  async #restore(client: Redis): Promise<void> {
    const channels = [...this.#topics.channel.keys()]
    const patterns = [...this.#topics.pattern.keys()]
    try {
      if (channels.length > 0) await client.subscribe(...channels)
      if (patterns.length > 0) await client.psubscribe(...patterns)
      await client.ping()
    } catch (err) {
      this.#onError(err)
      return // the connection is gone again: its next 'ready' tries again
    }
    const since = this.#lostAt ?? Date.now()
    this.#lostAt = undefined
    if (channels.length + patterns.length === 0) return
    const gap = { since, until: Date.now() }
    for (const listener of this.#gapListeners) {
      try {
        listener(gap)
      } catch (err) {
        this.#onError(err)
      }
    }
  }

  #startHeartbeat(): void {
    if (this.#heartbeat || this.#closed) return
    this.#heartbeat = setInterval(() => {
      void this.#current?.then((sub) => {
        if (sub.client.status !== 'ready') return
        sub.bounded(sub.client.ping(), 'ping').catch(() => (sub.client as Redis).disconnect(true))
      })
    }, HEARTBEAT_MS)
    this.#heartbeat.unref()
  }

  #dispatch(kind: Kind, name: string, message: string, channel: string, pattern?: string): void {
    const topic = this.#topics[kind].get(name)
    if (!topic) return
    for (const handler of topic.handlers) {
      try {
        if (pattern === undefined) handler(message, channel)
        else handler(message, channel, pattern)
      } catch (err) {
        this.#onError(err)
      }
    }
  }
}

function call(client: Connection['client'], command: string, name: string): Promise<unknown> {
  return (client as unknown as Record<string, (n: string) => Promise<unknown>>)[command]!(name)
}
