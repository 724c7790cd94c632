/**
 * Durable SSE feeds on every store: the stream entry id is the SSE id, and a client reconnecting
 * with Last-Event-ID gets everything it missed (read in pages) before the live entries — nothing
 * lost, nothing twice; when its last entry was trimmed away it is told to resync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSse, type Sse } from '../../src/sse/index.js'
import type { Store } from '../../src/stores/types.js'
import { createStreams, type Streams } from '../../src/streams/index.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'
import { reader, sleep, until } from './helpers.js'

const request = (lastEventId?: string) =>
  new Request('http://test/feed', lastEventId ? { headers: { 'last-event-id': lastEventId } } : {})

describe.each(storeMatrix())('durable SSE on $name', ({ create }) => {
  let store: Store
  let streams: Streams
  let sse: Sse
  const prefix = testPrefix('sse')
  beforeAll(() => {
    store = create()
    streams = createStreams(store, { prefix, pageSize: 3, maxLen: false })
    sse = createSse({ streams, authorize: () => true })
  })
  afterAll(async () => {
    sse.close()
    await streams.close()
    await deletePrefix(store, prefix)
    await store.close()
  })

  it('a client that reconnects with Last-Event-ID misses nothing and gets nothing twice', async () => {
    const first = reader((await sse.response(request(), { durable: 'feed' })).body!)
    await until(() => streams.stats().tails === 1, 'the tail')
    await sleep(20)
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push(await streams.append('feed', { n: i }))
    await until(() => first.parsed().events.length >= 3, 'three events')
    await first.cancel() // the connection drops after (at least) three events
    const seen = first.parsed().events
    expect(seen.map((e) => e.id)).toEqual(ids.slice(0, seen.length))
    for (let i = 5; i < 12; i++) ids.push(await streams.append('feed', { n: i })) // missed while away
    const again = reader((await sse.response(request(seen.at(-1)!.id), { durable: 'feed' })).body!)
    await until(() => again.parsed().events.length === 12 - seen.length, 'the replay')
    ids.push(await streams.append('feed', { n: 12 })) // live again
    await until(() => again.parsed().events.length === 13 - seen.length, 'the live event')
    const all = [...seen, ...again.parsed().events]
    expect(all.map((e) => e.id)).toEqual(ids)
    expect(all.map((e) => JSON.parse(e.data).n)).toEqual(Array.from({ length: 13 }, (_, i) => i))
    expect(again.parsed().events.some((e) => e.event === 'resync')).toBe(false)
    await again.cancel()
  })

  it('from the start; a Last-Event-ID that was trimmed away gets a resync first', async () => {
    const trimmed = createStreams(store, { prefix, maxLen: 3, trim: 'exact' })
    const feed = createSse({ streams: trimmed, authorize: () => true })
    const ids: string[] = []
    for (let i = 0; i < 6; i++) ids.push(await trimmed.append('short', i))
    const fromStart = reader((await feed.response(request(), { durable: 'short', from: 'start' })).body!)
    await until(() => fromStart.parsed().events.length === 3, 'the kept entries')
    expect(fromStart.parsed().events.map((e) => e.data)).toEqual(['3', '4', '5'])
    await fromStart.cancel()
    const late = reader((await feed.response(request(ids[0]), { durable: 'short' })).body!)
    await until(() => late.parsed().events.length === 4, 'resync and entries')
    const [resync, ...rest] = late.parsed().events
    expect(resync!.event).toBe('resync')
    expect(JSON.parse(resync!.data)).toEqual({ reason: 'trimmed', lastEventId: ids[0], oldest: ids[3] })
    expect(rest.map((e) => e.id)).toEqual(ids.slice(3))
    await late.cancel()
    feed.close()
    await trimmed.close()
  })
})
