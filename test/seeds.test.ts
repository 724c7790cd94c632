/**
 * The seeds' snippets, as users type them, against createKit() — on the embedded memory store
 * and on Redis (through the failover store createKit builds). They grow as primitives land.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../src/index.js'
import { redisUrl } from './support/env.js'
import { deletePrefix, testPrefix } from './support/stores.js'

describe.each([
  ['memory', () => ({ env: {} })],
  ['redis', () => ({ redis: redisUrl() })],
] as const)('seed snippets on %s', (_name, options) => {
  let kit: Kit | undefined
  afterEach(async () => {
    if (kit) await deletePrefix(kit.store, kit.prefix)
    await kit?.close()
  })

  it('analytics, trending, unique users, feature flags and rate limiting', async () => {
    kit = createKit({ ...options(), prefix: testPrefix('seeds') })
    const { analytics, sortedSets, hyperloglog, bitmaps, rateLimit } = kit
    const userId = 'user-42'
    const conversationId = 'conv-1'
    const message = 'hello there'

    await analytics.trackEvent('chat_message', userId, { conversationId, messageLength: message.length })
    await analytics.trackEvent('chat_message', 'user-7', { conversationId })
    const stats = await analytics.getStats('chat_message', { days: 7 })
    expect(stats.total).toBe(2)
    expect(stats.unique).toBe(2)
    expect(stats.daily).toHaveLength(7)

    await sortedSets.increment('trending:themes', 'dreams', 1)
    await sortedSets.increment('trending:themes', 'music', 3)
    await sortedSets.increment('trending:themes', 'dreams', 1)
    const topThemes = await sortedSets.getTop('trending:themes', 10)
    expect(topThemes).toEqual([
      { member: 'music', score: 3 },
      { member: 'dreams', score: 2 },
    ])

    await hyperloglog.add('analytics:unique:chat_message', userId)
    await hyperloglog.add('analytics:unique:chat_message', userId)
    const uniqueUsers = await hyperloglog.count('analytics:unique:chat_message')
    expect(uniqueUsers).toBe(1)

    const userIdOffset = 42
    await bitmaps.setBit('features:beta', userIdOffset, 1)
    const hasFeature = await bitmaps.getBit('features:beta', userIdOffset)
    expect(hasFeature).toBe(1)
    expect(await bitmaps.getBit('features:beta', 7)).toBe(0)

    const results = []
    for (let i = 0; i < 3; i++) results.push(await rateLimit.check(`chat:${userId}`, 2, 60))
    const limit = results[2]!
    expect(results.map((r) => r.allowed)).toEqual([true, true, false])
    expect(limit).toMatchObject({ allowed: false, remaining: 0, limit: 2 })
    expect(limit.retryAfter).toBeGreaterThan(0)
    expect(limit.resetAt).toBeGreaterThan(Date.now())

    const received: unknown[] = []
    const unsubscribe = await kit.pubsub.subscribe(`chat:${conversationId}`, (payload) =>
      received.push(payload),
    )
    await kit.pubsub.publish(`chat:${conversationId}`, { type: 'new_message', content: 'hi' })
    await kit.streams.addChatMessage(conversationId, {
      role: 'user',
      content: message,
      timestamp: new Date().toISOString(),
    })
    await kit.streams.addChatMessage(conversationId, {
      role: 'assistant',
      content: 'hi!',
      timestamp: new Date().toISOString(),
    })
    const messages = await kit.streams.getChatMessages(conversationId, 50)
    expect(messages.map((m) => (m.data as { content: string }).content)).toEqual([message, 'hi!'])
    await kit.streams.addActivity(userId, {
      type: 'memory_created',
      data: { memoryId: 'm1', title: 'first' },
      timestamp: new Date().toISOString(),
    })
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(received).toEqual([{ type: 'new_message', content: 'hi' }])
    await unsubscribe()

    expect(Object.keys(kit.stats().primitives).sort()).toEqual([
      'analytics',
      'bitmaps',
      'hyperloglog',
      'pubsub',
      'rateLimit',
      'sortedSets',
      'streams',
    ])
  })

  it('LLM response caching through kit.cache (getCachedLLMResponse / cacheLLMResponse)', async () => {
    kit = createKit({ ...options(), prefix: testPrefix('seeds') })
    const { getCachedLLMResponse, cacheLLMResponse } = kit.cache
    let modelCalls = 0
    const chat = async (messages: object[], options: object) => {
      // Automatic caching in chat API
      const cached = await getCachedLLMResponse(messages, options)
      if (cached) return cached // Instant response!
      modelCalls++
      const response = {
        content: 'Flying means freedom.',
        usage: { prompt_tokens: 30, completion_tokens: 5 },
      }
      // Cache new responses
      await cacheLLMResponse(messages, options, response)
      return response
    }
    const conversation = [
      { role: 'system', content: 'You are a dream interpreter.' },
      { role: 'user', content: 'I dreamt of flying', timestamp: new Date().toISOString() },
    ]
    const chatOptions = { model: 'gpt-4o', temperature: 0, max_tokens: 500 }
    const first = await chat(conversation, chatOptions)
    expect(await chat(conversation, { max_tokens: 500, model: 'gpt-4o', temperature: 0 })).toEqual(first)
    expect(modelCalls).toBe(1)
    expect(kit.stats().primitives).toMatchObject({ llm: { hits: 1, misses: 1, tokensSaved: 35 } })
  })

  it('tag-based and pattern-based cache clearing through kit.smartCache', async () => {
    kit = createKit({ ...options(), prefix: testPrefix('seeds') })
    const { smartCache } = kit
    const data = { memories: ['first dream', 'second dream'] }

    // Cache with tags
    await smartCache.setWithTags('user:123:memories', data, 3600, ['user:123', 'memories'])
    await smartCache.setWithTags('user:456:memories', data, 3600, ['user:456', 'memories'])
    expect(await smartCache.get('user:123:memories')).toEqual(data)

    // Invalidate all user caches
    await smartCache.invalidateTag('user:123')
    expect(await smartCache.get('user:123:memories')).toBeUndefined()
    expect(await smartCache.get('user:456:memories')).toEqual(data)

    // Pattern-based clearing (user logout)
    await kit.cache.set('session:456:a', 1)
    await kit.cache.set('session:456:b', 2)
    await kit.cache.set('session:4567:a', 3)
    expect(await smartCache.clearPattern('session:456:*')).toBe(2)
    expect(await kit.cache.get('session:4567:a')).toBe(3)
    expect(Object.keys(kit.stats().primitives).sort()).toEqual(['cache', 'smartCache'])
  })
})
