/**
 * tail(): following a stream on every store — from now, from the start, or after an id; many
 * followers of one stream share one read loop; a follower that falls far behind catches up
 * without losing an entry; aborting ends the iteration and the loop with the last follower.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../src/stores/types.js'
import { createStreams, type StreamItem, type Streams } from '../../src/streams/index.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Collects `n` items of an iterator (then stops it). */
async function take<T>(
  iterator: AsyncIterable<StreamItem<T>>,
  n: number,
  onEach?: (i: number) => Promise<void>,
) {
  const out: T[] = []
  for await (const item of iterator) {
    out.push(item.data)
    await onEach?.(out.length)
    if (out.length >= n) break
  }
  return out
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await sleep(10)
  if (!check()) throw new Error(`timed out waiting for ${what}`)
}

describe.each(storeMatrix())('tail on $name', ({ create }) => {
  let store: Store
  let streams: Streams
  const prefix = testPrefix('tail')
  beforeAll(() => {
    store = create()
    streams = createStreams(store, { prefix, block: '2s', pageSize: 10, maxLen: false })
  })
  afterAll(async () => {
    await streams.close()
    await deletePrefix(store, prefix)
    await store.close()
  })

  it('from now: only what is appended after; from start; after an id', async () => {
    await streams.append('a', 'old')
    const now = take(streams.tail<string>('a'), 3)
    await until(() => streams.stats().tails === 1, 'the read loop')
    await sleep(20)
    const ids: string[] = []
    for (const v of ['x', 'y', 'z']) ids.push(await streams.append('a', v))
    expect(await now).toEqual(['x', 'y', 'z'])
    expect(await take(streams.tail<string>('a', { from: 'start' }), 4)).toEqual(['old', 'x', 'y', 'z'])
    expect(await take(streams.tail<string>('a', { from: ids[0] }), 2)).toEqual(['y', 'z'])
    await until(() => streams.stats().tails === 0, 'the loop to end with its last follower')
  })

  it('many followers share one read loop and all get every entry, in order', async () => {
    const followers = Array.from({ length: 20 }, () => take(streams.tail<number>('b'), 5))
    await until(() => streams.stats().tails === 1, 'the read loop')
    await sleep(20)
    for (let i = 0; i < 5; i++) await streams.append('b', i)
    for (const got of await Promise.all(followers)) expect(got).toEqual([0, 1, 2, 3, 4])
  })

  it('a follower far behind catches up page by page, losing nothing', async () => {
    const slow = take(streams.tail<number>('c'), 300, async (n) => {
      if (n === 1) await sleep(300) // meanwhile 299 more arrive: far more than the loop's buffer (100)
    })
    const fast = take(streams.tail<number>('c'), 300)
    await until(() => streams.stats().tails === 1, 'the read loop')
    await sleep(20)
    for (let i = 0; i < 300; i++) await streams.append('c', i)
    const expected = Array.from({ length: 300 }, (_, i) => i)
    expect(await fast).toEqual(expected)
    expect(await slow).toEqual(expected)
  })

  it('an AbortSignal ends the iteration; the loop stops with the last follower', async () => {
    const controller = new AbortController()
    const got: string[] = []
    const running = (async () => {
      for await (const item of streams.tail<string>('d', { signal: controller.signal })) got.push(item.data)
    })()
    await until(() => streams.stats().tails === 1, 'the read loop')
    await sleep(20)
    await streams.append('d', 'one')
    await until(() => got.length === 1, 'the first entry')
    controller.abort()
    await running
    await until(() => streams.stats().tails === 0, 'the loop to stop')
    await streams.append('d', 'two')
    expect(got).toEqual(['one'])
  })
})
