/**
 * Local fan-out of pub/sub: one store subscription per channel or pattern, shared by every local
 * handler of it (the RedisStore shares one subscriber connection for all of them), each message
 * decoded once and handed to every handler. The first handler subscribes, the last one to leave
 * unsubscribes; a handler that throws does not stop the others.
 */
import type { Store, Unsubscribe } from '../stores/types.js'

export type Kind = 'channel' | 'pattern'

export interface Message {
  /** The channel, without the kit's prefix. */
  channel: string
  /** The pattern that matched (pattern subscriptions only), without the prefix. */
  pattern?: string
}

export interface LocalHandler {
  deliver(payload: unknown, message: Message): void
}

interface Topic {
  kind: Kind
  handlers: Set<LocalHandler>
  /** The store subscription (settles once it is confirmed). */
  subscribed: Promise<Unsubscribe>
}

export interface TopicHooks {
  /** Decodes a message once for every handler; `undefined` drops it (counted by the caller). */
  decode(raw: string, message: Message): unknown | undefined
  /** The channel or pattern without the prefix. */
  strip(name: string): string
  onError(err: unknown): void
}

export class Topics {
  readonly #store: Store
  readonly #hooks: TopicHooks
  readonly #topics = new Map<string, Topic>()

  constructor(store: Store, hooks: TopicHooks) {
    this.#store = store
    this.#hooks = hooks
  }

  /** Store subscriptions (channels and patterns) held now. */
  get size(): number {
    return this.#topics.size
  }

  /** Local handlers held now. */
  get handlers(): number {
    let n = 0
    for (const topic of this.#topics.values()) n += topic.handlers.size
    return n
  }

  /** The channels and patterns subscribed (without the prefix). */
  names(): string[] {
    return [...this.#topics.keys()].map((name) => this.#hooks.strip(name.slice(2)))
  }

  async add(kind: Kind, name: string, handler: LocalHandler): Promise<Unsubscribe> {
    const id = `${kind[0]}:${name}`
    let topic = this.#topics.get(id)
    if (!topic) {
      const created: Topic = { kind, handlers: new Set(), subscribed: this.#subscribe(kind, name, id) }
      topic = created
      this.#topics.set(id, created)
      created.subscribed.catch(() => {
        if (this.#topics.get(id) === created) this.#topics.delete(id)
      })
    }
    topic.handlers.add(handler)
    try {
      await topic.subscribed
    } catch (err) {
      topic.handlers.delete(handler)
      throw err
    }
    const joined = topic
    let active = true
    return async () => {
      if (!active) return
      active = false
      joined.handlers.delete(handler)
      if (joined.handlers.size > 0 || this.#topics.get(id) !== joined) return
      this.#topics.delete(id)
      await (await joined.subscribed)()
    }
  }

  /** Removes every handler and store subscription. */
  async clear(): Promise<void> {
    const all = [...this.#topics.values()]
    this.#topics.clear()
    await Promise.allSettled(all.map(async (topic) => (await topic.subscribed)()))
  }

  #subscribe(kind: Kind, name: string, id: string): Promise<Unsubscribe> {
    const fanOut = (raw: string, channel: string, pattern?: string) => {
      const topic = this.#topics.get(id)
      if (!topic || topic.handlers.size === 0) return
      const message: Message = { channel: this.#hooks.strip(channel) }
      if (pattern !== undefined) message.pattern = this.#hooks.strip(pattern)
      const payload = this.#hooks.decode(raw, message)
      if (payload === undefined) return
      for (const handler of [...topic.handlers]) {
        try {
          handler.deliver(payload, message)
        } catch (err) {
          this.#hooks.onError(err)
        }
      }
    }
    return kind === 'channel'
      ? this.#store.subscribe(name, (raw, channel) => fanOut(raw, channel))
      : this.#store.psubscribe(name, (raw, channel, pattern) => fanOut(raw, channel, pattern))
  }
}
