/**
 * Streams: ids (generated, `ms-*`, explicit; always increasing), ranges with exclusive and
 * incomplete bounds, COUNT, NOMKSTREAM, empty streams that keep their last id, XDEL, exact and
 * approximate trimming (`~` removes whole nodes of 100 entries, as Redis does), XREAD and XINFO.
 */
import type { Store } from '../stores/types.js'
import type { Suite } from './harness.js'

const ids = (entries: { id: string }[]) => entries.map((e) => e.id)

async function fill(store: Store, key: string, n: number): Promise<void> {
  const batch = Array.from(
    { length: n },
    (_, i) => ['xadd', key, { n: String(i) }, { id: `${i + 1}-0` }] as const,
  )
  for (let i = 0; i < batch.length; i += 100) await store.batch(batch.slice(i, i + 100))
}

export function streamTests(suite: Suite): void {
  suite.describe('streams', () => {
    suite.test('xadd generates increasing ids; explicit and ms-* ids; too small ones fail', async (t) => {
      const { store, expect } = t
      const k = t.key('s')
      const first = await store.xadd(k, { a: '1' })
      const second = await store.xadd(k, { a: '2' })
      expect(first).toMatch(/^\d+-\d+$/)
      const [m1, s1] = first!.split('-').map(BigInt)
      const [m2, s2] = second!.split('-').map(BigInt)
      expect(m2! > m1! || (m2 === m1 && s2! > s1!)).toBe(true)
      const future = `${m2! + 10_000_000n}`
      expect(await store.xadd(k, { a: '3' }, { id: `${future}-5` })).toBe(`${future}-5`)
      expect(await store.xadd(k, { a: '4' })).toBe(`${future}-6`) // the clock is behind: seq + 1
      expect(await store.xadd(k, { a: '5' }, { id: `${future}-*` })).toBe(`${future}-7`)
      expect(await store.xadd(k, { a: '6' }, { id: `${m2! + 20_000_000n}-*` })).toBe(`${m2! + 20_000_000n}-0`)
      const err = await t.rejects(
        'xadd at the top id',
        () => store.xadd(k, { a: 'x' }, { id: `${future}-7` }),
        'COMMAND_ERROR',
      )
      expect(err.message).toMatch(/equal or smaller/)
      await t.rejects(
        'xadd 0-0',
        () => store.xadd(t.key('other'), { a: 'x' }, { id: '0-0' }),
        'COMMAND_ERROR',
      )
      expect(await store.exists([t.key('other')])).toBe(0)
      expect(await store.xlen(k)).toBe(6)
      expect(await store.type(k)).toBe('stream')
    })

    suite.test('fields keep their order, come back as text, without a prototype', async (t) => {
      const { store, expect } = t
      const k = t.key('s')
      const fields = Object.fromEntries([
        ['z', 'last'],
        ['__proto__', 'p'],
        ['a', 1.5],
        ['b', Buffer.from('bytes ✓')],
      ])
      await store.xadd(k, fields, { id: '1-1' })
      const [entry] = await store.xrange(k, '-', '+')
      expect(entry!.id).toBe('1-1')
      expect(Object.getPrototypeOf(entry!.fields)).toBeNull()
      expect(Object.keys(entry!.fields)).toEqual(['z', '__proto__', 'a', 'b'])
      expect(Object.getOwnPropertyDescriptor(entry!.fields, '__proto__')?.value).toBe('p')
      expect([entry!.fields.z, entry!.fields.a, entry!.fields.b]).toEqual(['last', '1.5', 'bytes ✓'])
      expect(({} as Record<string, unknown>).p).toBe(undefined)
      expect(await store.xrange(t.key('missing'), '-', '+')).toEqual([])
      expect(await store.xlen(t.key('missing'))).toBe(0)
    })

    suite.test('xrange and xrevrange: bounds, exclusive and incomplete ids, count', async (t) => {
      const { store, expect } = t
      const k = t.key('s')
      for (const id of ['1-0', '1-1', '2-0', '2-5', '3-0']) await store.xadd(k, { id }, { id })
      expect(ids(await store.xrange(k, '-', '+'))).toEqual(['1-0', '1-1', '2-0', '2-5', '3-0'])
      expect(ids(await store.xrange(k, '2', '2'))).toEqual(['2-0', '2-5'])
      expect(ids(await store.xrange(k, '(1-1', '(3-0'))).toEqual(['2-0', '2-5'])
      expect(ids(await store.xrange(k, '(1', '+'))).toEqual(['1-1', '2-0', '2-5', '3-0'])
      expect(ids(await store.xrange(k, '-', '+', { count: 2 }))).toEqual(['1-0', '1-1'])
      expect(ids(await store.xrevrange(k, '+', '-', { count: 2 }))).toEqual(['3-0', '2-5'])
      expect(ids(await store.xrevrange(k, '(2-5', '1-1'))).toEqual(['2-0', '1-1'])
      expect(await store.xrange(k, '3', '1')).toEqual([])
      await t.rejects('xrange end (0-0', () => store.xrange(k, '-', '(0-0'), 'COMMAND_ERROR')
    })

    suite.test('nomkstream, and empty streams that keep their last id', async (t) => {
      const { store, expect } = t
      const k = t.key('s')
      expect(await store.xadd(k, { a: '1' }, { nomkstream: true })).toBeNull()
      expect(await store.exists([k])).toBe(0)
      await store.xadd(k, { a: '1' }, { id: '5-0' })
      expect(await store.xadd(k, { a: '2' }, { nomkstream: true, id: '6-0' })).toBe('6-0')
      expect(await store.xdel(k, ['5-0', '6-0', '6-0', '7-0'])).toBe(2)
      expect(await store.xlen(k)).toBe(0)
      expect(await store.type(k)).toBe('stream') // streams are kept when empty
      expect((await store.xinfoStream(k)).lastGeneratedId).toBe('6-0')
      await t.rejects(
        'xadd below the last id of an empty stream',
        () => store.xadd(k, { a: '3' }, { id: '6-0' }),
        'COMMAND_ERROR',
      )
      expect(await store.xadd(k, { a: '3' }, { id: '6-*' })).toBe('6-1')
    })

    suite.test('xtrim and xadd trim: exact maxlen and minid', async (t) => {
      const { store, expect } = t
      const k = t.key('s')
      await fill(store, k, 10)
      expect(await store.xtrim(k, { maxlen: 7 })).toBe(3)
      expect(ids(await store.xrange(k, '-', '+', { count: 1 }))).toEqual(['4-0'])
      expect(await store.xtrim(k, { minid: '6' })).toBe(2)
      expect(await store.xlen(k)).toBe(5)
      expect(await store.xadd(k, { n: 'x' }, { id: '11-0', trim: { maxlen: 3 } })).toBe('11-0')
      expect(ids(await store.xrange(k, '-', '+'))).toEqual(['9-0', '10-0', '11-0'])
      expect(await store.xtrim(t.key('missing'), { maxlen: 0 })).toBe(0)
    })

    suite.test('approximate trimming removes whole nodes of 100 entries, within LIMIT', async (t) => {
      const { store, expect } = t
      const k = t.key('s')
      await fill(store, k, 250) // nodes of 100, 100 and 50 entries
      expect(await store.xtrim(k, { maxlen: 120, approximate: true })).toBe(100)
      expect(await store.xlen(k)).toBe(150)
      expect(await store.xtrim(k, { maxlen: 0, approximate: true, limit: 60 })).toBe(0)
      expect(await store.xtrim(k, { minid: '250', approximate: true })).toBe(100)
      expect(ids(await store.xrange(k, '-', '+', { count: 1 }))).toEqual(['201-0'])
      expect(await store.xtrim(k, { maxlen: 10 })).toBe(40)
    })

    suite.test(
      'xread: after an id, only streams with entries, count per stream, $ for new ones',
      async (t) => {
        const { store, expect } = t
        const [a, b, c] = [t.tagged('a'), t.tagged('b'), t.tagged('c')]
        for (const id of ['1-0', '2-0', '3-0']) await store.xadd(a, { id }, { id })
        await store.xadd(b, { id: '1-0' }, { id: '1-0' })
        const read = await store.xread(
          [
            [a, '1-0'],
            [b, '1-0'],
            [c, '0'],
          ],
          { count: 1 },
        )
        expect(read).toEqual([{ key: a, entries: [{ id: '2-0', fields: { id: '2-0' } }] }])
        expect(await store.xread([[a, '$']])).toBeNull()
        expect(await store.xread([[c, '0']])).toBeNull()
        const all = await store.xread([
          [a, '0'],
          [b, '0'],
        ])
        expect(all!.map((r) => [r.key, ids(r.entries)])).toEqual([
          [a, ['1-0', '2-0', '3-0']],
          [b, ['1-0']],
        ])
      },
    )

    suite.test('xinfoStream: length, last id, first and last entries, groups', async (t) => {
      const { store, expect } = t
      const k = t.key('s')
      await t.rejects('xinfoStream of a missing key', () => store.xinfoStream(k), 'COMMAND_ERROR')
      await store.xadd(k, { a: '1' }, { id: '1-0' })
      await store.xadd(k, { a: '2' }, { id: '2-0' })
      await store.xgroupCreate(k, 'g', '0')
      const info = await store.xinfoStream(k)
      expect({ ...info, firstEntry: info.firstEntry?.id, lastEntry: info.lastEntry?.id }).toEqual({
        length: 2,
        lastGeneratedId: '2-0',
        firstEntry: '1-0',
        lastEntry: '2-0',
        groups: 1,
      })
    })
  })
}
