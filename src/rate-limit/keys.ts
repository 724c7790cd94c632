/**
 * Key layout of the rate limiter. Every key one check touches shares a hash tag, so the check is
 * one script on one cluster slot:
 *
 *   <prefix>rate-limit:{<ns>:<id>}:<a><windowMs>   one per limit (a = s, g, t, f)
 *   <prefix>rate-limit:{<ns>:<id>}:b               the block key
 *
 * With analytics a limiter's identifiers are spread over N shards instead (`{<ns>~<shard>}:<id>`),
 * so that its counters (`{<ns>~<shard>}:stats:<bucket>`, `…:top:<bucket>`) sit in the slot of
 * every identifier of the shard and can be read back from N known keys.
 * `<ns>` is '' for `check`/`checkAll` and the limiter's name for `define`. It never contains ':'
 * or '~', so the two layouts cannot meet. Identifiers are escaped (% { }) so they cannot end
 * the tag early.
 */
import type { RateLimitAlgorithm } from './types.js'

export const LETTER: Record<RateLimitAlgorithm, string> = {
  sliding: 's',
  gcra: 'g',
  'token-bucket': 't',
  fixed: 'f',
}

const SPECIAL = /[%{}]/
const escapeId = (id: string) =>
  SPECIAL.test(id) ? id.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) : id

/** FNV-1a over UTF-16 units: a stable, cheap shard for an identifier. */
export function shardOf(id: string, shards: number): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0) % shards
}

export interface IdKeys {
  /** `<base><tag>` to which a limit's suffix is appended. */
  readonly root: string
  readonly block: string
  /** The analytics keys of the current bucket (only with analytics). */
  readonly stats?: string
  readonly top?: string
}

export class KeyLayout {
  readonly base: string

  constructor(prefix: string) {
    this.base = `${prefix}rate-limit:`
  }

  /** The root of `id`'s keys in namespace `ns` without analytics (see `of`). */
  root(ns: string, id: string): string {
    return `${this.base}{${ns}:${escapeId(id)}}:`
  }

  /** The keys of `id` in namespace `ns`; with `shards`, the analytics keys of `bucket` too. */
  of(ns: string, id: string, shards = 0, bucket = 0): IdKeys {
    if (shards === 0) {
      const root = this.root(ns, id)
      return { root, block: `${root}b` }
    }
    const tag = `${this.base}{${ns}~${shardOf(id, shards)}}:`
    const root = `${tag}${escapeId(id)}:`
    return { root, block: `${root}b`, stats: `${tag}stats:${bucket}`, top: `${tag}top:${bucket}` }
  }

  /** A limit's key under `root`: its algorithm and window (limits on one window share it). */
  limit(root: string, algorithm: RateLimitAlgorithm, windowMs: number): string {
    return `${root}${LETTER[algorithm]}${windowMs}`
  }

  /** The analytics keys of shard `shard`, bucket `bucket`. */
  analytics(ns: string, shard: number, bucket: number): { stats: string; top: string } {
    const tag = `${this.base}{${ns}~${shard}}:`
    return { stats: `${tag}stats:${bucket}`, top: `${tag}top:${bucket}` }
  }
}
