/**
 * How the stream commands are spelled on the wire and how their replies are read (see
 * redis-commands.ts). Replies are accepted as RESP2 arrays and as RESP3 maps.
 */
import type { Arg, WireCommand } from './redis-commands.js'
import type {
  StreamCommands,
  StreamCursor,
  StreamEntry,
  StreamGroupEntry,
  StreamTrim,
  XAddOptions,
} from './stream-types.js'

// biome-ignore lint/suspicious/noExplicitAny: each builder narrows its own arguments
type Builder = (...args: any[]) => WireCommand

const toNumber = (r: unknown) => Number(r)
const toBool = (r: unknown) => r === 1 || r === 'OK'
const text = (r: unknown): string => (Buffer.isBuffer(r) ? r.toString('utf8') : String(r))

/** Pairs of a flat array or the entries of a map, as [name, value]. */
function pairs(reply: unknown): [string, unknown][] {
  if (reply instanceof Map) return [...reply].map(([k, v]) => [text(k), v])
  const items = reply as unknown[]
  const out: [string, unknown][] = []
  for (let i = 0; i + 1 < items.length; i += 2) out.push([text(items[i]), items[i + 1]])
  return out
}

function record(reply: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null)
  for (const [k, v] of pairs(reply)) out[k] = v
  return out
}

function fields(reply: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null)
  for (const [k, v] of pairs(reply)) out[k] = text(v)
  return out
}

export function parseEntry(reply: unknown): StreamEntry {
  const [id, body] = reply as [unknown, unknown]
  return { id: text(id), fields: fields(body) }
}

function parseGroupEntry(reply: unknown): StreamGroupEntry {
  const [id, body] = reply as [unknown, unknown]
  return { id: text(id), fields: body === null || body === undefined ? null : fields(body) }
}

const entries = (reply: unknown) => ((reply as unknown[] | null) ?? []).map(parseEntry)

function streams<E>(parse: (e: unknown) => E) {
  return (reply: unknown): { key: string; entries: E[] }[] | null => {
    if (reply === null || reply === undefined) return null
    const list: [string, unknown][] =
      reply instanceof Map ? pairs(reply) : (reply as [unknown, unknown][]).map(([k, v]) => [text(k), v])
    return list.map(([key, items]) => ({ key, entries: ((items as unknown[] | null) ?? []).map(parse) }))
  }
}

/** The trim arguments of XADD and XTRIM: MAXLEN|MINID [=|~] threshold [LIMIT n]. */
export function trimArgv(trim: StreamTrim): Arg[] {
  const argv: Arg[] = trim.maxlen !== undefined ? ['MAXLEN'] : ['MINID']
  argv.push(trim.approximate ? '~' : '=', trim.maxlen ?? trim.minid!)
  if (trim.limit !== undefined) argv.push('LIMIT', trim.limit)
  return argv
}

function xaddArgv(key: string, body: Record<string, Arg>, o: XAddOptions | undefined): [string, ...Arg[]] {
  const argv: [string, ...Arg[]] = ['xadd', key]
  if (o?.nomkstream) argv.push('NOMKSTREAM')
  if (o?.trim) argv.push(...trimArgv(o.trim))
  argv.push(o?.id ?? '*')
  for (const name of Object.keys(body)) argv.push(name, body[name]!)
  return argv
}

function readArgv(cursors: StreamCursor[], o: { count?: number; block?: number } | undefined): Arg[] {
  const argv: Arg[] = []
  if (o?.count !== undefined) argv.push('COUNT', o.count)
  if (o?.block !== undefined) argv.push('BLOCK', o.block)
  argv.push('STREAMS', ...cursors.map(([key]) => key), ...cursors.map(([, id]) => id))
  return argv
}

const count = (o: { count?: number } | undefined): Arg[] => (o?.count !== undefined ? ['COUNT', o.count] : [])

