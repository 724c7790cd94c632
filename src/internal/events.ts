/**
 * A small typed event emitter. Unlike Node's EventEmitter, an `error` event with no listener
 * is dropped rather than thrown: an unavailable Redis is an event, never a crash. A listener
 * that throws is isolated from the others (its error goes to the `error` listeners).
 */

// biome-ignore lint/suspicious/noExplicitAny: event maps are user-defined tuples of any types
export type EventMap = Record<string, any[]>
export type Listener<A extends unknown[]> = (...args: A) => void
type AnyListener = (...args: unknown[]) => void

export class Emitter<E extends EventMap> {
  #listeners = new Map<keyof E, Set<AnyListener>>()

  /** Adds a listener and returns a function that removes it. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    let set = this.#listeners.get(event)
    if (!set) this.#listeners.set(event, (set = new Set()))
    set.add(listener as unknown as AnyListener)
    return () => this.off(event, listener)
  }

  once<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    const off = this.on(event, ((...args: E[K]) => {
      off()
      listener(...args)
    }) as Listener<E[K]>)
    return off
  }

  off<K extends keyof E>(event: K, listener: Listener<E[K]>): void {
    this.#listeners.get(event)?.delete(listener as unknown as AnyListener)
  }

  listenerCount(event: keyof E): number {
    return this.#listeners.get(event)?.size ?? 0
  }

  /** Calls every listener of `event`; true when there was at least one. */
  emit<K extends keyof E>(event: K, ...args: E[K]): boolean {
    const set = this.#listeners.get(event)
    if (!set || set.size === 0) return false
    for (const listener of [...set]) {
      try {
        ;(listener as unknown as Listener<E[K]>)(...args)
      } catch (err) {
        if (event !== 'error') this.emit('error' as K, ...([err] as unknown as E[K]))
      }
    }
    return true
  }

  removeAllListeners(): void {
    this.#listeners.clear()
  }
}
