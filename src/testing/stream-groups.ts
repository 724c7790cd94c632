/**
 * Consumer groups: creating them (BUSYGROUP reads as false, MKSTREAM), delivering each entry to
 * one consumer, the pending entries list (delivery counts, history reads, XACK), XPENDING in both
 * forms, taking entries over with XCLAIM and XAUTOCLAIM (idle times, counts, deleted entries),
 * consumers, NOACK, and NOGROUP where a group is missing.
 */
import type { Suite, TestContext } from './harness.js'

const ids = (entries: { id: string }[] | undefined) => (entries ?? []).map((e) => e.id)

/** A stream `s` with entries 1-0 … n-0 and a group `g` reading from the start. */
async function grouped(t: TestContext, n: number): Promise<string> {
  const k = t.key('s')
  for (let i = 1; i <= n; i++) await t.store.xadd(k, { n: String(i) }, { id: `${i}-0` })
  t.expect(await t.store.xgroupCreate(k, 'g', '0')).toBe(true)
  return k
}

export function streamGroupTests(suite: Suite): void {
  suite.describe('stream consumer groups', () => {
    suite.test(
      'xgroupCreate: false when it exists, the key is needed unless mkstream, $ skips the past',
      async (t) => {
        const { store, expect } = t
        const k = t.key('s')
        await t.rejects(
          'xgroupCreate on a missing key',
          () => store.xgroupCreate(k, 'g', '$'),
          'COMMAND_ERROR',
        )
        expect(await store.xgroupCreate(k, 'g', '$', { mkstream: true })).toBe(true)
        expect(await store.xlen(k)).toBe(0)
        expect(await store.xgroupCreate(k, 'g', '0')).toBe(false)
        await store.xadd(k, { a: '1' }, { id: '1-0' })
        expect(await store.xgroupCreate(k, 'late', '$')).toBe(true)
        expect(await store.xreadgroup('late', 'c', [[k, '>']])).toBeNull()
        expect(await store.xinfoGroups(k)).toEqual([
          { name: 'g', consumers: 0, pending: 0, lastDeliveredId: '0-0' },
          { name: 'late', consumers: 0, pending: 0, lastDeliveredId: '1-0' }, // nothing read: no consumer
        ])
        expect(await store.xgroupDestroy(k, 'late')).toBe(true)
        expect(await store.xgroupDestroy(k, 'late')).toBe(false)
      },
    )

    suite.test('each entry goes to one consumer; pending until acknowledged, once', async (t) => {
      const { store, expect } = t
      const k = await grouped(t, 5)
      const a = await store.xreadgroup('g', 'alice', [[k, '>']], { count: 2 })
      const b = await store.xreadgroup('g', 'bob', [[k, '>']])
      expect(ids(a?.[0]?.entries)).toEqual(['1-0', '2-0'])
      expect(ids(b?.[0]?.entries)).toEqual(['3-0', '4-0', '5-0'])
      expect(a![0]!.entries[0]!.fields).toEqual({ n: '1' })
      expect(await store.xreadgroup('g', 'carol', [[k, '>']])).toBeNull()
      expect(await store.xpending(k, 'g')).toEqual({
        count: 5,
        minId: '1-0',
        maxId: '5-0',
        consumers: [
          { name: 'alice', pending: 2 },
          { name: 'bob', pending: 3 },
        ],
      })
      expect(await store.xack(k, 'g', ['1-0', '3-0', '9-0'])).toBe(2)
      expect(await store.xack(k, 'g', ['1-0'])).toBe(0)
      expect(await store.xack(k, 'missing-group', ['2-0'])).toBe(0)
      expect(await store.xack(t.key('missing'), 'g', ['2-0'])).toBe(0)
      const pending = await store.xpendingRange(k, 'g', '-', '+', 10)
      expect(pending.map((p) => [p.id, p.consumer, p.deliveries])).toEqual([
        ['2-0', 'alice', 1],
        ['4-0', 'bob', 1],
        ['5-0', 'bob', 1],
      ])
      for (const p of pending) expect(p.idleMs).toBeGreaterThanOrEqual(0)
    })

    suite.test(
      'history reads return own pending entries, count a delivery, null for deleted ones',
      async (t) => {
        const { store, expect } = t
        const k = await grouped(t, 3)
        await store.xreadgroup('g', 'c', [[k, '>']])
        await store.xdel(k, ['2-0'])
        const history = await store.xreadgroup('g', 'c', [[k, '0']])
        expect(history).toEqual([
          {
            key: k,
            entries: [
              { id: '1-0', fields: { n: '1' } },
              { id: '2-0', fields: null },
              { id: '3-0', fields: { n: '3' } },
            ],
          },
        ])
        expect(await store.xreadgroup('g', 'other', [[k, '0']])).toEqual([{ key: k, entries: [] }])
        const after = await store.xreadgroup('g', 'c', [[k, '1-0']], { count: 1 })
        expect(ids(after?.[0]?.entries)).toEqual(['2-0'])
        const counts = await store.xpendingRange(k, 'g', '-', '+', 10, { consumer: 'c' })
        expect(counts.map((p) => [p.id, p.deliveries])).toEqual([
          ['1-0', 2],
          ['2-0', 1], // a deleted entry is reported, not delivered
          ['3-0', 2],
        ])
      },
    )

    suite.test('xpendingRange: bounds, count, consumer and minimum idle filters', async (t) => {
      const { store, expect } = t
      const k = await grouped(t, 4)
      await store.xreadgroup('g', 'a', [[k, '>']], { count: 3 })
      await store.xreadgroup('g', 'b', [[k, '>']])
      const range = (
        start: string,
        end: string,
        count: number,
        o?: { consumer?: string; minIdleMs?: number },
      ) => store.xpendingRange(k, 'g', start, end, count, o).then(ids)
      expect(await range('(1-0', '+', 2)).toEqual(['2-0', '3-0'])
      expect(await range('-', '(4-0', 10, { consumer: 'b' })).toEqual([])
      expect(await range('-', '+', 10, { consumer: 'b' })).toEqual(['4-0'])
      expect(await range('-', '+', 10, { consumer: 'nobody' })).toEqual([])
      expect(await range('-', '+', 10, { minIdleMs: 3_600_000 })).toEqual([])
      await t.rejects('xpending of a missing group', () => store.xpending(k, 'nope'), 'NOGROUP')
      await t.rejects(
        'xpendingRange of a missing key',
        () => store.xpendingRange(t.key('x'), 'g', '-', '+', 1),
        'NOGROUP',
      )
    })

    suite.test(
      'xclaim: idle threshold, new owner, delivery count, retryCount, force, deleted entries',
      async (t) => {
        const { store, expect } = t
        const k = await grouped(t, 4)
        await store.xreadgroup('g', 'a', [[k, '>']], { count: 3 })
        expect(await store.xclaim(k, 'g', 'b', 3_600_000, ['1-0'])).toEqual([])
        const claimed = await store.xclaim(k, 'g', 'b', 0, ['1-0', '2-0', '4-0'])
        expect(claimed).toEqual([
          { id: '1-0', fields: { n: '1' } },
          { id: '2-0', fields: { n: '2' } },
        ])
        await store.xclaim(k, 'g', 'b', 0, ['2-0'], { retryCount: 7, idleMs: 60_000 })
        const forced = await store.xclaim(k, 'g', 'c', 0, ['4-0'], { force: true })
        expect(ids(forced)).toEqual(['4-0'])
        await store.xdel(k, ['3-0'])
        expect(await store.xclaim(k, 'g', 'b', 0, ['3-0'])).toEqual([])
        const pending = await store.xpendingRange(k, 'g', '-', '+', 10)
        expect(pending.map((p) => [p.id, p.consumer])).toEqual([
          ['1-0', 'b'],
          ['2-0', 'b'],
          ['4-0', 'c'],
        ])
        expect(pending[0]!.deliveries).toBe(2)
        expect(pending[1]!.deliveries).toBe(7)
        expect(pending[1]!.idleMs).toBeGreaterThanOrEqual(60_000)
        await t.rejects(
          'xclaim in a missing group',
          () => store.xclaim(k, 'nope', 'b', 0, ['1-0']),
          'NOGROUP',
        )
      },
    )

    suite.test('xautoclaim: scans from a cursor, COUNT at a time, reports deleted entries', async (t) => {
      const { store, expect } = t
      const k = await grouped(t, 5)
      await store.xreadgroup('g', 'dead', [[k, '>']])
      await store.xdel(k, ['2-0'])
      const first = await store.xautoclaim(k, 'g', 'live', 0, '0', { count: 2 })
      // a deleted entry counts against COUNT too
      expect({ ...first, entries: ids(first.entries) }).toEqual({
        next: '3-0',
        entries: ['1-0'],
        deleted: ['2-0'],
      })
      const rest = await store.xautoclaim(k, 'g', 'live', 0, first.next, { count: 10 })
      expect({ ...rest, entries: ids(rest.entries) }).toEqual({
        next: '0-0',
        entries: ['3-0', '4-0', '5-0'],
        deleted: [],
      })
      const idle = await store.xautoclaim(k, 'g', 'other', 3_600_000, '-')
      expect({ ...idle, entries: ids(idle.entries) }).toEqual({ next: '0-0', entries: [], deleted: [] })
      const summary = await store.xpending(k, 'g')
      expect(summary.consumers).toEqual([{ name: 'live', pending: 4 }])
      expect((await store.xpendingRange(k, 'g', '-', '+', 1))[0]!.deliveries).toBe(2)
    })

    suite.test('consumers: created, listed in name order, deleted with their pending entries', async (t) => {
      const { store, expect } = t
      const k = await grouped(t, 2)
      expect(await store.xgroupCreateConsumer(k, 'g', 'zed')).toBe(true)
      expect(await store.xgroupCreateConsumer(k, 'g', 'zed')).toBe(false)
      await store.xreadgroup('g', 'amy', [[k, '>']])
      const consumers = await store.xinfoConsumers(k, 'g')
      expect(consumers.map((c) => [c.name, c.pending])).toEqual([
        ['amy', 2],
        ['zed', 0],
      ])
      for (const c of consumers) expect(c.idleMs).toBeGreaterThanOrEqual(0)
      expect(await store.xgroupDelConsumer(k, 'g', 'amy')).toBe(2)
      expect(await store.xgroupDelConsumer(k, 'g', 'amy')).toBe(0)
      expect((await store.xpending(k, 'g')).count).toBe(0)
      await t.rejects('xinfoConsumers of a missing group', () => store.xinfoConsumers(k, 'nope'), 'NOGROUP')
      await t.rejects(
        'xgroupCreateConsumer in a missing group',
        () => store.xgroupCreateConsumer(k, 'nope', 'c'),
        'NOGROUP',
      )
    })

    suite.test('noack delivers without pending entries; NOGROUP for a missing key or group', async (t) => {
      const { store, expect } = t
      const k = await grouped(t, 2)
      const read = await store.xreadgroup('g', 'c', [[k, '>']], { noack: true })
      expect(ids(read?.[0]?.entries)).toEqual(['1-0', '2-0'])
      expect((await store.xpending(k, 'g')).count).toBe(0)
      expect((await store.xinfoGroups(k))[0]!.lastDeliveredId).toBe('2-0')
      const err = await t.rejects(
        'xreadgroup of a missing group',
        () => store.xreadgroup('nope', 'c', [[k, '>']]),
        'NOGROUP',
      )
      expect(err.message).toMatch(/NOGROUP/)
      await t.rejects(
        'xreadgroup of a missing key',
        () => store.xreadgroup('g', 'c', [[t.key('x'), '>']]),
        'NOGROUP',
      )
    })
  })
}