export const STREAM_WIRE: { readonly [K in keyof StreamCommands]: Builder } = {
  xadd: (key, body, o) => ({ argv: xaddArgv(key, body, o), parse: (r) => (r === null ? null : text(r)) }),
  xrange: (key, start, end, o) => ({ argv: ['xrange', key, start, end, ...count(o)], parse: entries }),
  xrevrange: (key, end, start, o) => ({ argv: ['xrevrange', key, end, start, ...count(o)], parse: entries }),
  xlen: (key) => ({ argv: ['xlen', key], parse: toNumber }),
  xtrim: (key, trim) => ({ argv: ['xtrim', key, ...trimArgv(trim)], parse: toNumber }),
  xdel: (key, ids) => ({ argv: ['xdel', key, ...ids], parse: toNumber }),
  xread: (cursors, o) => ({ argv: ['xread', ...readArgv(cursors, o)], parse: streams(parseEntry) }),
  xgroupCreate: (key, group, id, o) => ({
    argv: ['xgroup', 'CREATE', key, group, id, ...(o?.mkstream ? ['MKSTREAM'] : [])],
    parse: () => true,
    recover: (message) => (/BUSYGROUP/.test(message) ? { value: false } : undefined),
  }),
  xgroupDestroy: (key, group) => ({ argv: ['xgroup', 'DESTROY', key, group], parse: toBool }),
  xgroupCreateConsumer: (key, group, consumer) => ({
    argv: ['xgroup', 'CREATECONSUMER', key, group, consumer],
    parse: toBool,
  }),
  xgroupDelConsumer: (key, group, consumer) => ({
    argv: ['xgroup', 'DELCONSUMER', key, group, consumer],
    parse: toNumber,
  }),
  xreadgroup: (group, consumer, cursors, o) => ({
    argv: ['xreadgroup', 'GROUP', group, consumer, ...(o?.noack ? ['NOACK'] : []), ...readArgv(cursors, o)],
    parse: streams(parseGroupEntry),
  }),
  xack: (key, group, ids) => ({ argv: ['xack', key, group, ...ids], parse: toNumber }),
  xpending: (key, group) => ({
    argv: ['xpending', key, group],
    parse: (r) => {
      const [n, min, max, list] = r as [unknown, unknown, unknown, unknown]
      const consumers = list instanceof Map ? pairs(list) : ((list as [unknown, unknown][] | null) ?? [])
      return {
        count: Number(n),
        minId: min === null ? null : text(min),
        maxId: max === null ? null : text(max),
        consumers: consumers.map(([name, pending]) => ({ name: text(name), pending: Number(pending) })),
      }
    },
  }),
  xpendingRange: (key, group, start, end, n, o) => ({
    argv: [
      'xpending',
      key,
      group,
      ...(o?.minIdleMs !== undefined ? ['IDLE', o.minIdleMs] : []),
      start,
      end,
      n,
      ...(o?.consumer !== undefined ? [o.consumer] : []),
    ],
    parse: (r) =>
      (r as [unknown, unknown, unknown, unknown][]).map(([id, consumer, idle, deliveries]) => ({
        id: text(id),
        consumer: text(consumer),
        idleMs: Number(idle),
        deliveries: Number(deliveries),
      })),
  }),
  xclaim: (key, group, consumer, minIdle, ids, o) => {
    const argv: [string, ...Arg[]] = ['xclaim', key, group, consumer, minIdle, ...ids]
    if (o?.idleMs !== undefined) argv.push('IDLE', o.idleMs)
    if (o?.timeMs !== undefined) argv.push('TIME', o.timeMs)
    if (o?.retryCount !== undefined) argv.push('RETRYCOUNT', o.retryCount)
    if (o?.force) argv.push('FORCE')
    return { argv, parse: (r) => (r as unknown[]).filter((e) => e !== null).map(parseEntry) }
  },
  xautoclaim: (key, group, consumer, minIdle, start, o) => ({
    argv: ['xautoclaim', key, group, consumer, minIdle, start, ...count(o)],
    parse: (r) => {
      const [next, claimed, deleted] = r as [unknown, unknown, unknown]
      return {
        next: text(next),
        entries: entries(claimed),
        deleted: ((deleted as unknown[]) ?? []).map(text),
      }
    },
  }),
  xinfoStream: (key) => ({
    argv: ['xinfo', 'STREAM', key],
    parse: (r) => {
      const o = record(r)
      const entry = (e: unknown) => (e === null || e === undefined ? null : parseEntry(e))
      return {
        length: Number(o.length),
        lastGeneratedId: text(o['last-generated-id']),
        firstEntry: entry(o['first-entry']),
        lastEntry: entry(o['last-entry']),
        groups: Number(o.groups),
      }
    },
  }),
  xinfoGroups: (key) => ({
    argv: ['xinfo', 'GROUPS', key],
    parse: (r) =>
      (r as unknown[]).map((g) => {
        const o = record(g)
        return {
          name: text(o.name),
          consumers: Number(o.consumers),
          pending: Number(o.pending),
          lastDeliveredId: text(o['last-delivered-id']),
        }
      }),
  }),
  xinfoConsumers: (key, group) => ({
    argv: ['xinfo', 'CONSUMERS', key, group],
    parse: (r) =>
      (r as unknown[]).map((c) => {
        const o = record(c)
        return { name: text(o.name), pending: Number(o.pending), idleMs: Number(o.idle) }
      }),
  }),
}

/** The arguments of a blocking read with its block time replaced (0: sent without BLOCK). */
export function withBlock(name: 'xread' | 'xreadgroup', args: unknown[], blockMs: number): unknown[] {
  const at = name === 'xread' ? 1 : 3
  const copy = [...args]
  copy[at] = { ...(args[at] as object), block: blockMs > 0 ? blockMs : undefined }
  return copy
}
