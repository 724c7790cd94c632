/** Batches: replies in order and typed, the first error rejects, validation before anything runs. */
import type { Suite } from './harness.js'

export function batchTests(suite: Suite): void {
  suite.describe('batch', () => {
    suite.test('replies come back in order, typed like the commands', async ({ store, expect, tagged }) => {
      const [k, n, h, z] = [tagged('k'), tagged('n'), tagged('h'), tagged('z')]
      const results = await store.batch([
        ['set', k, 'v', { ex: 100 }],
        ['get', k],
        ['incrby', n, 5],
        ['incrbyfloat', n, 0.5],
        ['exists', [k, n, tagged('missing')]],
        ['hset', h, { a: '1', b: 2 }],
        ['hgetall', h],
        ['zadd', z, [{ member: 'm', score: 2 }]],
        ['zrangeWithScores', z, 0, -1],
        ['zscore', z, 'missing'],
        ['ttl', k],
        ['sismember', tagged('s'), 'x'],
        ['getBuffer', k],
        ['del', [k]],
      ])
      const [
        set,
        get,
        incr,
        incrFloat,
        exists,
        hset,
        hgetall,
        zadd,
        range,
        zscore,
        ttl,
        sismember,
        buffer,
        del,
      ] = results
      const typed: [boolean, string | null, number, number] = [set, get, incr, incrFloat]
      expect(typed).toEqual([true, 'v', 5, 5.5])
      expect([exists, hset, { ...hgetall }, zadd, range, zscore, ttl, sismember]).toEqual([
        2,
        2,
        { a: '1', b: '2' },
        1,
        [{ member: 'm', score: 2 }],
        null,
        100,
        false,
      ])
      expect(Buffer.isBuffer(buffer) && buffer.toString()).toBe('v')
      expect(del).toBe(1)
      expect(await store.batch([])).toEqual([])
    })

    suite.test('a failing command rejects the batch with its error; the others ran', async (t) => {
      const { store, expect } = t
      const [k, other] = [t.tagged('k'), t.tagged('other')]
      await t.rejects(
        'batch with incrby on a non-integer',
        () =>
          store.batch([
            ['set', k, 'text'],
            ['incrby', k, 1],
            ['set', other, 'written'],
          ]),
        'NOT_INTEGER',
      )
      expect(await store.get(k)).toBe('text')
      expect(await store.get(other)).toBe('written')
      await store.hset(t.tagged('h'), { f: 'v' })
      await t.rejects('batch with get on a hash', () => store.batch([['get', t.tagged('h')]]), 'WRONGTYPE')
    })

    suite.test('invalid arguments reject the batch before any command runs', async (t) => {
      const k = t.tagged('k')
      await t.rejects(
        'batch with an invalid TTL',
        () =>
          t.store.batch([
            ['set', k, 'v'],
            ['expire', k, -1],
          ]),
        'INVALID_ARGUMENT',
      )
      t.expect(await t.store.exists([k])).toBe(0)
      await t.rejects(
        'batch with an unknown command',
        () => t.store.batch([['set', k, 'v'], ['flushall'] as never]),
        'INVALID_ARGUMENT',
      )
      t.expect(await t.store.exists([k])).toBe(0)
    })

    suite.test('a batch may span slots (split per slot on a cluster), results stay in order', async (t) => {
      const { store, expect } = t
      const keys = t.spreadKeys('b:', 16)
      await store.batch(keys.map((k, i) => ['set', k, String(i)] as const))
      const values = await store.batch(keys.map((k) => ['get', k] as const))
      expect(values).toEqual(keys.map((_, i) => String(i)))
      const counts = await store.batch(keys.flatMap((k) => [['incrby', k, 10] as const, ['ttl', k] as const]))
      expect(counts).toEqual(keys.flatMap((_, i) => [i + 10, -1]))
    })
  })
}
