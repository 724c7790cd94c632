/**
 * Connections: explicit credentials win over a URL's (ioredis alone lets the URL win), cluster
 * node URLs carry their credentials and TLS to every node connection, close() ends a client
 * for good even while it is being reset, and concurrent calls share corked writes in call order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { createRedisStore } from '../../src/stores/redis.js'
import { redisUrl } from '../support/env.js'
import { type RedisServer, startRedisServer } from '../support/redis.js'
import { redisCommand } from '../support/resp.js'

describe('RedisStore credentials', () => {
  let server: RedisServer
  beforeAll(async () => {
    server = await startRedisServer()
    await redisCommand(server.port, ['CONFIG', 'SET', 'requirepass', 's3cret'])
  })
  afterAll(() => server?.stop())

  it('a password option wins over the URL password', async () => {
    const store = createRedisStore({ url: `redis://:wrong@127.0.0.1:${server.port}`, password: 's3cret' })
    try {
      expect(await store.ping()).toBeGreaterThanOrEqual(0)
    } finally {
      await store.close()
    }
  })

  it('the URL password alone authenticates; a wrong one is refused', async () => {
    const good = createRedisStore(`redis://:s3cret@127.0.0.1:${server.port}`)
    const bad = createRedisStore({ url: `redis://:wrong@127.0.0.1:${server.port}`, connectTimeout: '500ms' })
    try {
      expect(await good.ping()).toBeGreaterThanOrEqual(0)
      await expect(bad.set('k', 'v')).rejects.toSatisfy((err: unknown) => isKitError(err))
    } finally {
      await good.close()
      await bad.close()
    }
  })
})

describe('Cluster node URLs', () => {
  const optionsOf = (store: ReturnType<typeof createRedisStore>) =>
    (store.client.options as { redisOptions: Record<string, unknown> }).redisOptions

  it('carry username, password and TLS to the node connections', async () => {
    const store = createRedisStore({
      cluster: ['rediss://app:p%40ss@127.0.0.1:7000', 'rediss://app:p%40ss@127.0.0.1:7001'],
    })
    try {
      expect(optionsOf(store)).toMatchObject({ username: 'app', password: 'p@ss', tls: {} })
    } finally {
      await store.close()
    }
  })

  it('explicit options win over the URLs; URLs that disagree are refused', async () => {
    const store = createRedisStore({ cluster: ['redis://:a@127.0.0.1:7000'], password: 'b' })
    try {
      expect(optionsOf(store).password).toBe('b')
    } finally {
      await store.close()
    }
    expect(() =>
      createRedisStore({ cluster: ['redis://:a@127.0.0.1:7000', 'redis://:b@127.0.0.1:7001'] }),
    ).toThrow(/disagree on credentials/)
  })
})

describe('RedisStore close', () => {
  it('ends the client for good even when closed while its connection is being reset', async () => {
    const store = createRedisStore(redisUrl())
    await store.get('close-test')
    store.client.disconnect(true) // what the store does after a command timeout
    await store.close()
    await new Promise((resolve) => setTimeout(resolve, 800)) // past ioredis's first reconnect delay
    expect(store.client.status).toBe('end')
  })
})

describe('RedisStore write batching', () => {
  it('concurrent calls share corked socket writes and each gets its own reply, in call order', async () => {
    const store = createRedisStore(redisUrl())
    const key = `batching:${process.pid}:${Date.now()}`
    try {
      await store.ping() // connected: the stream exists
      const stream = (store.client as unknown as { stream: { cork(): void } }).stream
      let corks = 0
      const cork = stream.cork.bind(stream)
      stream.cork = () => {
        corks++
        cork()
      }
      // 500 calls in one tick: a lone first write, then batches of at most 32
      const counts = await Promise.all(Array.from({ length: 500 }, () => store.incrby(key, 1)))
      expect(counts).toEqual(Array.from({ length: 500 }, (_, i) => i + 1))
      expect(corks).toBeGreaterThanOrEqual(Math.floor(499 / 32))
      const pairs = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          await store.set(`${key}:${i}`, `v${i}`)
          return store.get(`${key}:${i}`)
        }),
      )
      expect(pairs).toEqual(Array.from({ length: 200 }, (_, i) => `v${i}`))
      // every call counted in is counted out, replies and errors alike: once all have settled,
      // a lone call is written at once, not corked
      await store.set(`${key}:text`, 'not a number')
      const failed = await Promise.allSettled(
        Array.from({ length: 50 }, () => store.incrby(`${key}:text`, 1)),
      )
      expect(failed.every((r) => r.status === 'rejected')).toBe(true)
      const before = corks
      await store.get(key)
      expect(corks).toBe(before)
    } finally {
      await store.del([key, `${key}:text`, ...Array.from({ length: 200 }, (_, i) => `${key}:${i}`)])
      await store.close()
    }
  })
})
