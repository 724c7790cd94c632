/**
 * How an entry is stored: a short ASCII header, then the value as the codec writes it (JSON, or
 * raw bytes for Buffers, never base64).
 *
 *   0x02 <freshUntil>,<staleUntil>,<loadMs>[,<tags JSON>] 0x03 <codec payload>
 *
 * Times are Unix milliseconds of the writer's clock: `freshUntil` ends the TTL (jittered),
 * `staleUntil` ends the grace period (the key's own expiry in the store). `tags` is the list of
 * [tag, version] the entry was built against (see tags.ts). A value without the header (written
 * by another client) is read as fresh for as long as the store keeps it.
 */
import { decode, encode } from '../internal/codec.js'

const START = 0x02
const END = 0x03
const COMMA = 0x2c

/** [tag, version] pairs, tags fully qualified (with the namespace). */
export type TagSnapshot = readonly (readonly [string, string])[]

/** A tag version as cached in process; the L1 trusts an entry only while its versions are alive. */
export interface TagState {
  readonly token: string | null
  /** Trusted until then (the L1's maxAge), unless `dead`. */
  readonly until: number
  /** The tag key's expiry in the store, as far as this process knows (0: unknown). */
  readonly expiresAt: number
  dead: boolean
}

export interface Entry {
  readonly value: unknown
  readonly freshUntil: number
  readonly staleUntil: number
  readonly loadMs: number
  readonly tags: TagSnapshot | undefined
  /** Bytes stored. */
  readonly size: number
  /** The tag versions the entry was checked against (see check.ts). */
  refs?: TagState[] | undefined
  /** Tags.epoch when `refs` were last known alive: while it has not moved, none of them died. */
  epoch?: number
  /** The earliest `until` of `refs`: they are trusted until then. */
  refsUntil?: number
  /** L1 only: the L1's own limit (maxAge). */
  l1Limit?: number
  /**
   * L1 only: min(freshUntil, l1Limit, refsUntil): a hit before it needs no other check than
   * `epoch` (untagged entries never have one and take tagsHold's first exit).
   */
  l1Fresh?: number
  /** L1 only: min(staleUntil, the L1's own limit). */
  l1Until?: number
}

export interface Encoded {
  data: string | Buffer
  size: number
}

/** The codec's form of a value. Throws INVALID_ARGUMENT (naming the fix) for what JSON would corrupt. */
export function encodeValue(value: unknown): string | Buffer {
  return encode(value)
}

/** A value (as encodeValue wrote it) with its header. */
export function encodeEntry(
  payload: string | Buffer,
  freshUntil: number,
  staleUntil: number,
  loadMs: number,
  tags: TagSnapshot | undefined,
): Encoded {
  let header = `\u0002${freshUntil},${staleUntil},${Math.round(loadMs)}`
  if (tags !== undefined && tags.length > 0) header += `,${JSON.stringify(tags)}`
  header += '\u0003'
  if (typeof payload === 'string') {
    const data = header + payload
    return { data, size: data.length }
  }
  const data = Buffer.concat([Buffer.from(header, 'utf8'), payload])
  return { data, size: data.length }
}

/** Reads a stored entry. Throws on a corrupt header or payload (the caller treats it as a miss). */
export function decodeEntry(stored: Buffer): Entry {
  if (stored[0] !== START) {
    const infinite = Number.POSITIVE_INFINITY
    return entryOf(decode(stored), infinite, infinite, 0, undefined, stored.length)
  }
  let i = 1
  const nums = [0, 0, 0]
  for (let n = 0; n < 3; n++) {
    let v = 0
    let c = stored[i]!
    if (c < 0x30 || c > 0x39) throw new Error('corrupt cache entry header')
    while (c >= 0x30 && c <= 0x39) {
      v = v * 10 + (c - 0x30)
      c = stored[++i]!
    }
    nums[n] = v
    if (c === END) break
    if (c !== COMMA) throw new Error('corrupt cache entry header')
    i++
  }
  let tags: TagSnapshot | undefined
  if (stored[i] !== END) {
    const end = stored.indexOf(END, i)
    if (end < 0) throw new Error('corrupt cache entry header')
    tags = JSON.parse(stored.toString('utf8', i, end)) as TagSnapshot
    if (!Array.isArray(tags)) throw new Error('corrupt cache entry tags')
    i = end
  }
  return entryOf(decode(stored.subarray(i + 1)), nums[0]!, nums[1]!, nums[2]!, tags, stored.length)
}

/**
 * An entry as it was just written (no decode needed: the caller holds the value), or as read.
 * Every entry is built here, with every field it gets later (tag checks, the L1) already present,
 * in one order: tagged and untagged entries share one hidden class, so an L1 hit's reads stay
 * monomorphic.
 */
export function entryOf(
  value: unknown,
  freshUntil: number,
  staleUntil: number,
  loadMs: number,
  tags: TagSnapshot | undefined,
  size: number,
): Entry {
  return {
    value,
    freshUntil,
    staleUntil,
    loadMs,
    tags: tags && tags.length > 0 ? tags : undefined,
    size,
    refs: undefined,
    epoch: undefined,
    refsUntil: undefined,
    l1Limit: undefined,
    l1Fresh: undefined,
    l1Until: undefined,
  }
}
