/**
 * Consumer groups on every store: each entry handled once and acknowledged once across
 * consumers, retries and the dead-letter stream after maxDeliveries, entries left pending by a
 * dead consumer taken over by the sweeper, a lost group (NOGROUP) created again, and stop().
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../src/stores/types.js'
import { createStreams, type Streams } from '../../src/streams/index.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await check()) return
    await sleep(10)
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe.each(storeMatrix())('consume on $name', ({ create }) => {
  let store: Store
  let streams: Streams
  const prefix = testPrefix('consume')
  beforeAll(() => {
    store = create()
    streams = createStreams(store, { prefix, block: '1s', maxLen: false })
  })
  afterAll(async () => {
    await streams.close()
    await deletePrefix(store, prefix)
    await store.close()
  })

  it('every entry is handled and acknowledged once, shared by two consumers', async () => {
    const handled: number[] = []
    const handler = async (item: { data: number }) => {
      await sleep(1)
      handled.push(item.data)
    }
    const a = streams.consume<number>('jobs', 'g', handler, { consumer: 'a', concurrency: 3 })
    const b = streams.consume<number>('jobs', 'g', handler, { consumer: 'b', concurrency: 2 })
    for (let i = 0; i < 60; i++) await streams.append('jobs', i)
    await until(() => handled.length >= 60, 'every entry')
    await Promise.all([a.stop(), b.stop()])
    expect([...handled].sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i))
    expect(a.stats().acked + b.stats().acked).toBe(60)
    expect(a.stats().acked).toBeGreaterThan(0)
    expect(b.stats().acked).toBeGreaterThan(0)
    expect((await store.xpending(`${prefix}streams:jobs`, 'g')).count).toBe(0)
  })

  it('a failing entry is retried, then dead-lettered after maxDeliveries', async () => {
    const attempts: number[] = []
    const consumer = streams.consume<string>(
      'flaky',
      'g',
      (item, ctx) => {
        if (item.data === 'poison') {
          attempts.push(ctx.deliveries)
          throw new Error('cannot handle poison')
        }
      },
      { retryDelay: '10ms', maxDeliveries: 3 },
    )
    const dead: unknown[] = []
    consumer.on('deadLetter', (info) => dead.push(info.item.data))
    await streams.append('flaky', 'fine')
    const poison = await streams.append('flaky', 'poison')
    await until(() => consumer.stats().deadLettered === 1, 'the dead letter')
    await consumer.stop()
    expect(attempts).toEqual([1, 2, 3])
    expect(dead).toEqual(['poison'])
    const [letter] = await store.xrange(`${prefix}streams:flaky:dead`, '-', '+')
    expect({ ...letter!.fields, data: JSON.parse(letter!.fields.data!) }).toMatchObject({
      data: 'poison',
      stream: 'flaky',
      id: poison,
      group: 'g',
      deliveries: '3',
      error: 'cannot handle poison',
    })
    // three re-deliveries: two ran the handler again, the third went to the dead letters
    expect(consumer.stats()).toMatchObject({ acked: 1, failed: 3, retried: 3, deadLettered: 1 })
    expect((await store.xpending(`${prefix}streams:flaky`, 'g')).count).toBe(0)
  })

  it('entries left pending by a dead consumer are taken over after claimIdle', async () => {
    const key = `${prefix}streams:orphans`
    for (let i = 0; i < 5; i++) await streams.append('orphans', i)
    await store.xgroupCreate(key, 'g', '0')
    await store.xreadgroup('g', 'ghost', [[key, '>']], { count: 3 }) // read, never acknowledged
    const handled: { n: number; deliveries: number }[] = []
    const consumer = streams.consume<number>(
      'orphans',
      'g',
      (item, ctx) => void handled.push({ n: item.data, deliveries: ctx.deliveries }),
      {
        claimIdle: '150ms',
      },
    )
    await until(() => handled.length === 5, 'the orphans')
    await consumer.stop()
    expect(handled.map((h) => h.n).sort()).toEqual([0, 1, 2, 3, 4])
    expect(
      handled
        .filter((h) => h.deliveries === 2)
        .map((h) => h.n)
        .sort(),
    ).toEqual([0, 1, 2])
    expect(consumer.stats().claimed).toBe(3)
    expect((await store.xpending(key, 'g')).count).toBe(0)
  })

  it('a group that disappears (NOGROUP) is created again; stop() waits for the handler running', async () => {
    const key = `${prefix}streams:lost`
    const handled: number[] = []
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let waiting = false
    const consumer = streams.consume<number>('lost', 'g', async (item) => {
      if (item.data === 3) {
        waiting = true
        await gate
      }
      handled.push(item.data)
    })
    await streams.append('lost', 1)
    await until(() => handled.length === 1, 'the first entry')
    await store.xgroupDestroy(key, 'g')
    await streams.append('lost', 2)
    await until(async () => (await store.xinfoGroups(key)).length === 1, 'the group to be created again')
    await streams.append('lost', 3)
    await until(() => waiting, 'the slow handler')
    const stopped = consumer.stop()
    release()
    await stopped
    expect(handled).toContain(3) // it finished before stop() resolved
    expect(handled).toContain(1)
    await streams.append('lost', 4)
    await sleep(50)
    expect(handled).not.toContain(4)
  })

  it('an AbortSignal stops the consumer', async () => {
    const controller = new AbortController()
    const handled: number[] = []
    const before = streams.stats().consumers
    const consumer = streams.consume<number>('signal', 'g', (item) => void handled.push(item.data), {
      signal: controller.signal,
    })
    await streams.append('signal', 1)
    await until(() => handled.length === 1, 'the entry')
    controller.abort()
    await consumer.done
    expect(streams.stats().consumers).toBe(before)
  })
})
