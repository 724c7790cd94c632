/**
 * What an SSE connection streams. Live: a pub/sub channel — cheapest, but messages published
 * while the client (or this server's subscription) was disconnected are lost, so a reconnecting
 * client and a subscription gap both get a `resync` event. Durable: a stream — every event
 * carries its entry id as the SSE id, and a client reconnecting with Last-Event-ID gets what it
 * missed first (read in pages, with backpressure), then the live tail; if the entry it last saw
 * is no longer in the stream (trimmed), a `resync` tells it that older ones may be gone too.
 */
import { compareIds } from '../internal/entry-ids.js'
import type { PubSub } from '../pubsub/index.js'
import type { Streams } from '../streams/index.js'
import type { SseConnection } from './connection.js'

export interface LiveOptions {
  event: string | undefined
  /** The client sent a Last-Event-ID: it is reconnecting and may have missed messages. */
  reconnecting: boolean
}

export async function openLive(conn: SseConnection, pubsub: PubSub, channel: string, o: LiveOptions) {
  let n = 0
  const unsubscribe = await pubsub.subscribe(
    channel,
    (payload) =>
      conn.push({ ...(o.event ? { event: o.event } : {}), id: `live-${++n}`, data: JSON.stringify(payload) }),
    { pattern: false, onGap: (gap) => conn.resync('gap', { since: gap.since, until: gap.until }) },
  )
  conn.onClose(unsubscribe)
  if (o.reconnecting) conn.resync('reconnect')
}

export interface DurableOptions {
  event: string | undefined
  /** The id the client saw last (Last-Event-ID), if any. */
  lastEventId: string | undefined
  /** Where a client without Last-Event-ID starts. */
  from: 'now' | 'start'
  onError(err: unknown): void
}

export async function openDurable(conn: SseConnection, streams: Streams, name: string, o: DurableOptions) {
  if (o.lastEventId !== undefined) {
    const [first] = await streams.range(name, { limit: 1 })
    if (first && compareIds(first.id, o.lastEventId) > 0)
      conn.resync('trimmed', { lastEventId: o.lastEventId, oldest: first.id })
  }
  const items = streams.tail(name, { from: o.lastEventId ?? o.from, signal: conn.signal })
  const pump = (async () => {
    try {
      for await (const item of items) {
        await conn.send({
          ...(o.event ? { event: o.event } : {}),
          id: item.id,
          data: JSON.stringify(item.data),
        })
      }
    } catch (err) {
      if (!conn.closed) o.onError(err)
    } finally {
      conn.close()
    }
  })()
  conn.onClose(() => pump) // the tail ends with the connection's signal
}
