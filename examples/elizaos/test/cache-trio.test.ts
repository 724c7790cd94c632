import { AgentRuntime } from '@elizaos/core'
import { createKit, type Kit } from 'redis-kit'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  adapterCache,
  INNER,
  type RedisKitService,
  redisKitPlugin,
  SERVICE_TYPE,
  withRedisKitCache,
} from '../src/index.js'
import { createMemoryAdapter, MemoryDatabase } from './support/memory-database.js'
import { keysMatching, rawStore } from './support/raw.js'
import { type RedisServer, startRedisServer } from './support/redis-server.js'
import { createFakeModel, eventually, newAgentId, startRuntime, type TestRuntime } from './support/runtime.js'

let redis: RedisServer
const started: TestRuntime[] = []
beforeAll(async () => {
  redis = await startRedisServer()
})
afterEach(async () => {
  await Promise.all(started.splice(0).map(({ runtime }) => runtime.stop()))
})
afterAll(async () => {
  await redis?.stop()
})

async function start(options: Partial<Parameters<typeof startRuntime>[0]> = {}): Promise<TestRuntime> {
  const running = await startRuntime({
    db: new MemoryDatabase(),
    model: createFakeModel(),
    redisUrl: redis.url,
    ...options,
  })
  started.push(running)
  return running
}

describe('the cache trio through the kit (getCache / setCache / deleteCache)', () => {
  it('stores structured values in Redis, not in the database adapter', async () => {
    const db = new MemoryDatabase()
    const { runtime } = await start({ db })
    const value = { user: 'u1', scores: [1, 2.5, null], nested: { ok: true }, at: new Date(0) }
    expect(await runtime.setCache('profile:u1', value)).toBe(true)
    expect(await runtime.getCache('profile:u1')).toEqual(value)
    expect(await runtime.getCache('absent')).toBeUndefined()
    expect(db.cache.size).toBe(0)
    expect(db.count('setCache') + db.count('getCache')).toBe(0)

    expect(await runtime.deleteCache('profile:u1')).toBe(true)
    expect(await runtime.getCache('profile:u1')).toBeUndefined()
  })

  it('gives every entry a real Redis TTL, and entries expire', async () => {
    const { runtime } = await start({ settings: { REDIS_KIT_CACHE_TTL: '1s' } })
    await runtime.setCache('short-lived', 'value')
    expect(await runtime.getCache('short-lived')).toBe('value')
    const raw = rawStore(redis.url)
    try {
      const [key] = await keysMatching(raw, `eliza:${runtime.agentId}:cache:v:*short-lived`)
      expect(key).toBeDefined()
      const pttl = await raw.pttl(key as string)
      expect(pttl).toBeGreaterThan(0)
      expect(pttl).toBeLessThanOrEqual(1000)
      await new Promise((r) => setTimeout(r, 1100))
      expect(await runtime.getCache('short-lived')).toBeUndefined()
      expect(await raw.pttl(key as string)).toBe(-2) // gone from Redis too
    } finally {
      await raw.close()
    }
  })

  it('is shared by two runtimes of one agent, and a delete in one is seen by the other', async () => {
    const agentId = newAgentId()
    const db = new MemoryDatabase()
    const a = await start({ db, agentId })
    const b = await start({ db, agentId })
    await a.runtime.setCache('shared', { v: 1 })
    expect(await b.runtime.getCache('shared')).toEqual({ v: 1 }) // now in B's L1 too
    await a.runtime.setCache('shared', { v: 2 })
    await eventually(async () => expect(await b.runtime.getCache('shared')).toEqual({ v: 2 }))
    await a.runtime.deleteCache('shared')
    await eventually(async () => expect(await b.runtime.getCache('shared')).toBeUndefined())
  })

  it('keeps agents apart: the same key in two agents is two entries', async () => {
    const a = await start()
    const b = await start()
    await a.runtime.setCache('mood', 'happy')
    await b.runtime.setCache('mood', 'curious')
    expect(await a.runtime.getCache('mood')).toBe('happy')
    expect(await b.runtime.getCache('mood')).toBe('curious')
  })

  it('answers false (and reports) for a value the codec refuses, instead of throwing', async () => {
    const { runtime } = await start()
    expect(await runtime.setCache('bad', { n: Number.NaN })).toBe(false)
    expect(await runtime.getCache('bad')).toBeUndefined()
  })
})

describe('withRedisKitCache on its own', () => {
  let kit: Kit
  afterEach(async () => {
    await kit?.close()
  })

  it('wraps any adapter: the trio goes to the kit with the TTL chosen per key, the rest to the adapter', async () => {
    kit = createKit({ redis: redis.url, prefix: `standalone:${newAgentId()}:` })
    const db = new MemoryDatabase()
    const inner = createMemoryAdapter(db)
    const errors: string[] = []
    const adapter = withRedisKitCache(inner, kit, {
      ttl: (key) => (key.startsWith('tmp:') ? 1 : undefined),
      onError: (_error, operation) => errors.push(operation),
    })
    expect(adapter[INNER]).toBe(inner)
    expect(withRedisKitCache(adapter, kit)).toBe(adapter) // wrapping twice is a no-op

    await adapter.setCache('tmp:x', 1)
    await adapter.setCache('keep', 2)
    const raw = rawStore(redis.url)
    try {
      const ttl = async (name: string) => {
        const [key] = await keysMatching(raw, `${kit.prefix}cache:v:*${name}`)
        return raw.pttl(key as string)
      }
      expect(await ttl('tmp:x')).toBeLessThanOrEqual(1000)
      expect(await ttl('keep')).toBeGreaterThan(3_000_000) // the default, 1 h
    } finally {
      await raw.close()
    }

    // Everything else is the wrapped adapter's.
    const roomId = newAgentId()
    const id = await adapter.createMemory(
      { entityId: roomId, roomId, content: { text: 'hello' } },
      'messages',
    )
    expect(db.memories.get(id)?.content.text).toBe('hello')
    expect(await adapter.countMemories(roomId, false, 'messages')).toBe(1)
    expect(await adapter.isReady()).toBe(true)
    expect(errors).toEqual([])
  })

  it('is shared with the service when the host wraps the adapter itself (and stays open after stop)', async () => {
    const agentId = newAgentId()
    kit = createKit({ redis: redis.url, prefix: `host:${agentId}:` })
    const adapter = withRedisKitCache(createMemoryAdapter(new MemoryDatabase()), kit)
    const runtime = new AgentRuntime({
      character: {
        id: agentId,
        name: 'Host',
        bio: ['wrapped by the host'],
        secrets: { REDIS_URL: redis.url },
      },
      plugins: [createFakeModel().plugin, redisKitPlugin],
      adapter,
      settings: {},
    })
    // The cache trio is on the kit from the first call, before the service starts.
    await adapter.setCache('early', 'set before initialize')
    await runtime.initialize({ skipMigrations: true })
    const service = (await runtime.getServiceLoadPromise(SERVICE_TYPE)) as RedisKitService
    expect(service.kit).toBe(kit)
    expect(runtime.adapter).toBe(adapter)
    expect(await runtime.getCache('early')).toBe('set before initialize')
    await runtime.stop()
    expect(await kit.cache.get('early')).toBeUndefined() // the trio lives in the 'db' namespace
    expect(await adapterCache(kit).get('early')).toBe('set before initialize') // the kit is still open
  })
})
