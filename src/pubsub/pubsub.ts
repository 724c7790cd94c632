/**
 * createPubSub: live messages to every subscriber of a channel, in every process. One store
 * subscription per channel or pattern in this process (the RedisStore carries all of them on one
 * connection), fanned out to local handlers. Payloads are JSON-like values (the kit's codec),
 * checked against a schema when the channel has one. Channels are `<prefix>pubsub:<channel>`.
 *
 * Pub/sub keeps nothing: a message published while a subscriber is disconnected is lost to it.
 * When the subscriptions come back after such a gap, a `gap` event says so (with its time span),
 * so that a client can fetch what it missed from durable storage (a stream). Publishing while
 * Redis is unreachable fails at once (UNAVAILABLE) — or, through a FailoverStore, reaches this
 * process's subscribers only — and is never queued to be delivered later.
 */
import { invalidArgument } from '../errors.js'
import { Emitter } from '../internal/events.js'
import { escapeGlob, describe as show } from '../internal/keys.js'
import { parseOptions } from '../internal/options.js'
import { decodePayload, encodePayload, type PayloadSchema, schemaFor } from '../internal/payload.js'
import type { Store, SubscriptionGap, Unsubscribe } from '../stores/types.js'
import { createChannel, type TypedChannel } from './channel.js'
import { type PubSubEvents, type PubSubOptions, pubsubOptionsSchema } from './options.js'
import { type Kind, type Message, Topics } from './topics.js'

export type { Message } from './topics.js'

export interface SubscribeOptions {
  /** Treat the name as a pattern (`*`, `?`, `[…]`) or as a channel. @default a pattern when it has glob characters */
  pattern?: boolean
  /** Called when this subscription may have missed messages (it was restored after a disconnect). */
  onGap?: (gap: SubscriptionGap) => void
}

export interface PubSubStats {
  published: number
  received: number
  /** Messages that were not the kit's JSON or did not match the channel's schema (dropped). */
  invalid: number
  gaps: number
  /** Local handlers, and the store subscriptions that carry them. */
  subscribers: number
  subscriptions: number
}

export interface PubSub {
  /** Publishes to every subscriber; resolves with how many received it (on a cluster: of one node). */
  publish<T>(channel: string, payload: T): Promise<number>
  /** Subscribes `handler` to a channel or a pattern; resolves once Redis confirmed it. */
  subscribe<T = unknown>(
    channelOrPattern: string,
    handler: (payload: T, message: Message) => void,
    options?: SubscribeOptions,
  ): Promise<Unsubscribe>
  /** A typed channel family: `pubsub.channel('chat:{id}', schema).publish({ id }, message)`. */
  channel<T = unknown, S extends string = string>(template: S, schema?: PayloadSchema<T>): TypedChannel<T, S>
  on<K extends keyof PubSubEvents>(event: K, listener: (...args: PubSubEvents[K]) => void): () => void
  stats(): PubSubStats
  /** Removes every subscription of this instance. */
  close(): Promise<void>
}

const GLOB = /(?<!\\)[*?[]/

export function createPubSub(store: Store, options: PubSubOptions = {}): PubSub {
  const opts = parseOptions(pubsubOptionsSchema, options, 'createPubSub')
  const base = `${opts.prefix}pubsub:`
  const events = new Emitter<PubSubEvents>()
  const counters = { published: 0, received: 0, invalid: 0, gaps: 0 }
  const gapHandlers = new Set<(gap: SubscriptionGap) => void>()
  const schemaOf = (channel: string) => schemaFor(opts.schemas, channel)
  const topics = new Topics(store, {
    // the prefix has no glob characters: escaped (in patterns) it reads the same
    strip: (name) => name.slice(base.length),
    decode(raw, message) {
      counters.received++
      const payload = decodePayload(raw)
      const schema = schemaOf(message.channel)
      if (!schema) return payload
      const checked = schema.safeParse(payload)
      if (checked.success) return checked.data
      counters.invalid++
      events.emit('invalid', { channel: message.channel, payload })
      return undefined
    },
    onError: (err) => events.emit('error', err),
  })
  let stopGaps: (() => void) | undefined

  function onGap(gap: SubscriptionGap): void {
    if (topics.size === 0) return
    counters.gaps++
    events.emit('gap', { ...gap, channels: topics.names() })
    for (const handler of [...gapHandlers]) handler(gap)
  }

  function channelName(channel: unknown): string {
    if (typeof channel !== 'string' || channel.length === 0)
      throw invalidArgument(`channel must be a non-empty string (got ${show(channel)})`)
    return channel
  }

  async function subscribe(
    name: string,
    handler: (payload: never, message: Message) => void,
    o: SubscribeOptions = {},
  ): Promise<Unsubscribe> {
    channelName(name)
    if (typeof handler !== 'function') throw invalidArgument('subscribe needs a handler function')
    stopGaps ??= store.onSubscriptionGap?.(onGap)
    const kind: Kind = (o.pattern ?? GLOB.test(name)) ? 'pattern' : 'channel'
    const full = kind === 'pattern' ? escapeGlob(base) + name : base + name
    const unsubscribe = await topics.add(kind, full, { deliver: handler as (p: unknown, m: Message) => void })
    const gap = o.onGap
    if (gap) gapHandlers.add(gap)
    return async () => {
      if (gap) gapHandlers.delete(gap)
      await unsubscribe()
    }
  }

  async function publish(channel: string, payload: unknown): Promise<number> {
    const name = channelName(channel)
    const encoded = encodePayload(payload, schemaOf(name), `publish to ${name}`)
    const receivers = await store.publish(base + name, encoded)
    counters.published++
    return receivers
  }

  const pubsub: PubSub = {
    publish: (channel, payload) => publish(channel, payload),
    subscribe: (name, handler, o) => subscribe(name, handler as never, o),
    channel: (template, schema) =>
      createChannel(
        {
          publish,
          subscribe: (name, handler, o) => subscribe(name, handler as never, o),
          invalid(channel, payload) {
            counters.invalid++
            events.emit('invalid', { channel, payload })
          },
        },
        template,
        schema,
      ),
    on: (event, listener) => events.on(event, listener as never),
    stats: () => ({ ...counters, subscribers: topics.handlers, subscriptions: topics.size }),
    async close() {
      stopGaps?.()
      stopGaps = undefined
      gapHandlers.clear()
      await topics.clear()
    },
  }
  return pubsub
}
