/**
 * Cascade: while a getOrSet loader runs, every cache entry it reads (hits, joined loads, nested
 * getOrSet) adds its tags, with the versions it was built against, to the entry being built. So
 * invalidating a source's tag also invalidates what was derived from it.
 *
 * Tracking uses AsyncLocalStorage, which on Node 20 slows every promise of the process while it
 * is enabled: it is enabled only while a loader runs and disabled when none does, and readers
 * only look it up while a loader runs (`active`).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { TagSnapshot } from './envelope.js'

/** A version that matches no tag: two sources disagreed about a tag, so the entry is born invalid. */
const CONFLICT = '!conflict'

export interface Frame {
  readonly tags: Map<string, string>
}

export class Cascade {
  /** Loaders running under tracking (readers skip the lookup when 0). */
  active = 0
  #als: AsyncLocalStorage<Frame> | undefined

  /** Runs `fn` with a fresh frame; resolves with its result and the tags it read. */
  async track<T>(fn: () => T | Promise<T>): Promise<{ value: T; tags: Map<string, string> }> {
    this.#als ??= new AsyncLocalStorage<Frame>()
    const frame: Frame = { tags: new Map() }
    this.active++
    try {
      const value = await this.#als.run(frame, fn)
      return { value, tags: frame.tags }
    } finally {
      if (--this.active === 0) this.#als.disable()
    }
  }

  /** Adds an entry's tags to the frame of the loader that is reading it, if any. */
  record(tags: TagSnapshot | undefined): void {
    if (tags === undefined || this.active === 0) return
    const frame = this.#als?.getStore()
    if (frame !== undefined) merge(frame.tags, tags)
  }
}

/** Adds a snapshot to a tag map; a tag seen with two versions gets one that matches nothing. */
export function merge(into: Map<string, string>, tags: TagSnapshot): void {
  for (const [tag, token] of tags) {
    const known = into.get(tag)
    if (known === undefined) into.set(tag, token)
    else if (known !== token) into.set(tag, CONFLICT)
  }
}

/** A map of tags as a snapshot (undefined when empty). */
export function toSnapshot(tags: Map<string, string>): TagSnapshot | undefined {
  return tags.size === 0 ? undefined : [...tags]
}
