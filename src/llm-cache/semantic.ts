/**
 * The semantic layer on plain Redis (no modules): per partition (scope + model + options + system
 * prompt) a sorted set of cached prompts (score: expiry) and one key per prompt holding its unit
 * vector as raw float32 bytes, all under one hash tag. A process loads a partition on first use
 * (2 round trips), searches it in memory, and keeps it fresh through a bus: each add publishes
 * the vector, so other processes insert it without a read. Bounded per partition (`maxEntries`,
 * oldest out) and per process (`maxLoaded` vectors, least recently used partitions out).
 */
import { ephemeral } from '../stores/durability.js'
import type { Store, Unsubscribe } from '../stores/types.js'
import { similarity, vectorBytes, vectorFrom } from './vectors.js'

export interface SemanticSettings {
  threshold: number
  maxEntries: number
  maxLoaded: number
  maxAgeMs: number
}

interface Partition {
  ids: string[]
  vecs: Float32Array[]
  expires: number[]
  loadedAt: number
  ready: Promise<void> | undefined
  /** Bus messages received while loading, applied after. */
  pending: [id: string, expires: number, vec: Float32Array][]
}

export class SemanticIndex {
  private readonly partitions = new Map<string, Partition>()
  private loaded = 0
  private started: Promise<void> | undefined
  private unsubscribe: Unsubscribe | undefined
  private stopGap: (() => void) | undefined
  private closed = false

  constructor(
    private readonly store: Store,
    private readonly base: string,
    private readonly s: SemanticSettings,
    private readonly now: () => number,
  ) {}

  private root(scopeId: string, part: string): string {
    return `${this.base}${scopeId}:{${part}}`
  }

  /** The nearest prompt at or above the threshold: its key (under the llm namespace) and score. */
  async nearest(
    scopeId: string,
    part: string,
    v: Float32Array,
  ): Promise<{ id: string; score: number } | undefined> {
    const p = await this.partition(scopeId, part)
    const now = this.now()
    let best = -1
    let found = -1
    for (let i = 0; i < p.ids.length; i++) {
      if (p.expires[i]! <= now) continue
      const score = similarity(p.vecs[i]!, v)
      if (score > best) {
        best = score
        found = i
      }
    }
    return found >= 0 && best >= this.s.threshold ? { id: p.ids[found]!, score: best } : undefined
  }

  /** Records a cached prompt's vector (in Redis, in this process, and on the bus). */
  async add(scopeId: string, part: string, id: string, v: Float32Array, ttlMs: number): Promise<void> {
    const root = this.root(scopeId, part)
    const index = `${root}:i`
    const expires = this.now() + ttlMs
    const bytes = vectorBytes(v)
    await ephemeral(() =>
      this.store.batch([
        ['set', `${root}:v:${id.slice(scopeId.length + 1)}`, bytes, { px: ttlMs }],
        ['zadd', index, [{ member: id, score: expires }]],
        ['zremrangebyrank', index, 0, -(this.s.maxEntries + 1)],
        ['pexpire', index, ttlMs, 'NX'],
        ['pexpire', index, ttlMs, 'GT'],
      ]),
    )
    this.insert(`${scopeId}\n${part}`, id, expires, v)
    const message = `${scopeId}\n${part}\n${id}\n${expires}\n${bytes.toString('base64')}`
    await this.store.publish(this.channel(), message)
  }

  /** Forgets every loaded partition (after a clear, or a gap in the bus). */
  reset(): void {
    this.partitions.clear()
    this.loaded = 0
  }

  async close(): Promise<void> {
    this.closed = true
    this.stopGap?.()
    await this.unsubscribe?.()
    this.reset()
  }

  private channel(): string {
    return `${this.base}bus`
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      this.stopGap = this.store.onSubscriptionGap?.(() => this.reset())
      this.unsubscribe = await this.store.subscribe(this.channel(), (message) => this.onMessage(message))
    })()
    return this.started
  }

  private onMessage(message: string): void {
    const [scopeId, part, id, expires, b64] = message.split('\n')
    const v = vectorFrom(Buffer.from(b64 ?? '', 'base64'))
    if (scopeId === undefined || part === undefined || id === undefined || v === undefined) return
    this.insert(`${scopeId}\n${part}`, id, Number(expires), v)
  }

  private insert(name: string, id: string, expires: number, v: Float32Array): void {
    const p = this.partitions.get(name)
    if (!p) return // not loaded here: it will be read from Redis when needed
    if (p.ready) {
      p.pending.push([id, expires, v])
      return
    }
    const at = p.ids.indexOf(id)
    if (at >= 0) {
      p.vecs[at] = v
      p.expires[at] = expires
      return
    }
    p.ids.push(id)
    p.vecs.push(v)
    p.expires.push(expires)
    this.loaded++
    if (p.ids.length > this.s.maxEntries) {
      let oldest = 0
      for (let i = 1; i < p.expires.length; i++) if (p.expires[i]! < p.expires[oldest]!) oldest = i
      p.ids.splice(oldest, 1)
      p.vecs.splice(oldest, 1)
      p.expires.splice(oldest, 1)
      this.loaded--
    }
    this.evict(name)
  }

  private async partition(scopeId: string, part: string): Promise<Partition> {
    if (!this.closed) await this.start()
    const name = `${scopeId}\n${part}`
    const known = this.partitions.get(name)
    if (known && (known.ready || this.now() - known.loadedAt < this.s.maxAgeMs)) {
      this.partitions.delete(name) // most recently used last
      this.partitions.set(name, known)
      if (known.ready) await known.ready
      return known
    }
    if (known) this.drop(name, known)
    const p: Partition = {
      ids: [],
      vecs: [],
      expires: [],
      loadedAt: this.now(),
      ready: undefined,
      pending: [],
    }
    this.partitions.set(name, p)
    p.ready = this.load(this.root(scopeId, part), p).then(
      () => {
        p.ready = undefined
        for (const [id, expires, v] of p.pending.splice(0)) this.insert(name, id, expires, v)
        this.evict(name)
      },
      (err: unknown) => {
        p.ready = undefined
        if (this.partitions.get(name) === p) this.partitions.delete(name)
        throw err
      },
    )
    await p.ready
    return p
  }

  private async load(root: string, p: Partition): Promise<void> {
    const index = `${root}:i`
    const [, members] = await this.store.batch([
      ['zremrangebyscore', index, '-inf', this.now()],
      ['zrangeWithScores', index, 0, -1],
    ])
    if (members.length === 0) return
    const bytes = await this.store.mgetBuffer(
      members.map((m) => `${root}:v:${m.member.slice(m.member.indexOf(':') + 1)}`),
    )
    members.forEach((m, i) => {
      const v = vectorFrom(bytes[i] ?? null)
      if (v === undefined) return
      p.ids.push(m.member)
      p.vecs.push(v)
      p.expires.push(m.score)
    })
    this.loaded += p.ids.length
  }

  private drop(name: string, p: Partition): void {
    if (this.partitions.get(name) !== p) return
    this.partitions.delete(name)
    this.loaded -= p.ids.length
  }

  private evict(keep: string): void {
    for (const [name, p] of this.partitions) {
      if (this.loaded <= this.s.maxLoaded) return
      if (name !== keep && !p.ready) this.drop(name, p)
    }
  }
}
