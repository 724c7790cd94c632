/**
 * The streams primitive on every store: chat history (trimmed to the last 1000, read oldest
 * first), activity feeds paged newest first, append/range with schemas, and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { isKitError } from '../../src/errors.js'
import { compareIds } from '../../src/internal/entry-ids.js'
import type { Store } from '../../src/stores/types.js'
import { createStreams } from '../../src/streams/index.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

const Message = z.object({ role: z.enum(['user', 'assistant']), content: z.string() })

describe.each(storeMatrix())('streams on $name', ({ create }) => {
  let store: Store
  const prefix = testPrefix('streams')
  beforeAll(() => {
    store = create()
  })
  afterAll(async () => {
    await deletePrefix(store, prefix)
    await store.close()
  })

  it("chat: the seeds' calls; the last n messages come oldest first; the stream keeps the last 1000", async () => {
    const streams = createStreams(store, { prefix, schemas: { chat: Message } })
    const exact = createStreams(store, { prefix: `${prefix}exact:`, trim: 'exact' })
    for (let i = 0; i < 1100; i++) {
      const message = { role: i % 2 ? 'assistant' : 'user', content: `m${i}` }
      await streams.addChatMessage('c1', message)
      await exact.addChatMessage('c1', message)
    }
    const last = await streams.getChatMessages<{ content: string }>('c1', 50)
    expect(last.map((m) => m.data.content)).toEqual(Array.from({ length: 50 }, (_, i) => `m${1050 + i}`))
    expect(last.every((m, i) => i === 0 || compareIds(m.id, last[i - 1]!.id) > 0)).toBe(true)
    const length = await streams.length('chat:c1')
    expect(length).toBeGreaterThanOrEqual(1000)
    expect(length).toBeLessThan(1100) // approximate trimming keeps whole nodes of 100
    expect(await exact.length('chat:c1')).toBe(1000)
    expect((await exact.getChatMessages<{ content: string }>('c1', 1000))[0]!.data.content).toBe('m100')
    expect((await streams.getChatMessages('c1')).length).toBe(50)
    expect(await streams.getChatMessages('nobody', 10)).toEqual([])
  })

  it('activity: newest first, paged with before, nothing skipped or repeated', async () => {
    const streams = createStreams(store, { prefix })
    for (let i = 0; i < 25; i++) await streams.addActivity('u1', { type: 'memory_created', n: i })
    const seen: number[] = []
    let before: string | undefined
    for (let page = 0; page < 10; page++) {
      const items = await streams.getActivity<{ n: number }>('u1', {
        limit: 10,
        ...(before ? { before } : {}),
      })
      if (items.length === 0) break
      seen.push(...items.map((i) => i.data.n))
      before = items.at(-1)!.id
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i))
  })

  it('append and range: after/before are exclusive, limit, newest first; Dates and nested bytes survive', async () => {
    const streams = createStreams(store, { prefix, maxLen: false })
    const ids: string[] = []
    for (let i = 0; i < 6; i++)
      ids.push(await streams.append('log', { i, at: new Date(i), raw: Buffer.from([i]) }))
    const middle = await streams.range<{ i: number }>('log', { after: ids[1], before: ids[4] })
    expect(middle.map((x) => x.data.i)).toEqual([2, 3])
    expect(
      (await streams.range<{ i: number }>('log', { limit: 2, newestFirst: true })).map((x) => x.data.i),
    ).toEqual([5, 4])
    const [first] = await streams.range<{ at: Date; raw: Buffer }>('log', { limit: 1 })
    expect(first!.data.at).toEqual(new Date(0))
    expect(Buffer.from(first!.data.raw)).toEqual(Buffer.from([0]))
    expect(first!.time).toBe(Number(ids[0]!.split('-')[0]))
    expect(await streams.length('log')).toBe(6)
  })

  it('schemas are checked on append; bad input fails with typed errors, writing nothing', async () => {
    const streams = createStreams(store, { prefix, schemas: { chat: Message } })
    const fails = async (call: () => Promise<unknown>, code = 'INVALID_ARGUMENT') => {
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(isKitError(err, code as never), String(err)).toBe(true)
    }
    await fails(() => streams.addChatMessage('c2', { role: 'robot', content: 'x' }))
    await fails(() => streams.append('chat:c2', { content: 1 }))
    await fails(() => streams.append('', { a: 1 }))
    await fails(() => streams.append('x', undefined))
    await fails(() => streams.append('x', Buffer.from('raw')))
    await fails(() => streams.append('x', { n: Number.NaN }))
    await fails(() => streams.append('x', { a: 1 }, { maxLen: 0 }))
    await fails(() => streams.range('x', { limit: 0 }))
    await fails(() => streams.range('x', { after: 'yesterday' }))
    await fails(() => streams.getChatMessages('c2', 20_000))
    expect(() => streams.tail('x', { from: 'later' })).toThrow(/from must be/)
    expect(() => createStreams(store, { maxLen: -1 })).toThrow(/INVALID_OPTIONS|maxLen/)
    expect(() => createStreams(store, { schemas: { chat: 'not a schema' as never } })).toThrow(/schema/)
    expect(await streams.length('chat:c2')).toBe(0)
    expect(await streams.length('x')).toBe(0)
  })
})
