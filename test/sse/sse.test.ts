/**
 * SSE endpoints (Web Response and Node adapter) on the memory store: authorize is required and
 * enforced, the anti-buffering headers and `retry:` go first, live events are framed with ids,
 * a reconnecting or overflowing client gets a `resync`, keep-alive comments follow the clock
 * (fake timers), and a client that goes away leaves no subscription, tail or timer behind.
 */
import { createServer, type Server } from 'node:http'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isKitError, RedisKitError } from '../../src/errors.js'
import { createPubSub, type PubSub } from '../../src/pubsub/index.js'
import { createSse, type Sse } from '../../src/sse/index.js'
import { createMemoryStore, type MemoryStore } from '../../src/stores/memory/index.js'
import { createStreams, type Streams } from '../../src/streams/index.js'
import { reader, sleep, until } from './helpers.js'

const authorize = (_request: Request, channel: string) => channel.startsWith('room:')
const get = (path: string, init: RequestInit = {}) => new Request(`http://test${path}`, init)

describe('SSE', () => {
  let store: MemoryStore
  let pubsub: PubSub
  let streams: Streams
  let sse: Sse
  beforeEach(() => {
    store = createMemoryStore()
    pubsub = createPubSub(store)
    streams = createStreams(store)
    sse = createSse({ pubsub, streams, authorize })
  })
  afterEach(async () => {
    vi.useRealTimers()
    sse.close()
    await streams.close()
    await store.close()
  })

  it('authorize is required; a refused request gets 403 and subscribes to nothing', async () => {
    expect(() => createSse({ pubsub } as never)).toThrow(/authorize: is required/)
    const notAFunction = (() => {
      try {
        createSse({ pubsub, authorize: true } as never)
      } catch (err) {
        return err
      }
    })()
    expect(isKitError(notAFunction, 'INVALID_OPTIONS')).toBe(true)
    const asked: unknown[] = []
    const truthy = createSse({
      pubsub,
      authorize: (request, channel, mode) => {
        asked.push([new URL(request.url).pathname, channel, mode])
        return 'yes' as never // only `true` opens an endpoint
      },
    })
    expect((await truthy.response(get('/feed'), { live: 'room:1' })).status).toBe(403)
    expect(asked).toEqual([['/feed', 'room:1', 'live']])
    const refused = await sse.response(get('/'), { live: 'admin:secrets' })
    expect(refused.status).toBe(403)
    const never = createSse({ pubsub, authorize: async () => false })
    expect((await never.response(get('/'), { live: 'room:1' })).status).toBe(403)
    expect(pubsub.stats().subscriptions).toBe(0)
    expect(sse.stats().refused).toBe(1)
    expect(truthy.stats().refused).toBe(1)
  })

  it('live: headers that stop buffering, retry first, then events with ids', async () => {
    const response = await sse.response(get('/'), { live: 'room:1' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform')
    expect(response.headers.get('x-accel-buffering')).toBe('no')
    const client = reader(response.body!)
    await pubsub.publish('room:1', { text: 'two\nlines' })
    await pubsub.publish('room:1', 'second')
    await until(() => client.parsed().events.length === 2, 'two events')
    expect(client.text().startsWith('retry: 2000\n\n')).toBe(true)
    expect(client.parsed().events).toEqual([
      { event: 'message', id: 'live-1', data: '{"text":"two\\nlines"}' },
      { event: 'message', id: 'live-2', data: '"second"' },
    ])
    await client.cancel()
  })

  it('a live client that reconnects (Last-Event-ID) is told to resync', async () => {
    const response = await sse.response(get('/', { headers: { 'last-event-id': 'live-7' } }), {
      live: 'room:1',
      event: 'chat',
    })
    const client = reader(response.body!)
    await pubsub.publish('room:1', 1)
    await until(() => client.parsed().events.length === 2, 'two events')
    expect(client.parsed().events.map((e) => [e.event, e.data])).toEqual([
      ['resync', '{"reason":"reconnect"}'],
      ['chat', '1'],
    ])
    await client.cancel()
  })

  it('a client that does not read: the queue stays bounded, dropped events become a resync', async () => {
    const small = createSse({ pubsub, authorize, maxQueueBytes: 4096 })
    const response = await small.response(get('/'), { live: 'room:slow' })
    for (let i = 0; i < 400; i++) await pubsub.publish('room:slow', { i, pad: 'x'.repeat(200) })
    await sleep(20)
    expect(small.stats().dropped).toBeGreaterThan(0)
    expect(small.stats().resyncs).toBeGreaterThan(0)
    const client = reader(response.body!)
    await until(() => client.parsed().events.some((e) => e.event === 'resync'), 'the resync event')
    const resync = client.parsed().events.find((e) => e.event === 'resync')!
    expect(JSON.parse(resync.data)).toMatchObject({ reason: 'overflow' })
    await client.cancel()
    small.close()
  })

  it('keep-alive comments after 15 s of silence; none while events flow', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] })
    const response = await sse.response(get('/'), { live: 'room:ka' })
    const client = reader(response.body!)
    await vi.advanceTimersByTimeAsync(14_000)
    await sleep(5)
    expect(client.parsed().comments).toEqual([])
    await vi.advanceTimersByTimeAsync(1_000)
    await until(() => client.parsed().comments.length === 1, 'a keep-alive')
    expect(client.parsed().comments).toEqual(['keep-alive'])
    await vi.advanceTimersByTimeAsync(10_000)
    await pubsub.publish('room:ka', 'news') // traffic at 25 s: the 30 s keep-alive is skipped
    await until(() => client.parsed().events.length === 1, 'the event')
    await vi.advanceTimersByTimeAsync(5_000)
    await sleep(5)
    expect(client.parsed().comments).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(15_000)
    await until(() => client.parsed().comments.length === 2, 'the next keep-alive')
    expect(vi.getTimerCount()).toBe(1)
    await client.cancel()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a client that goes away leaves no subscription, tail or timer', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const aborts = [new AbortController(), new AbortController()]
    const live = await sse.response(get('/', { signal: aborts[0]!.signal }), { live: 'room:1' })
    const durable = await sse.response(get('/', { signal: aborts[1]!.signal }), { durable: 'room:2' })
    const clients = [reader(live.body!), reader(durable.body!)]
    await until(() => streams.stats().tails === 1, 'the tail')
    expect(pubsub.stats().subscribers).toBe(1)
    expect(sse.stats().open).toBe(2)
    expect(vi.getTimerCount()).toBe(2)
    for (const a of aborts) a.abort()
    await Promise.all(clients.map((c) => c.done))
    await until(() => streams.stats().tails === 0 && pubsub.stats().subscribers === 0, 'the clean-up')
    expect(sse.stats().open).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a source that cannot open (Redis down) answers 503 and leaves nothing behind', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const down = { subscribe: () => Promise.reject(new RedisKitError('UNAVAILABLE', 'Redis is down')) }
    const errors: unknown[] = []
    const failing = createSse({ pubsub: down as never, authorize })
    failing.on('error', (err) => errors.push(err))
    const response = await failing.response(get('/'), { live: 'room:1' })
    expect(response.status).toBe(503)
    expect(failing.stats().open).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    expect(errors).toHaveLength(1)
  })

  it('bad sources fail with typed errors', async () => {
    await expect(sse.response(get('/'), {} as never)).rejects.toThrow(/source must be/)
    await expect(sse.response(get('/'), { live: 'room:1', event: 'a\nb' })).rejects.toThrow(/CR or LF/)
    await expect(sse.response(get('/'), { durable: 'room:1', from: 'later' as never })).rejects.toThrow(
      /from/,
    )
    const liveOnly = createSse({ pubsub, authorize })
    await expect(liveOnly.response(get('/'), { durable: 'room:1' })).rejects.toThrow(
      /needs createSse\(\{ streams \}\)/,
    )
  })
})

