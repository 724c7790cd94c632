/**
 * What only the memory store can show about its streams: ids follow its clock and stay
 * monotonic when the clock steps back; a stream's bytes count towards maxBytes (so streams are
 * evicted like any key, counted and reported); closing the store ends blocked reads.
 */
import { describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { createMemoryStore } from '../../src/stores/memory/index.js'

describe('memory store streams', () => {
  it('ids come from the clock and stay monotonic when it steps back', async () => {
    let now = 1_700_000_000_000
    const store = createMemoryStore({ now: () => now })
    expect(await store.xadd('s', { a: '1' })).toBe('1700000000000-0')
    expect(await store.xadd('s', { a: '2' })).toBe('1700000000000-1')
    now -= 5_000 // NTP steps the clock back
    expect(await store.xadd('s', { a: '3' })).toBe('1700000000000-2')
    now += 10_000
    expect(await store.xadd('s', { a: '4' })).toBe('1700000005000-0')
    expect(await store.xadd('s', { a: '5' }, { id: '1700000005000-*' })).toBe('1700000005000-1')
    await store.close()
  })

  it("a stream's bytes count towards maxBytes: trimming frees them, eviction takes whole streams", async () => {
    const store = createMemoryStore({ maxBytes: 64 * 1024 })
    const evicted: string[] = []
    store.on('evict', (key) => evicted.push(key))
    const empty = store.stats().bytes
    for (let i = 0; i < 200; i++) await store.xadd('chat', { text: 'x'.repeat(50) })
    const full = store.stats().bytes
    expect(full - empty).toBeGreaterThan(200 * 50)
    await store.xtrim('chat', { maxlen: 10 })
    expect(store.stats().bytes).toBeLessThan(full)
    await store.xgroupCreate('chat', 'g', '0')
    await store.xreadgroup('g', 'c', [['chat', '>']])
    for (let i = 0; i < 2000; i++) await store.xadd(`other:${i % 4}`, { text: 'y'.repeat(50) })
    expect(evicted).toContain('chat')
    expect(store.stats().bytes).toBeLessThanOrEqual(64 * 1024)
    await store.close()
  })

  it('closing the store ends blocked reads with CLOSED', async () => {
    const store = createMemoryStore()
    const waiting = store.xread([['s', '$']], { block: 60_000 }).catch((err: unknown) => err)
    await store.close()
    expect(isKitError(await waiting, 'CLOSED')).toBe(true)
  })
})
