/**
 * Memory store: in-process pub/sub. Messages are delivered on a microtask after PUBLISH
 * returns, like messages from Redis arrive after the reply. PUBLISH counts subscriptions as
 * Redis counts them for one subscriber connection: 1 for the channel, plus 1 per matching pattern.
 */
import type { MessageHandler, PatternMessageHandler, Unsubscribe } from '../types.js'
import { globMatch } from './glob.js'

export class MemoryPubSub {
  readonly #channels = new Map<string, Set<MessageHandler>>()
  readonly #patterns = new Map<string, Set<PatternMessageHandler>>()

  get subscriptionCount(): number {
    return this.#channels.size + this.#patterns.size
  }

  publish(channel: string, message: string | Buffer): number {
    const text = typeof message === 'string' ? message : message.toString('utf8')
    const deliveries: (() => void)[] = []
    const direct = this.#channels.get(channel)
    if (direct) for (const handler of direct) deliveries.push(() => handler(text, channel))
    let receivers = direct ? 1 : 0
    for (const [pattern, handlers] of this.#patterns) {
      if (!globMatch(pattern, channel)) continue
      receivers++
      for (const handler of handlers) deliveries.push(() => handler(text, channel, pattern))
    }
    if (deliveries.length > 0) {
      queueMicrotask(() => {
        for (const deliver of deliveries) {
          try {
            deliver()
          } catch {
            // a throwing handler must not stop delivery to the others
          }
        }
      })
    }
    return receivers
  }

  subscribe(channel: string, handler: MessageHandler): Unsubscribe {
    return add(this.#channels, channel, handler)
  }

  psubscribe(pattern: string, handler: PatternMessageHandler): Unsubscribe {
    return add(this.#patterns, pattern, handler)
  }

  clear(): void {
    this.#channels.clear()
    this.#patterns.clear()
  }
}

function add<H>(map: Map<string, Set<H>>, name: string, handler: H): Unsubscribe {
  let set = map.get(name)
  if (!set) map.set(name, (set = new Set()))
  // wrap so the same function subscribed twice is two subscriptions, each removable once
  const entry = ((...args: unknown[]) => (handler as (...a: unknown[]) => void)(...args)) as H
  set.add(entry)
  let active = true
  return async () => {
    if (!active) return
    active = false
    set.delete(entry)
    if (set.size === 0 && map.get(name) === set) map.delete(name)
  }
}
