/**
 * analytics on every store, with an injected clock: the seeds' snippet, the keys it writes (one
 * hash tag per event), daily series with zeros, breakdowns, batches, active users, retention and
 * time zones. Bad input: input.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type Analytics, type AnalyticsOptions, createAnalytics } from '../../src/analytics/index.js'
import type { Store } from '../../src/stores/types.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

const DAY = 86_400_000
const T0 = Date.UTC(2025, 0, 10, 12) // Friday 2025-01-10, noon UTC

describe.each(storeMatrix())('analytics on $name', ({ create }) => {
  let store: Store
  let prefix: string
  let t: number
  let analytics: Analytics
  const prefixes: string[] = []
  const make = (options: AnalyticsOptions = {}) =>
    createAnalytics(store, { prefix, now: () => t, ...options })

  beforeAll(() => {
    store = create()
  })
  beforeEach(() => {
    t = T0
    prefix = testPrefix('analytics')
    prefixes.push(prefix)
    analytics = make({ breakdown: ['model'] })
  })
  afterAll(async () => {
    for (const p of prefixes) await deletePrefix(store, p)
    await store.close()
  })

  async function keys(): Promise<string[]> {
    const all: string[] = []
    for await (const batch of store.scan({ match: `${prefix}*` })) all.push(...batch)
    return all.map((key) => key.slice(prefix.length)).sort()
  }

  it("runs the seeds' snippet and writes one tagged key set per event", async () => {
    const userId = 'user-1'
    const message = 'hello'
    await analytics.trackEvent('chat_message', userId, {
      conversationId: 'c-1',
      messageLength: message.length,
      model: 'gpt-4o',
    })
    expect(await keys()).toEqual([
      'analytics:events',
      'analytics:{chat_message}:count:2025-01-10',
      'analytics:{chat_message}:props:2025-01-10',
      'analytics:{chat_message}:total',
      'analytics:{chat_message}:users',
      'analytics:{chat_message}:users:2025-01-10',
    ])
    const stats = await analytics.getStats('chat_message', { days: 2 })
    expect(stats).toEqual({
      event: 'chat_message',
      total: 1,
      unique: 1,
      daily: [
        { date: '2025-01-09', count: 0, unique: 0 },
        { date: '2025-01-10', count: 1, unique: 1 },
      ],
      approximate: { unique: true, standardError: 0.0081 },
    })
    expect(await analytics.getEvents()).toEqual(['chat_message'])
  })

  it('keeps a daily series: oldest first, days without events as zeros, 30 days by default', async () => {
    for (const [day, users] of [
      [0, ['a', 'b', 'a']],
      [2, ['a']],
      [3, ['c', 'd', 'e', 'c']],
    ] as const) {
      t = T0 + day * DAY
      for (const user of users) await analytics.trackEvent('login', user)
    }
    t = T0 + 4 * DAY
    await analytics.trackEvent('login', null) // anonymous: counted, not a user
    const stats = await analytics.getStats('login')
    expect(stats.total).toBe(9)
    expect(stats.unique).toBe(5)
    expect(stats.daily).toHaveLength(30)
    expect(stats.daily.at(-1)).toEqual({ date: '2025-01-14', count: 1, unique: 0 })
    expect(stats.daily.slice(-5)).toEqual([
      { date: '2025-01-10', count: 3, unique: 2 },
      { date: '2025-01-11', count: 0, unique: 0 },
      { date: '2025-01-12', count: 1, unique: 1 },
      { date: '2025-01-13', count: 4, unique: 3 },
      { date: '2025-01-14', count: 1, unique: 0 },
    ])
    expect(stats.daily[0]).toEqual({ date: '2024-12-16', count: 0, unique: 0 })
    expect(await analytics.activeUsers('login', { days: 1 })).toEqual({
      value: 0,
      approximate: true,
      standardError: 0.0081,
      from: '2025-01-14',
      to: '2025-01-14',
    })
    expect(await analytics.activeUsers('login', { days: 2 })).toMatchObject({ value: 3, from: '2025-01-13' })
    expect(await analytics.activeUsers('login', { days: 7 })).toMatchObject({ value: 5, from: '2025-01-08' })
    expect((await analytics.getStats('nothing', { days: 1 })).daily).toEqual([
      { date: '2025-01-14', count: 0, unique: 0 },
    ])
  })

  it('breaks events down by the properties named in the options', async () => {
    const models = ['gpt', 'claude', 'gpt', 'llama', 'gpt', 'claude']
    for (const [i, model] of models.entries()) {
      t = T0 + (i % 2) * DAY
      await analytics.trackEvent('chat', `u${i}`, { model, other: 'ignored' })
    }
    await analytics.trackEvent('chat', 'u9', { other: 'no model' })
    await analytics.trackEvent('chat', 'u9', { model: 42 })
    expect(await analytics.getBreakdown('chat', 'model')).toEqual([
      { value: 'gpt', count: 3 },
      { value: 'claude', count: 2 },
      { value: '42', count: 1 },
      { value: 'llama', count: 1 },
    ])
    expect(await analytics.getBreakdown('chat', 'model', { days: 1, limit: 2 })).toEqual([
      { value: 'claude', count: 2 },
      { value: '42', count: 1 },
    ])
    await expect(analytics.getBreakdown('chat', 'other')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: /breakdown option/,
    })
  })

  it('records a batch in one call per event name and day, with past events on their own day', async () => {
    await analytics.trackMany([
      { name: 'view', userId: 'a', props: { model: 'x' } },
      { name: 'view', userId: 'b' },
      { name: 'view', userId: 'a', at: T0 - DAY },
      { name: 'view', userId: 'c', at: new Date(T0 - DAY) },
      { name: 'click', userId: null },
    ])
    expect(analytics.stats()).toEqual({ tracked: 5, writes: 3, reads: 0, registryErrors: 0 })
    const view = await analytics.getStats('view', { days: 2 })
    expect(view).toMatchObject({
      total: 4,
      unique: 3,
      daily: [
        { date: '2025-01-09', count: 2, unique: 2 },
        { date: '2025-01-10', count: 2, unique: 2 },
      ],
    })
    expect((await analytics.getStats('click', { days: 1 })).daily).toEqual([
      { date: '2025-01-10', count: 1, unique: 0 },
    ])
    expect(await analytics.getEvents()).toEqual(['click', 'view'])
    // an event older than the retention counts in the totals only
    await analytics.trackMany([{ name: 'view', userId: 'old', at: T0 - 400 * DAY }])
    expect(await analytics.getStats('view', { days: 2 })).toMatchObject({ total: 5, unique: 4 })
    expect((await keys()).filter((key) => key.includes('2023') || key.includes('2024'))).toEqual([])
  })

  it('counts an event even when its name cannot be registered, and registers it with the next one', async () => {
    await store.set(`${prefix}analytics:events`, 'not a set')
    await analytics.trackEvent('reg', 'u1')
    expect(analytics.stats().registryErrors).toBe(1)
    expect((await analytics.getStats('reg', { days: 1 })).total).toBe(1)
    await store.del([`${prefix}analytics:events`])
    await analytics.trackEvent('reg', 'u2')
    expect(await analytics.getEvents()).toEqual(['reg'])
    expect((await analytics.getStats('reg', { days: 1 })).total).toBe(2)
  })

  it('expires daily keys after the retention, and refuses reads beyond it', async () => {
    const short = make({ retention: '7d' })
    await short.trackEvent('ret', 'u1')
    // 2025-01-10 + 7 days + 2 (the day itself, and time zones) = 2025-01-19 00:00 UTC
    const expected = (Date.UTC(2025, 0, 19) - T0) / 1000
    for (const kind of ['count', 'users']) {
      const ttl = await store.ttl(`${prefix}analytics:{ret}:${kind}:2025-01-10`)
      expect(Math.abs(ttl - expected)).toBeLessThanOrEqual(2)
    }
    expect(await store.ttl(`${prefix}analytics:{ret}:total`)).toBe(-1)
    expect((await short.getStats('ret')).daily).toHaveLength(7)
    await expect(short.getStats('ret', { days: 8 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: /retention/,
    })
  })

  it('counts days in the configured time zone', async () => {
    t = Date.UTC(2025, 0, 10, 3) // 03:00 UTC = 22:00 the day before in New York, 12:00 in Tokyo
    const newYork = make({ timeZone: 'America/New_York' })
    const tokyo = make({ timeZone: 'Asia/Tokyo', prefix: `${prefix}tokyo:` })
    await newYork.trackEvent('tz', 'u')
    await tokyo.trackEvent('tz', 'u')
    expect((await newYork.getStats('tz', { days: 1 })).daily).toEqual([
      { date: '2025-01-09', count: 1, unique: 1 },
    ])
    expect((await tokyo.getStats('tz', { days: 1 })).daily).toEqual([
      { date: '2025-01-10', count: 1, unique: 1 },
    ])
    t = Date.UTC(2025, 6, 1, 3, 30) // summer time: still the day before in New York
    await newYork.trackEvent('tz', 'u')
    expect((await newYork.getStats('tz', { days: 1 })).daily[0]!.date).toBe('2025-06-30')
  })
})
