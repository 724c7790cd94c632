/**
 * createSse: Server-Sent Events endpoints, framework-free. `sse.response(request, source)`
 * returns a Web `Response` (a Next.js route handler, Hono, Bun, Deno); `sse.handle(req, res,
 * source)` serves a Node `http` response. Every endpoint asks `authorize(request, channel)`
 * first — there is no way to open one where any client listens to any channel.
 *
 * The response is `text/event-stream` with the headers that stop proxies and compressors from
 * buffering it, a `retry:` line, keep-alive comments, `id:` lines, and a bounded queue per
 * connection; when the client goes away (or a write fails) its subscription, tail and timer go too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { invalidArgument } from '../errors.js'
import { type Duration, toMs } from '../internal/duration.js'
import { Emitter } from '../internal/events.js'
import { durationSchema, parseOptions } from '../internal/options.js'
import type { PubSub } from '../pubsub/index.js'
import type { Streams } from '../streams/index.js'
import { type ConnectionStats, type Sink, SseConnection } from './connection.js'
import { eventName, retry } from './framing.js'
import { handleNode } from './node.js'
import { openDurable, openLive } from './sources.js'

export type SseSource =
  /** A pub/sub channel: live events (lost while the client is away; a `resync` says so). */
  | { live: string; event?: string }
  /** A stream: entry ids are SSE ids; a reconnecting client gets what it missed, then live entries. */
  | { durable: string; event?: string; from?: 'now' | 'start' }

export type Authorize = (
  request: Request,
  channel: string,
  mode: 'live' | 'durable',
) => boolean | Promise<boolean>

export interface SseOptions {
  /** Required: true only for a request allowed to read `channel` (a pub/sub channel or stream name). */
  authorize: Authorize
  /** Needed for live sources. */
  pubsub?: PubSub
  /** Needed for durable sources. */
  streams?: Streams
  /** A comment is sent after this long without traffic, so proxies keep the connection. @default '15s' */
  keepAlive?: Duration
  /** How long the browser waits before reconnecting. @default '2s' */
  retry?: Duration
  /** Bytes queued for a slow client at most; beyond, a live source drops events for a `resync`. @default 1 MiB */
  maxQueueBytes?: number
  /** Extra response headers (CORS, …). */
  headers?: Record<string, string>
}

export interface SseStats extends ConnectionStats {
  open: number
  opened: number
  /** Requests authorize() refused. */
  refused: number
}

export interface Sse {
  response(request: Request, source: SseSource): Promise<Response>
  handle(req: IncomingMessage, res: ServerResponse, source: SseSource): Promise<void>
  stats(): SseStats
  on(event: 'error', listener: (error: unknown) => void): () => void
  /** Ends every open connection (their clients reconnect after `retry`). */
  close(): void
}

const isFn = (v: unknown) => typeof v === 'function'
const schema = z
  .object({
    authorize: z.custom<Authorize>(isFn, {
      message: 'is required: (request, channel) => boolean — allow only clients that may read the channel',
    }),
    pubsub: z.custom<PubSub>((v) => isFn((v as PubSub | undefined)?.subscribe)).optional(),
    streams: z.custom<Streams>((v) => isFn((v as Streams | undefined)?.tail)).optional(),
    keepAlive: durationSchema().default('15s'),
    retry: durationSchema().default('2s'),
    maxQueueBytes: z
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    headers: z.record(z.string(), z.string()).default({}),
  })
  .strict()

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
} as const

