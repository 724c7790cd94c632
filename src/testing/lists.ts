/**
 * Lists: push order and lengths, pops at both ends, LINDEX and LRANGE/LTRIM with Redis's
 * negative indexes and clamping, the last element removing the key, TTLs kept, long lists, and a
 * random mix of pushes and pops at both ends checked against a model.
 */
import type { BatchCommand } from '../stores/types.js'
import type { Suite } from './harness.js'

const LETTERS = ['a', 'b', 'c', 'd', 'e']

/** [start, stop, elements of a..e kept]: negative from the tail, clamped, empty when crossed. */
const RANGES: [number, number, string[]][] = [
  [0, -1, LETTERS],
  [1, 2, ['b', 'c']],
  [-2, -1, ['d', 'e']],
  [-100, 1, ['a', 'b']],
  [2, 100, ['c', 'd', 'e']],
  [0, 0, ['a']],
  [-1, -1, ['e']],
  [3, 1, []],
  [5, 10, []],
  [-1, -2, []],
  [-100, -50, []],
  [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, []],
  [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, LETTERS],
]

export function listTests(suite: Suite): void {
  suite.describe('lists', () => {
    suite.test('lpush prepends one by one, rpush appends; both return the length', async (t) => {
      const { store, expect } = t
      const k = t.key('l')
      expect(await store.lpush(k, ['a', 'b', 'c'])).toBe(3)
      expect(await store.lrange(k, 0, -1)).toEqual(['c', 'b', 'a'])
      expect(await store.rpush(k, ['d', '', 'd'])).toBe(6)
      expect(await store.lrange(k, 0, -1)).toEqual(['c', 'b', 'a', 'd', '', 'd'])
      expect(await store.llen(k)).toBe(6)
      expect(await store.type(k)).toBe('list')
    })

    suite.test('values are stored as text: numbers in decimal, Buffers as UTF-8', async (t) => {
      const k = t.key('l')
      await t.store.rpush(k, [7, 1.5, -0, 2 ** 64, Buffer.from('é'), 'x\u0000y'])
      t.expect(await t.store.lrange(k, 0, -1)).toEqual(['7', '1.5', '0', String(2 ** 64), 'é', 'x\u0000y'])
    })

    suite.test('a missing list is empty and nothing creates it but a push', async (t) => {
      const { store, expect } = t
      const k = t.key('missing')
      expect(await store.llen(k)).toBe(0)
      expect(await store.lpop(k)).toBeNull()
      expect(await store.rpop(k)).toBeNull()
      expect(await store.lindex(k, 0)).toBeNull()
      expect(await store.lrange(k, 0, -1)).toEqual([])
      expect(await store.ltrim(k, 0, -1)).toBe(undefined)
      expect(await store.exists([k])).toBe(0)
    })

    suite.test('lpop and rpop take from either end; the last one removes the key', async (t) => {
      const { store, expect } = t
      const k = t.key('l')
      await store.rpush(k, ['a', 'b', 'c'])
      expect(await store.lpop(k)).toBe('a')
      expect(await store.rpop(k)).toBe('c')
      expect(await store.rpop(k)).toBe('b')
      expect(await store.exists([k])).toBe(0)
      expect(await store.type(k)).toBe('none')
      expect(await store.lpop(k)).toBeNull()
    })

    suite.test('lindex counts from the head, negative from the tail; null out of range', async (t) => {
      const { store, expect } = t
      const k = t.key('l')
      await store.rpush(k, LETTERS)
      const at = (i: number) => store.lindex(k, i)
      expect([await at(0), await at(4), await at(-1), await at(-5)]).toEqual(['a', 'e', 'e', 'a'])
      expect([await at(5), await at(-6), await at(Number.MAX_SAFE_INTEGER)]).toEqual([null, null, null])
    })

    suite.test('lrange and ltrim take Redis ranges; an empty ltrim deletes the key', async (t) => {
      const { store, expect } = t
      for (const [i, [start, stop, kept]] of RANGES.entries()) {
        const k = t.key(`l${i}`)
        await store.rpush(k, LETTERS)
        expect({ start, stop, range: await store.lrange(k, start, stop) }).toEqual({
          start,
          stop,
          range: kept,
        })
        await store.ltrim(k, start, stop)
        expect({ start, stop, trimmed: await store.lrange(k, 0, -1) }).toEqual({ start, stop, trimmed: kept })
        expect({ start, stop, exists: await store.exists([k]) }).toEqual({
          start,
          stop,
          exists: kept.length > 0 ? 1 : 0,
        })
      }
    })

    suite.test('pushes, pops and trims keep the TTL of the list', async (t) => {
      const { store, expect } = t
      const k = t.key('l')
      await store.rpush(k, ['a', 'b', 'c', 'd'])
      expect(await store.expire(k, 100)).toBe(true)
      await store.lpush(k, ['z'])
      await store.rpop(k)
      await store.ltrim(k, 1, -1)
      expect(await store.ttl(k)).toBe(100)
      expect(await store.lrange(k, 0, -1)).toEqual(['a', 'b', 'c'])
    })

    suite.test('a long list: both ends, indexes and trims stay right', async (t) => {
      const { store, expect } = t
      const k = t.tagged('long')
      const values = Array.from({ length: 5000 }, (_, i) => `v${i}`)
      expect(await store.rpush(k, values)).toBe(5000)
      expect(await store.lpush(k, ['head'])).toBe(5001)
      expect([await store.lindex(k, 0), await store.lindex(k, -1), await store.lindex(k, 2501)]).toEqual([
        'head',
        'v4999',
        'v2500',
      ])
      expect(await store.lrange(k, -3, -1)).toEqual(['v4997', 'v4998', 'v4999'])
      await store.ltrim(k, 1001, -1001)
      expect(await store.llen(k)).toBe(3000)
      expect([await store.lindex(k, 0), await store.lindex(k, -1)]).toEqual(['v1000', 'v3999'])
      const pops = await store.batch([
        ...Array.from({ length: 1500 }, () => ['lpop', k] as const),
        ...Array.from({ length: 1500 }, () => ['rpop', k] as const),
      ])
      expect(pops.slice(0, 2)).toEqual(['v1000', 'v1001'])
      expect(pops.slice(-2)).toEqual(['v2501', 'v2500'])
      expect(await store.exists([k])).toBe(0)
    })

    suite.test('a random mix at both ends matches a model', async (t) => {
      const k = t.tagged('mix')
      const model: string[] = []
      const commands: BatchCommand[] = []
      const expected: unknown[] = []
      const add = (command: BatchCommand, result: unknown) => {
        commands.push(command)
        expected.push(result)
      }
      let seed = 12345
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31
        return seed % n
      }
      // the first 300 push more than they pop, the rest pop more: the list grows, wraps, shrinks
      for (let i = 0; i < 600; i++) {
        const v = `e${i}`
        switch (random(i < 300 ? 5 : 7)) {
          case 0:
            add(['lpush', k, [v]], model.unshift(v))
            break
          case 1:
            add(['rpush', k, [v, `${v}'`]], model.push(v, `${v}'`))
            break
          case 2: {
            const index = -1 - random(4)
            add(['lindex', k, index], model.at(index) ?? null)
            break
          }
          case 3:
          case 5:
            add(['lpop', k], model.shift() ?? null)
            break
          default:
            add(['rpop', k], model.pop() ?? null)
        }
      }
      add(['lrange', k, 0, -1], [...model])
      add(['llen', k], model.length)
      t.expect(await t.store.batch(commands)).toEqual(expected)
    })
  })
}
