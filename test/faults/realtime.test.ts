/**
 * The real-time primitives on a FailoverStore while Redis is unreachable (fault proxy): pub/sub
 * still reaches this process's subscribers; a durable SSE feed keeps serving the entries
 * appended meanwhile (from memory), its ids resume a reconnecting client during the outage and,
 * once the journal was replayed with those same ids, against Redis too.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createPubSub } from '../../src/pubsub/index.js'
import { createSse } from '../../src/sse/index.js'
import { createStreams } from '../../src/streams/index.js'
import { reader, until as waitFor } from '../sse/helpers.js'
import { redisUrl } from '../support/env.js'
import { cleanup, proxy } from '../support/fault-proxy-clients.js'
import { failoverOver, type Harness, uniquePrefix, until } from './helpers.js'

const request = (lastEventId?: string) =>
  new Request('http://test/feed', lastEventId ? { headers: { 'last-event-id': lastEventId } } : {})

describe('real time while Redis is down', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.close()
    await cleanup()
  })

  it('pub/sub reaches local subscribers; a durable feed serves and resumes from memory, then from Redis', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl())
    const prefix = uniquePrefix('realtime')
    const streams = createStreams(h.store, { prefix, block: '300ms', maxLen: false })
    const pubsub = createPubSub(h.store, { prefix })
    const sse = createSse({ streams, pubsub, authorize: () => true })
    const messages: string[] = []
    await pubsub.subscribe('alerts', (m: string) => void messages.push(m))
    const before = await streams.append('feed', 'before')
    const client = reader((await sse.response(request(before), { durable: 'feed' })).body!)

    p.refuse(true)
    p.cut('rst')
    const during = [await streams.append('feed', 'down-1'), await streams.append('feed', 'down-2')]
    expect(h.store.state()).not.toBe('closed')
    await pubsub.publish('alerts', 'redis is down')
    await waitFor(() => messages.includes('redis is down'), 'the local message')
    await waitFor(() => client.parsed().events.length === 2, 'the entries appended during the outage')
    expect(client.parsed().events.map((e) => e.id)).toEqual(during)
    await client.cancel()
    during.push(await streams.append('feed', 'down-3'))
    const resumed = reader((await sse.response(request(during[1]), { durable: 'feed' })).body!)
    await waitFor(() => resumed.parsed().events.length === 1, 'the resumed feed')
    expect(resumed.parsed().events.map((e) => [e.id, e.data])).toEqual([[during[2], '"down-3"']])
    await resumed.cancel()

    p.refuse(false)
    await until('recovered', () => h!.events.recovered === 1, 8000)
    const inRedis = await h.direct.xrange(`${prefix}streams:feed`, '-', '+')
    expect(inRedis.map(([id]) => id)).toEqual([before, ...during]) // replayed with the same ids
    const afterwards = reader((await sse.response(request(during[0]), { durable: 'feed' })).body!)
    await waitFor(() => afterwards.parsed().events.length === 2, 'the feed resumed against Redis')
    expect(afterwards.parsed().events.map((e) => e.id)).toEqual(during.slice(1))
    await afterwards.cancel()
    sse.close()
    await streams.close()
    await pubsub.close()
  })
})
