/**
 * Blocking stream reads: XREAD and XREADGROUP with BLOCK wait for an entry and return it, end
 * with null after their block time, end early when their AbortSignal aborts, never hold up other
 * commands, serve several waiting readers at once, and fail (XREADGROUP) when their group goes.
 * No test measures time: a wait that did not end would fail the test by its timeout.
 */
import type { Suite } from './harness.js'
import { sleep } from './harness.js'

export function streamBlockingTests(suite: Suite): void {
  suite.describe('stream blocking reads', () => {
    suite.test('xread with block returns the entry added while it waits', async (t) => {
      const { store, expect } = t
      const k = t.key('s')
      const waiting = store.xread([[k, '$']], { block: 10_000 })
      await sleep(20)
      await store.xadd(k, { a: '1' }, { id: '7-0' })
      expect(await waiting).toEqual([{ key: k, entries: [{ id: '7-0', fields: { a: '1' } }] }])
    })

    suite.test('a blocked read holds up no other command', async (t) => {
      const { store, expect } = t
      const k = t.key('s')
      const controller = new AbortController()
      const waiting = store.xread([[k, '$']], { block: 60_000, signal: controller.signal })
      waiting.catch(() => {})
      await sleep(20)
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.set(t.key(`k${i}`), String(i)).then(() => store.get(t.key(`k${i}`))),
        ),
      )
      expect(results).toEqual(Array.from({ length: 20 }, (_, i) => String(i)))
      controller.abort()
      await waiting.catch(() => {})
    })

    suite.test('block ends with null when nothing arrives', async (t) => {
      const { store, expect } = t
      const k = t.key('s')
      await store.xadd(k, { a: '1' }, { id: '1-0' })
      expect(await store.xread([[k, '$']], { block: 50 })).toBeNull()
      await store.xgroupCreate(k, 'g', '$')
      expect(await store.xreadgroup('g', 'c', [[k, '>']], { block: 50 })).toBeNull()
    })

    suite.test('an AbortSignal ends a blocked read early with its reason', async (t) => {
      const { store, expect } = t
      const k = t.key('s')
      const controller = new AbortController()
      const waiting = store.xread([[k, '$']], { block: 60_000, signal: controller.signal })
      await sleep(20)
      controller.abort(new Error('client went away'))
      await waiting.then(
        () => expect('resolved').toBe('rejected with the reason'),
        (err: Error) => expect(err.message).toBe('client went away'),
      )
      const done = new AbortController()
      done.abort()
      await store.xread([[k, '$']], { block: 60_000, signal: done.signal }).then(
        () => expect('resolved').toBe('rejected at once'),
        (err: Error) => expect(err.name).toBe('AbortError'),
      )
      await store.xadd(k, { after: 'abort' }, { id: '2-0' })
      expect((await store.xread([[k, '0']]))?.[0]?.entries.length).toBe(1)
    })

    suite.test('many blocked readers on different streams are all served', async (t) => {
      const { store, expect } = t
      const keys = Array.from({ length: 6 }, (_, i) => t.key(`s${i}`))
      const waiting = keys.map((k) => store.xread([[k, '$']], { block: 10_000 }))
      await sleep(30)
      for (const [i, k] of keys.entries()) await store.xadd(k, { i: String(i) }, { id: `${i + 1}-0` })
      const got = await Promise.all(waiting)
      expect(got.map((r) => r?.[0]?.entries[0]?.fields.i)).toEqual(['0', '1', '2', '3', '4', '5'])
    })

    suite.test('blocked group readers: each new entry goes to exactly one of them', async (t) => {
      const { store, expect } = t
      const k = t.key('s')
      await store.xgroupCreate(k, 'g', '$', { mkstream: true })
      const readers = ['a', 'b'].map((c) => store.xreadgroup('g', c, [[k, '>']], { block: 5_000, count: 1 }))
      await sleep(30)
      await store.xadd(k, { n: '1' }, { id: '1-0' })
      await store.xadd(k, { n: '2' }, { id: '2-0' })
      const got = (await Promise.all(readers)).map((r) => r?.[0]?.entries[0]?.id)
      expect([...got].sort()).toEqual(['1-0', '2-0'])
      expect((await store.xpending(k, 'g')).count).toBe(2)
    })

    suite.test('a blocked group read fails with NOGROUP when its group is destroyed', async (t) => {
      const { store } = t
      const k = t.key('s')
      await store.xgroupCreate(k, 'g', '$', { mkstream: true })
      const waiting = store.xreadgroup('g', 'c', [[k, '>']], { block: 10_000 })
      waiting.catch(() => {}) // asserted below
      await sleep(30)
      await store.xgroupDestroy(k, 'g')
      await t.rejects('the blocked xreadgroup', () => waiting, 'NOGROUP')
    })

    suite.test('a blocking read cannot run in a batch', async (t) => {
      const { store } = t
      await t.rejects(
        'batch with xread block',
        () => store.batch([['xread', [[t.key('s'), '$']], { block: 10 }]]),
        'INVALID_ARGUMENT',
      )
    })
  })
}
