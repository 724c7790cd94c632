/**
 * Tag versions: invalidating a tag is one SET of a new random version, whatever the number of
 * entries (no scan, no reverse index). An entry stores the versions of its tags at the time it
 * was built; it is valid while every one of them is still the current version. A missing tag key
 * matches no entry (entries are only written against versions that exist, see ensure), so losing
 * a tag key can only invalidate, never revive.
 *
 * Versions are cached in process (when the bus runs, which drops them on invalidation) and
 * trusted for `maxAgeMs` at most; concurrent fetches of a tag share one MGET.
 */
import type { Store } from '../stores/types.js'
import type { TagSnapshot, TagState } from './envelope.js'
import { ensureTag, invalidateTag } from './scripts.js'

/** Life of a tag key written by an invalidation; writes extend it to outlive their entries. */
const INVALIDATED_TTL_MS = 86_400_000
/** A tag written by ensure outlives its entry by this much, so the next writes need no round trip. */
const SLACK_MS = 3_600_000
/** A "tag does not exist" answer is trusted this long (another process may create it). */
const NULL_TRUST_MS = 1000
const MAX_TAGS = 10_000

export interface TagsConfig {
  store: Store
  keyOf(tag: string): string
  now(): number
  maxAgeMs: number
  /** Whether versions may be kept (only while the bus runs). */
  cacheable(): boolean
  newToken(): string
}

interface Pending {
  promise: Promise<TagState>
  cancelled: boolean
}

export class Tags {
  readonly #c: TagsConfig
  readonly #states = new Map<string, TagState>()
  readonly #pending = new Map<string, Pending>()
  /** Moves each time a known version dies: an entry checked at the same epoch needs no re-check. */
  epoch = 0

  constructor(config: TagsConfig) {
    this.#c = config
  }

  /** A version that can be trusted now, or undefined. */
  peek(tag: string, now: number): TagState | undefined {
    const s = this.#states.get(tag)
    return s !== undefined && !s.dead && now < s.until ? s : undefined
  }

  /**
   * Checks a snapshot against the known versions: the states it was checked against (valid),
   * false (invalid), or undefined (some version must be fetched first).
   */
  check(snapshot: TagSnapshot, now: number): TagState[] | false | undefined {
    const refs: TagState[] = []
    for (const [tag, token] of snapshot) {
      const s = this.peek(tag, now)
      if (s === undefined) return undefined
      if (s.token !== token) return false
      refs.push(s)
    }
    return refs
  }

  /** check(), fetching the versions that are not known. Store errors reject. */
  async validate(snapshot: TagSnapshot): Promise<TagState[] | false> {
    const known = this.check(snapshot, this.#c.now())
    if (known !== undefined) return known
    const states = await this.fetch(snapshot.map(([tag]) => tag))
    const refs: TagState[] = []
    for (let i = 0; i < snapshot.length; i++) {
      if (states[i]!.token !== snapshot[i]![1]) return false
      refs.push(states[i]!)
    }
    return refs
  }

  /** The current versions of `tags` (one MGET for those not known, shared with concurrent callers). */
  async fetch(tags: readonly string[]): Promise<TagState[]> {
    const now = this.#c.now()
    const out: (TagState | Promise<TagState>)[] = new Array(tags.length)
    const missing: number[] = []
    tags.forEach((tag, i) => {
      const s = this.peek(tag, now) ?? this.#pending.get(tag)?.promise
      if (s !== undefined) out[i] = s
      else missing.push(i)
    })
    if (missing.length > 0) {
      const request = this.#c.store.mget(missing.map((i) => this.#c.keyOf(tags[i]!)))
      missing.forEach((position, j) => {
        const tag = tags[position]!
        const pending: Pending = { cancelled: false, promise: undefined as never }
        pending.promise = request
          .then((tokens) => this.#install(tag, tokens[j] ?? null, 0, pending.cancelled))
          .finally(() => {
            if (this.#pending.get(tag) === pending) this.#pending.delete(tag)
          })
        this.#pending.set(tag, pending)
        out[position] = pending.promise
      })
    }
    return Promise.all(out)
  }

  /**
   * The versions to write an entry with: known ones, else created or read by the ensure script,
   * which also makes the tag key outlive the entry (`untilMs`). Runs inside the caller's ephemeral().
   */
  async ensure(tags: readonly string[], untilMs: number): Promise<TagSnapshot> {
    const now = this.#c.now()
    return Promise.all(
      tags.map(async (tag): Promise<readonly [string, string]> => {
        const s = this.peek(tag, now)
        if (s !== undefined && s.token !== null && s.expiresAt >= untilMs) return [tag, s.token]
        const px = Math.max(1, Math.ceil(untilMs - now)) + SLACK_MS
        const token = await this.#c.store.eval(ensureTag, [this.#c.keyOf(tag)], [this.#c.newToken(), px])
        this.#install(tag, String(token), now + px, false)
        return [tag, String(token)]
      }),
    )
  }

  /**
   * Gives each tag a new version: one durable script per tag (SET + PUBLISH of `notify(tag)` on
   * `channel`), all sent together (one round trip).
   */
  async invalidate(tags: readonly string[], channel: string, notify: (tag: string) => string): Promise<void> {
    this.drop(tags)
    const tokens = tags.map(() => this.#c.newToken())
    await Promise.all(
      tags.map((tag, i) =>
        this.#c.store.eval(
          invalidateTag,
          [this.#c.keyOf(tag)],
          [tokens[i]!, INVALIDATED_TTL_MS, channel, notify(tag)],
        ),
      ),
    )
    const now = this.#c.now()
    tags.forEach((tag, i) => {
      this.#install(tag, tokens[i]!, now + INVALIDATED_TTL_MS, false)
    })
  }

  /** Forgets versions (another process changed them): the L1 entries using them re-check. */
  drop(tags: readonly string[]): void {
    for (const tag of tags) {
      const s = this.#states.get(tag)
      if (s !== undefined) {
        this.#kill(s)
        this.#states.delete(tag)
      }
      const pending = this.#pending.get(tag)
      if (pending !== undefined) {
        pending.cancelled = true
        this.#pending.delete(tag)
      }
    }
  }

  dropAll(): void {
    this.drop([...this.#states.keys(), ...this.#pending.keys()])
  }

  #install(tag: string, token: string | null, expiresAt: number, cancelled: boolean): TagState {
    const now = this.#c.now()
    const keep = !cancelled && this.#c.cacheable()
    const state: TagState = {
      token,
      until: now + (token === null ? NULL_TRUST_MS : this.#c.maxAgeMs),
      expiresAt,
      dead: !keep,
    }
    if (!keep) return state
    const previous = this.#states.get(tag)
    if (previous !== undefined) {
      if (previous.token !== token) this.#kill(previous)
      this.#states.delete(tag)
    }
    this.#states.set(tag, state)
    if (this.#states.size > MAX_TAGS) {
      const oldest = this.#states.keys().next().value as string
      this.#kill(this.#states.get(oldest)!)
      this.#states.delete(oldest)
    }
    return state
  }

  #kill(state: TagState): void {
    if (state.dead) return
    state.dead = true
    this.epoch++
  }
}
