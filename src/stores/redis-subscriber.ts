/**
 * One lazily created subscriber connection per RedisStore, shared by every subscription.
 * Channels and patterns are ref-counted: the first local handler sends SUBSCRIBE, the last
 * one to leave sends UNSUBSCRIBE. ioredis re-subscribes by itself after a reconnect.
 */
import { isKitError, RedisKitError } from '../errors.js'
import { assertChannel, assertFunction } from '../internal/validate.js'
import { type Client, Connection } from './redis-connection.js'
import type { MessageHandler, PatternMessageHandler, Unsubscribe } from './types.js'

type Handler = (...args: string[]) => void

interface Topic {
  handlers: Set<Handler>
  /** Settles when the server has confirmed the subscription. */
  confirmed: Promise<void>
}

export class RedisSubscriber {
  readonly #conn: Connection
  readonly #onError: (err: unknown) => void
  readonly #topics = { channel: new Map<string, Topic>(), pattern: new Map<string, Topic>() }
  #sub: Promise<Connection> | undefined

  constructor(conn: Connection, onError: (err: unknown) => void) {
    this.#conn = conn
    this.#onError = onError
  }

  subscribe(channel: string, handler: MessageHandler): Promise<Unsubscribe> {
    return this.#add('channel', channel, handler as Handler)
  }

  psubscribe(pattern: string, handler: PatternMessageHandler): Promise<Unsubscribe> {
    return this.#add('pattern', pattern, handler as Handler)
  }

  async close(): Promise<void> {
    const pending = this.#sub
    this.#sub = undefined
    this.#topics.channel.clear()
    this.#topics.pattern.clear()
    if (!pending) return
    const sub = await pending.catch(() => undefined)
    sub?.client.disconnect()
  }

  async #add(kind: 'channel' | 'pattern', name: string, handler: Handler): Promise<Unsubscribe> {
    if (this.#conn.closed) throw new RedisKitError('CLOSED', 'the Redis store is closed')
    assertChannel(name, kind)
    assertFunction(handler, 'handler')
    const sub = await this.#connection()
    const topics = this.#topics[kind]
    let topic = topics.get(name)
    if (!topic) {
      const client = sub.client as Client & Record<string, (n: string) => Promise<unknown>>
      const command = kind === 'channel' ? 'subscribe' : 'psubscribe'
      const confirmed = sub.bounded(client[command]!(name), command).then(() => {})
      topic = { handlers: new Set(), confirmed }
      topics.set(name, topic)
      confirmed.catch(() => {
        if (topics.get(name) === topic) topics.delete(name)
      })
    }
    await topic.confirmed
    const entry: Handler = (...args) => handler(...args)
    topic.handlers.add(entry)
    let active = true
    return async () => {
      if (!active) return
      active = false
      topic.handlers.delete(entry)
      if (topic.handlers.size > 0 || topics.get(name) !== topic) return
      topics.delete(name)
      const client = sub.client as Client & Record<string, (n: string) => Promise<unknown>>
      await sub
        .bounded(client[kind === 'channel' ? 'unsubscribe' : 'punsubscribe']!(name), 'unsubscribe')
        .catch(() => {})
    }
  }

  #connection(): Promise<Connection> {
    this.#sub ??= (async () => {
      const client = (this.#conn.client as { duplicate(): Client }).duplicate()
      client.on('error', this.#onError)
      client.on('message', (channel: string, message: string) =>
        this.#dispatch('channel', channel, [message, channel]),
      )
      client.on('pmessage', (pattern: string, channel: string, message: string) =>
        this.#dispatch('pattern', pattern, [message, channel, pattern]),
      )
      const conn = new Connection(client, { readyTimeoutMs: 5000, deadlineMs: 5000 })
      await conn.whenReady()
      return conn
    })()
    const pending = this.#sub
    pending.catch((err) => {
      if (this.#sub === pending) this.#sub = undefined
      if (!isKitError(err)) this.#onError(err)
    })
    return pending
  }

  #dispatch(kind: 'channel' | 'pattern', name: string, args: string[]): void {
    const topic = this.#topics[kind].get(name)
    if (!topic) return
    for (const handler of topic.handlers) {
      try {
        handler(...args)
      } catch (err) {
        this.#onError(err)
      }
    }
  }
}
