/**
 * kit.llm through createKit, on memory and on Redis: built lazily over kit.cache and kit.store,
 * its options validated with the kit's, the seeds' delegates on kit.cache, stats under
 * kit.stats(), analytics events in kit.analytics when asked, the semantic layer on kit.store.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { createKit, type Kit } from '../../src/index.js'
import { redisUrl } from '../support/env.js'
import { deletePrefix, testPrefix } from '../support/stores.js'
import { completion, toyEmbed, until, user } from './helpers.js'

describe.each([
  ['memory', () => ({ redis: false as const })],
  ['redis', () => ({ redis: redisUrl() })],
] as const)('kit.llm on %s', (_name, options) => {
  let kit: Kit | undefined
  afterEach(async () => {
    if (kit) await deletePrefix(kit.store, kit.prefix)
    await kit?.close()
    kit = undefined
  })

  it('is built on first use, over kit.cache, with stats in kit.stats()', async () => {
    kit = createKit({ ...options(), prefix: testPrefix('kit-llm') })
    expect(Object.keys(kit.stats().primitives)).toEqual([])
    await kit.cache.cacheLLMResponse([user('q')], { model: 'm' }, completion('a'))
    expect(await kit.cache.getCachedLLMResponse([user('q')], { model: 'm' })).toEqual(completion('a'))
    expect(await kit.cache.getCachedLLMResponse([user('other')], { model: 'm' })).toBeNull()
    expect(await kit.llm.get([user('q')], { model: 'm' })).toEqual(completion('a'))
    expect(kit.stats().primitives).toMatchObject({ llm: { hits: 2, misses: 1 } })
    // the answers live in the cache's llm namespace
    const llmView = kit.cache.namespace('llm')
    const key = kit.llm.keyOf([user('q')], { model: 'm' })
    expect(key.startsWith(llmView.keyPrefix)).toBe(true)
    expect(await llmView.get(key.slice(llmView.keyPrefix.length))).toMatchObject({ v: completion('a') })
  })

  it('tracks hits and misses in kit.analytics when asked', async () => {
    kit = createKit({ ...options(), prefix: testPrefix('kit-llm'), llm: { analytics: true } })
    const chat = kit.llm.wrap(async (_req: object) => completion('a'))
    await chat({ messages: [user('q')], model: 'gpt-4o' })
    await chat({ messages: [user('q')], model: 'gpt-4o' })
    await until(
      'the events are written',
      async () => (await kit!.analytics.getStats('llm_cache_hit', { days: 1 })).total === 1,
    )
    expect((await kit.analytics.getStats('llm_cache_miss', { days: 1 })).total).toBe(1)
  })

  it('runs the semantic layer on kit.store, and validates its options with the kit', async () => {
    kit = createKit({
      ...options(),
      prefix: testPrefix('kit-llm'),
      llm: { semantic: { embed: toyEmbed, threshold: 0.8 } },
    })
    await kit.llm.set([user('How do I reset my password please?')], { model: 'm' }, 'click forgot')
    expect(await kit.llm.get([user('how do I reset my password')], { model: 'm' })).toBe('click forgot')
    const bad = createKit({ ...options(), prefix: testPrefix('kit-llm'), llm: { ttl: 0 } })
    let error: unknown
    try {
      bad.llm
    } catch (err) {
      error = err
    }
    expect(isKitError(error, 'INVALID_OPTIONS') && /createLLMCache.*ttl/.test(error.message)).toBe(true)
    await bad.close()
  })
})