export function createSse(options: SseOptions): Sse {
  const opts = parseOptions(schema, options, 'createSse')
  const keepAliveMs = toMs(opts.keepAlive, 'keepAlive')
  const retryMs = toMs(opts.retry, 'retry')
  if (keepAliveMs <= 0) throw invalidArgument('keepAlive must be longer than 0')
  const events = new Emitter<{ error: [error: unknown] }>()
  const open = new Set<SseConnection>()
  const totals = { opened: 0, refused: 0, sent: 0, dropped: 0, resyncs: 0 }
  const headers = { ...SSE_HEADERS, ...opts.headers }

  function checkSource(source: SseSource) {
    const s = source as Partial<Record<'live' | 'durable', unknown>> & { event?: unknown; from?: unknown }
    const mode: 'live' | 'durable' | undefined =
      typeof s?.live === 'string' ? 'live' : typeof s?.durable === 'string' ? 'durable' : undefined
    const name = mode && (s[mode] as string)
    if (!mode || !name) throw invalidArgument('source must be { live: channel } or { durable: stream }')
    if (mode === 'live' && !opts.pubsub) throw invalidArgument('a live source needs createSse({ pubsub })')
    if (mode === 'durable' && !opts.streams)
      throw invalidArgument('a durable source needs createSse({ streams })')
    if (s.from !== undefined && s.from !== 'now' && s.from !== 'start')
      throw invalidArgument("source.from must be 'now' or 'start'")
    return { mode, name, event: eventName(s.event), from: (s.from ?? 'now') as 'now' | 'start' }
  }

  async function allowed(request: Request, name: string, mode: 'live' | 'durable'): Promise<boolean> {
    if ((await opts.authorize(request, name, mode)) === true) return true
    totals.refused++
    return false
  }

  /** Opens a connection over `sink` and starts its source. */
  async function start(sink: Sink, request: Request, source: ReturnType<typeof checkSource>) {
    const conn = new SseConnection(sink, { keepAliveMs, maxQueueBytes: opts.maxQueueBytes })
    open.add(conn)
    totals.opened++
    conn.onClose(() => {
      open.delete(conn)
      totals.sent += conn.stats.sent
      totals.dropped += conn.stats.dropped
      totals.resyncs += conn.stats.resyncs
    })
    conn.control(retry(retryMs))
    const lastEventId = request.headers.get('last-event-id') ?? undefined
    try {
      if (source.mode === 'live') {
        const reconnecting = lastEventId !== undefined
        await openLive(conn, opts.pubsub!, source.name, { event: source.event, reconnecting })
      } else {
        await openDurable(conn, opts.streams!, source.name, {
          event: source.event,
          lastEventId: lastEventId && /^\d+(-\d+)?$/.test(lastEventId) ? lastEventId : undefined,
          from: source.from,
          onError: (err) => events.emit('error', err),
        })
      }
    } catch (err) {
      conn.close() // its timer and whatever the source had set up go with it
      throw err
    }
    return conn
  }

  return {
    async response(request, source) {
      const s = checkSource(source)
      if (!(await allowed(request, s.name, s.mode))) return new Response('Forbidden', { status: 403 })
      const { sink, body } = webSink()
      let conn: SseConnection
      try {
        conn = await start(sink, request, s)
      } catch (err) {
        events.emit('error', err)
        return new Response('Service Unavailable', { status: 503, headers: { 'retry-after': '2' } })
      }
      body.cancelled = () => conn.close()
      if (request.signal.aborted) conn.close()
      request.signal.addEventListener('abort', () => conn.close(), { once: true })
      return new Response(body.stream, { status: 200, headers })
    },
    handle: (req, res, source) =>
      handleNode(req, res, {
        check: () => checkSource(source),
        allowed,
        start,
        headers,
        onError: (err) => events.emit('error', err),
      }),
    stats: () => {
      const live = { sent: 0, dropped: 0, resyncs: 0 }
      for (const c of open) for (const k of ['sent', 'dropped', 'resyncs'] as const) live[k] += c.stats[k]
      return {
        open: open.size,
        opened: totals.opened,
        refused: totals.refused,
        sent: totals.sent + live.sent,
        dropped: totals.dropped + live.dropped,
        resyncs: totals.resyncs + live.resyncs,
      }
    },
    on: (event, listener) => events.on(event, listener),
    close() {
      for (const conn of [...open]) conn.close()
    },
  }
}

/** A sink writing UTF-8 into a ReadableStream, with its backpressure (highWaterMark 64 KiB). */
function webSink() {
  const encoder = new TextEncoder()
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let drained: (() => void) | undefined
  const body: { cancelled: () => void; stream: ReadableStream<Uint8Array> } = {
    cancelled: () => {},
    stream: new ReadableStream<Uint8Array>(
      {
        start: (c) => void (controller = c),
        pull: () => {
          const wake = drained
          drained = undefined
          wake?.()
        },
        cancel: (): void => body.cancelled(),
      },
      { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
    ),
  }
  const sink: Sink = {
    write(chunk) {
      controller.enqueue(encoder.encode(chunk))
      return (controller.desiredSize ?? 1) > 0
    },
    onDrain: (callback) => void (drained = callback),
    close: () => controller.close(),
  }
  return { sink, body }
}