describe('SSE on a Node http server', () => {
  let server: Server
  let store: MemoryStore
  beforeEach(() => {
    store = createMemoryStore()
  })
  afterEach(async () => {
    server?.close()
    await store.close()
  })

  it('serves the stream, refuses with 403, and cleans up when the client disconnects', async () => {
    const pubsub = createPubSub(store)
    const sse = createSse({ pubsub, authorize })
    server = createServer((req, res) => {
      const channel = new URL(req.url!, 'http://x').searchParams.get('channel')!
      void sse.handle(req, res, { live: channel })
    }).listen(0)
    await new Promise((r) => server.once('listening', r))
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    expect((await fetch(`${base}/?channel=admin`)).status).toBe(403)
    const controller = new AbortController()
    const response = await fetch(`${base}/?channel=room:n`, { signal: controller.signal })
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(response.headers.get('x-accel-buffering')).toBe('no')
    const client = reader(response.body!)
    await until(() => pubsub.stats().subscribers === 1, 'the subscription')
    await pubsub.publish('room:n', { hello: 'node' })
    await until(() => client.parsed().events.length === 1, 'the event')
    expect(client.parsed().events[0]!.data).toBe('{"hello":"node"}')
    controller.abort()
    await until(() => pubsub.stats().subscribers === 0 && sse.stats().open === 0, 'the clean-up')
  })
})
