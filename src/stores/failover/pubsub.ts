/**
 * Subscriptions of a FailoverStore: each one is made on the fallback (so messages published by
 * this process during an outage still reach it) and on the primary. A primary subscription
 * that could not be made while Redis was down is made again on recovery, and that is reported as
 * a gap (messages other processes published meanwhile were missed), as are the primary's own.
 */
import { withDeadline } from '../../internal/deadline.js'
import type { MessageHandler, PatternMessageHandler, Store, SubscriptionGap, Unsubscribe } from '../types.js'
import { isOutage } from './router.js'

interface Subscription {
  kind: 'subscribe' | 'psubscribe'
  name: string
  handler: MessageHandler | PatternMessageHandler
  onPrimary?: Unsubscribe
  onFallback?: Unsubscribe
}

export class FailoverSubscriptions {
  readonly #all = new Set<Subscription>()
  readonly #primary: Store
  readonly #fallback: () => Store | undefined
  readonly #timeoutMs: number
  readonly #gapListeners = new Set<(gap: SubscriptionGap) => void>()

  constructor(primary: Store, fallback: () => Store | undefined, timeoutMs: number) {
    this.#primary = primary
    this.#fallback = fallback
    this.#timeoutMs = timeoutMs
    primary.onSubscriptionGap?.((gap) => this.#gap(gap))
  }

  onGap(listener: (gap: SubscriptionGap) => void): () => void {
    this.#gapListeners.add(listener)
    return () => void this.#gapListeners.delete(listener)
  }

  #gap(gap: SubscriptionGap): void {
    for (const listener of this.#gapListeners) {
      try {
        listener(gap)
      } catch {
        // a listener's failure is its own
      }
    }
  }

  async add(
    kind: Subscription['kind'],
    name: string,
    handler: Subscription['handler'],
  ): Promise<Unsubscribe> {
    const sub: Subscription = { kind, name, handler }
    const fallback = this.#fallback()
    if (fallback) sub.onFallback = await subscribeOn(fallback, sub)
    try {
      sub.onPrimary = await withDeadline(subscribeOn(this.#primary, sub), this.#timeoutMs * 4, 'subscribe')
    } catch (err) {
      if (!isOutage(err) || !fallback) {
        await sub.onFallback?.()
        throw err
      }
    }
    this.#all.add(sub)
    return async () => {
      if (!this.#all.delete(sub)) return
      await Promise.allSettled([sub.onPrimary?.(), sub.onFallback?.()])
    }
  }

  /** Makes the primary subscriptions that failed during the outage (lost since `since`). */
  async restorePrimary(since: number): Promise<void> {
    let restored = 0
    for (const sub of this.#all) {
      if (sub.onPrimary) continue
      sub.onPrimary = await withDeadline(subscribeOn(this.#primary, sub), this.#timeoutMs * 4, 'subscribe')
      restored++
    }
    if (restored > 0) this.#gap({ since, until: Date.now() })
  }

  /** Moves every subscription to a new fallback store (after the old one was replaced). */
  async moveFallback(next: Store): Promise<void> {
    for (const sub of this.#all) {
      const previous = sub.onFallback
      sub.onFallback = await subscribeOn(next, sub)
      await previous?.().catch(() => {})
    }
  }

  clear(): void {
    this.#all.clear()
    this.#gapListeners.clear()
  }
}

function subscribeOn(store: Store, sub: Subscription): Promise<Unsubscribe> {
  return sub.kind === 'subscribe'
    ? store.subscribe(sub.name, sub.handler as MessageHandler)
    : store.psubscribe(sub.name, sub.handler as PatternMessageHandler)
}
