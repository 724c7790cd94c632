/**
 * A standalone RedisStore drops a silent socket itself: a command or a batch past its deadline
 * resets the connection, and so does an unanswered handshake once a call has waited
 * connectTimeout for it (but not a ready check waiting for Redis to load). So ioredis's
 * socketTimeout (a timer and a listener per command) is left out whenever the deadline comes
 * first. It is kept when it is the shorter bound, when commands have no deadline, or when it is
 * asked for by name in `ioredis`.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { createRedisStore, type RedisStore } from '../../src/stores/redis.js'
import { cleanup, key, proxy } from '../support/fault-proxy-clients.js'
import { waitUntil } from '../support/resp.js'

const socketTimeoutOf = (store: RedisStore) =>
  (store.client.options as { socketTimeout?: number }).socketTimeout

describe('RedisStore socketTimeout', () => {
  const stores: RedisStore[] = []
  const made = (options: Parameters<typeof createRedisStore>[0]) => {
    const store = createRedisStore(options)
    stores.push(store)
    return store
  }
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()))
  })

  it('is left out of ioredis when the command deadline is the shorter bound (the default)', () => {
    expect(socketTimeoutOf(made({ port: 1 }))).toBeUndefined()
    expect(socketTimeoutOf(made({ port: 1, commandTimeout: '5s', socketTimeout: '5s' }))).toBeUndefined()
  })

  it('is kept when it is shorter than the deadline, when there is no deadline, or when asked for', () => {
    expect(socketTimeoutOf(made({ port: 1, commandTimeout: '10s', socketTimeout: '1s' }))).toBe(1000)
    expect(socketTimeoutOf(made({ port: 1, commandTimeout: 0 }))).toBe(5000)
    expect(socketTimeoutOf(made({ port: 1, ioredis: { socketTimeout: 700 } }))).toBe(700)
  })

  it('0 means none (ioredis would drop the socket after every command)', () => {
    expect(socketTimeoutOf(made({ port: 1, commandTimeout: 0, socketTimeout: 0 }))).toBeUndefined()
  })
})

describe('RedisStore on a silent socket', () => {
  let store: RedisStore | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
    await cleanup()
  })

  it.each([
    ['a command', (s: RedisStore) => s.get(key('silent'))],
    ['a batch', (s: RedisStore) => s.batch([['get', key('silent')]])],
  ] as const)(
    '%s past its deadline reconnects, long before socketTimeout; the store works after',
    async (_, call) => {
      const p = await proxy()
      store = createRedisStore({ url: p.url, commandTimeout: '150ms', socketTimeout: '30s' })
      await store.set(key('silent'), 'v')
      p.blackhole() // the socket stays open and nothing comes back: a frozen server
      const error = await call(store).catch((err: unknown) => err)
      expect(isKitError(error, 'TIMEOUT')).toBe(true)
      await waitUntil('a new connection', async () => p.stats().accepted >= 2, { timeoutMs: 3000 })
      p.pass()
      await waitUntil(
        'the store answers',
        async () => (await store!.get(key('silent')).catch(() => null)) === 'v',
      )
      await store.del([key('silent')])
    },
  )

  it('a connection waiting for Redis to load its data is not taken for a silent one', async () => {
    const p = await proxy()
    const loading = 'loading:1\r\nloading_eta_seconds:1\r\n'
    p.reply((command) => (command[0] === 'INFO' ? `$${loading.length}\r\n${loading}\r\n` : undefined))
    store = createRedisStore({ url: p.url, connectTimeout: '300ms', commandTimeout: '150ms' })
    const error = await store.get(key('loading')).catch((err: unknown) => err)
    expect(isKitError(error, 'UNAVAILABLE')).toBe(true)
    expect(store.client.status).toBe('connect') // answered, waiting to ask again
    expect(p.stats().accepted).toBe(1)
    p.reply(undefined) // loaded: the next ready check passes
    await waitUntil(
      'the store answers',
      async () => (await store!.get(key('loading')).catch(() => 'x')) === null,
    )
    expect(p.stats().accepted).toBe(1)
  })
})
