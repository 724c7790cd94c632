/**
 * Memory store: the stream entry commands (XADD, XRANGE, XREVRANGE, XLEN, XTRIM, XDEL, XREAD),
 * with Redis 7.0's semantics, ids and error replies. XREAD here never blocks: waiting is done
 * by the store around it (see blocking.ts), as Redis serves a blocked client by re-running it.
 */
import { RedisKitError } from '../../../errors.js'
import { formatId, ID_MAX, parseBound, parseId } from '../../stream-ids.js'
import type { StreamCommands, StreamCursor, StreamEntry, StreamTrim } from '../../stream-types.js'
import type { StoreValue } from '../../types.js'
import type { Entry, Keyspace } from '../keyspace.js'
import type { Sync } from '../sync.js'
import { groupBytes } from './groups.js'
import {
  append,
  type Element,
  emptyStream,
  idInMs,
  type NodeEntry,
  nextId,
  range,
  remove,
  type StreamValue,
  type TrimArgs,
  trim,
} from './stream.js'

export type EntryCommands = Pick<
  Sync<StreamCommands>,
  'xadd' | 'xrange' | 'xrevrange' | 'xlen' | 'xtrim' | 'xdel' | 'xread'
>

export interface StreamContext {
  ks: Keyspace
  /** A stream got new entries (or lost its key/group): blocked readers may be served. */
  touched(key: string): void
}

export const commandError = (message: string) => new RedisKitError('COMMAND_ERROR', message)

/** The approximate trim's default LIMIT: 100 × stream-node-max-entries. */
const DEFAULT_LIMIT = 10_000

export function toEntry(e: NodeEntry): StreamEntry {
  const fields: Record<string, string> = Object.create(null)
  for (let i = 0; i < e.fields.length; i += 2) fields[e.fields[i]!] = e.fields[i + 1]!
  return { id: e.text, fields }
}

export function readStream(ks: Keyspace, key: string): Entry<StreamValue> | undefined {
  return ks.read<StreamValue>(key, 'stream')
}

/** Records the stream's new size in the keyspace's byte budget. */
export function commit(ks: Keyspace, key: string, entry: Entry<StreamValue>): void {
  ks.resize(key, entry, entry.value.nodeBytes + groupBytes(entry.value.groups))
}

function element(value: StoreValue | string): Element {
  if (typeof value === 'string') return { text: value, bytes: Buffer.byteLength(value) }
  if (typeof value === 'number') return element(String(value))
  return { text: value.toString('utf8'), bytes: value.length }
}

function trimArgs(t: StreamTrim): TrimArgs {
  return {
    ...(t.maxlen !== undefined ? { maxlen: t.maxlen } : { minid: parseId(t.minid!) }),
    approximate: t.approximate === true,
    limit: t.approximate ? (t.limit ?? DEFAULT_LIMIT) : 0,
  }
}

function bounds(start: string, end: string): [bigint, bigint] {
  const from = parseBound(start, false)
  if (from === null) throw commandError('ERR invalid start ID for the interval')
  const to = parseBound(end, true)
  if (to === null) throw commandError('ERR invalid end ID for the interval')
  return [from, to]
}

function newId(s: StreamValue, spec: string, now: number): bigint | undefined {
  if (spec === '*') return nextId(s, now)
  if (spec.endsWith('-*')) return idInMs(s, BigInt(spec.slice(0, -2)))
  return parseId(spec)
}

export function entryCommands(ctx: StreamContext): EntryCommands {
  const { ks } = ctx
  const read = (key: string) => readStream(ks, key)

  function rangeOf(key: string, start: string, end: string, count: number | undefined, rev: boolean) {
    const [from, to] = bounds(start, end)
    const entry = read(key)
    return entry ? range(entry.value, from, to, count, rev).map(toEntry) : []
  }

  return {
    xadd(key, fields, options = {}) {
      const spec = options.id ?? '*'
      if (spec !== '*' && !spec.endsWith('-*') && parseId(spec) === 0n)
        throw commandError('ERR The ID specified in XADD must be greater than 0-0')
      let entry = read(key)
      if (!entry) {
        if (options.nomkstream) return null
        entry = ks.write<StreamValue>(key, 'stream', emptyStream)
      }
      const s = entry.value
      if (s.lastId === ID_MAX)
        throw commandError('ERR The stream has exhausted the last possible ID, unable to add more items')
      const id = newId(s, spec, ks.now())
      if (id === undefined || id <= s.lastId)
        throw commandError('ERR The ID specified in XADD is equal or smaller than the target stream top item')
      const pairs: Element[] = []
      for (const [name, value] of Object.entries(fields)) pairs.push(element(name), element(value))
      const text = formatId(id)
      append(s, id, text, pairs)
      if (options.trim) trim(s, trimArgs(options.trim))
      commit(ks, key, entry)
      ctx.touched(key)
      return text
    },
    xrange: (key, start, end, o) => rangeOf(key, start, end, o?.count, false),
    xrevrange: (key, end, start, o) => rangeOf(key, start, end, o?.count, true),
    xlen: (key) => read(key)?.value.length ?? 0,
    xtrim(key, t) {
      const entry = read(key)
      if (!entry) return 0
      const removed = trim(entry.value, trimArgs(t))
      commit(ks, key, entry)
      return removed
    },
    xdel(key, ids) {
      const entry = read(key)
      if (!entry) return 0
      let removed = 0
      for (const id of ids) if (remove(entry.value, parseId(id))) removed++
      commit(ks, key, entry)
      return removed
    },
    xread(cursors, o) {
      const streams = cursors.map(([key, id]) => [key, read(key), id] as const)
      const out: { key: string; entries: StreamEntry[] }[] = []
      for (const [key, entry, id] of streams) {
        if (!entry || entry.value.length === 0) continue
        const after = id === '$' ? entry.value.lastId : parseId(id)
        if (after === ID_MAX) continue
        const entries = range(entry.value, after + 1n, ID_MAX, o?.count)
        if (entries.length > 0) out.push({ key, entries: entries.map(toEntry) })
      }
      return out.length > 0 ? out : null
    },
  }
}

/** XREAD's cursors with `$` replaced by each stream's last id now (what a blocked read waits after). */
export function resolveCursors(ks: Keyspace, cursors: readonly StreamCursor[]): StreamCursor[] {
  return cursors.map(([key, id]) => {
    if (id !== '$') return [key, id]
    return [key, formatId(readStream(ks, key)?.value.lastId ?? 0n)]
  })
}
