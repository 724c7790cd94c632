/**
 * The semantic layer between the LLM cache and its index: embeds a request's text, finds the
 * nearest cached prompt of the same partition above the threshold and reads its answer; records
 * the vector of what was stored. An embedding service that fails is a miss (counted), never an
 * error for the caller; an embedding of the wrong shape is a typed error.
 */
import type { Cache } from '../cache/index.js'
import { isKitError } from '../errors.js'
import type { Accounting } from './accounting.js'
import { type KeyedRequest, semanticParts } from './key.js'
import type { ResolvedLLMOptions } from './options.js'
import { SemanticIndex } from './semantic.js'
import type { TokenUsage } from './types.js'
import { toUnitVector } from './vectors.js'

/** What the cache stores per request: the answer (`v`) or the chunks of a stream (`s`). */
export interface Rec {
  v?: unknown
  s?: unknown[]
  /** model */
  m: string
  u?: TokenUsage
  /** How long the model took. */
  ms: number
}

/** The outcome of a lookup: when it began, the answer found, and the prompt's vector. */
export interface Found {
  at: number
  rec?: Rec
  vec?: Float32Array
  part?: string
}

export class SemanticLayer {
  private readonly index: SemanticIndex
  private readonly s: NonNullable<ResolvedLLMOptions['semantic']>

  constructor(
    private readonly view: Cache,
    private readonly o: ResolvedLLMOptions,
    private readonly acct: Accounting,
  ) {
    this.s = o.semantic!
    this.index = new SemanticIndex(
      o.store!,
      `${view.keyPrefix}sem:`,
      {
        threshold: this.s.threshold,
        maxEntries: this.s.maxEntries,
        maxLoaded: this.s.maxLoaded,
        maxAgeMs: o.semanticMaxAgeMs,
      },
      Date.now,
    )
  }

  private async embed(k: KeyedRequest): Promise<{ vec: Float32Array; part: string } | undefined> {
    const { partition, text } = semanticParts(k, this.o.maxPromptBytes)
    const input = this.s.text ? this.s.text({ messages: k.messages }) : text
    let raw: ArrayLike<number>
    try {
      raw = await this.s.embed(input)
    } catch {
      this.acct.totals.semanticErrors++
      return undefined
    }
    return { vec: toUnitVector(raw), part: partition }
  }

  /** Embeds the request and answers from the nearest cached prompt when it is near enough. */
  async lookup(k: KeyedRequest): Promise<Found> {
    const at = performance.now()
    const e = await this.embed(k)
    if (!e) return { at }
    try {
      const near = await this.index.nearest(k.scopeId, e.part, e.vec)
      if (near && near.id !== k.key) {
        const rec = await this.view.get<Rec>(near.id)
        if (rec !== undefined) return { at, rec, ...e }
      }
    } catch (err) {
      if (isKitError(err, 'INVALID_ARGUMENT')) throw err
      this.acct.totals.semanticErrors++
    }
    return { at, ...e }
  }

  /** Records the vector of a stored request (embedding it now unless the lookup did). */
  async add(k: KeyedRequest, found: Found | undefined, ttlMs: number): Promise<void> {
    const e = found?.vec && found.part ? { vec: found.vec, part: found.part } : await this.embed(k)
    if (e) await this.index.add(k.scopeId, e.part, k.key, e.vec, ttlMs)
  }

  reset(): void {
    this.index.reset()
  }

  close(): Promise<void> {
    return this.index.close()
  }
}
