/** SCAN: match (escaped glob characters match literally), count, type, concurrent writes, every master. */
import { escapeGlob } from '../internal/keys.js'
import { type Suite, scanAll, sorted } from './harness.js'

export function scanTests(suite: Suite): void {
  suite.describe('scan', () => {
    suite.test('match returns exactly the matching keys, plain and hash-tagged', async (t) => {
      const { store, expect } = t
      const plain = Array.from({ length: 30 }, (_, i) => t.key(`k${i}`))
      const tagged = Array.from({ length: 5 }, (_, i) => t.tagged(`k${i}`))
      await Promise.all([...plain, ...tagged].map((k) => store.set(k, 'v')))
      const ours = `*${escapeGlob(t.id)}*`
      expect(sorted(await scanAll(store, { match: ours }))).toEqual(sorted([...plain, ...tagged]))
      expect(sorted(await scanAll(store, { match: `${escapeGlob(t.key('k1'))}*` }))).toEqual(
        sorted([t.key('k1'), ...Array.from({ length: 10 }, (_, i) => t.key(`k1${i}`))]),
      )
      expect([...(await scanAll(store, { match: `${escapeGlob(t.key('none'))}*` }))]).toEqual([])
    })

    suite.test('escapeGlob makes * ? [ ] \\ in key names match literally', async (t) => {
      const { store, expect } = t
      const names = ['a*b', 'a?b', 'a[b]', 'aXb', 'a\\b', 'ab', 'a[b']
      await Promise.all(names.map((n) => store.set(t.key(n), n)))
      const base = escapeGlob(t.key(''))
      const names_ = async (match: string) =>
        sorted([...(await scanAll(store, { match }))].map((k) => k.slice(t.key('').length)))
      for (const name of names)
        expect({ name, found: await names_(escapeGlob(t.key(name))) }).toEqual({ name, found: [name] })
      expect(await names_(`${base}a?b`)).toEqual(sorted(['a*b', 'a?b', 'aXb', 'a\\b', 'a[b']))
      expect(await names_(`${base}a[*X]b`)).toEqual(sorted(['a*b', 'aXb']))
      expect(await names_(`${base}a*`)).toEqual(sorted(names))
    })

    suite.test('match follows Redis glob syntax: classes, ranges, negation, bytes', async (t) => {
      const { store, expect } = t
      const names = ['ab', 'abc', 'aXb', 'a-b', 'a^b', 'é', 'e']
      await Promise.all(names.map((n) => store.set(t.key(n), n)))
      const base = escapeGlob(t.key(''))
      const found = async (glob: string) =>
        sorted([...(await scanAll(store, { match: base + glob }))].map((k) => k.slice(t.key('').length)))
      expect(await found('a[a-c]*')).toEqual(['ab', 'abc'])
      expect(await found('a[c-a]*')).toEqual(['ab', 'abc'])
      expect(await found('a[^b]b')).toEqual(['a-b', 'aXb', 'a^b'])
      expect(await found('a[\\-X]b')).toEqual(['a-b', 'aXb'])
      expect(await found('?')).toEqual(['e']) // 'é' is two bytes
      expect(await found('??')).toEqual(['ab', 'é'])
    })

    suite.test('count is a hint: every key is returned whatever it is', async (t) => {
      const { store, expect } = t
      const keys = Array.from({ length: 50 }, (_, i) => t.key(`k${i}`))
      await Promise.all(keys.map((k) => store.set(k, 'v')))
      const match = `${escapeGlob(t.key(''))}*`
      for (const count of [1, 7, 1000]) {
        let batches = 0
        const seen = new Set<string>()
        for await (const batch of store.scan({ match, count })) {
          expect(Array.isArray(batch)).toBe(true)
          batches++
          for (const k of batch) seen.add(k)
        }
        expect({ count, keys: sorted(seen) }).toEqual({ count, keys: sorted(keys) })
        expect(batches).toBeGreaterThan(0)
      }
    })

    suite.test('type filters keys; HyperLogLogs and bitmaps are strings', async (t) => {
      const { store, expect, key } = t
      await store.set(key('string'), 'v')
      await store.pfadd(key('hll'), ['a'])
      await store.setbit(key('bitmap'), 1, 1)
      await store.hset(key('hash'), { f: 'v' })
      await store.sadd(key('set'), ['m'])
      await store.zadd(key('zset'), [{ member: 'm', score: 1 }])
      await store.rpush(key('list'), ['v'])
      const match = `${escapeGlob(key(''))}*`
      const names = async (type: 'string' | 'hash' | 'set' | 'zset' | 'list') =>
        sorted([...(await scanAll(store, { match, type }))].map((k) => k.slice(key('').length)))
      expect(await names('string')).toEqual(['bitmap', 'hll', 'string'])
      expect(await names('hash')).toEqual(['hash'])
      expect(await names('set')).toEqual(['set'])
      expect(await names('zset')).toEqual(['zset'])
      expect(await names('list')).toEqual(['list'])
    })

    suite.test('keys present throughout are returned while others are written and deleted', async (t) => {
      const { store, expect } = t
      const stable = Array.from({ length: 300 }, (_, i) => t.key(`stable:${i}`))
      const doomed = Array.from({ length: 100 }, (_, i) => t.key(`doomed:${i}`))
      await Promise.all([...stable, ...doomed].map((k) => store.set(k, 'v')))
      const seen = new Set<string>()
      let round = 0
      for await (const batch of store.scan({ match: `${escapeGlob(t.key(''))}*`, count: 25 })) {
        for (const k of batch) seen.add(k)
        const writes = Array.from({ length: 10 }, (_, i) => store.set(t.key(`new:${round}:${i}`), 'v'))
        const deletes = doomed.slice(round * 5, round * 5 + 5).map((k) => store.del([k]))
        await Promise.all([...writes, ...deletes])
        round++
      }
      expect(round).toBeGreaterThan(1)
      expect(stable.filter((k) => !seen.has(k))).toEqual([])
      expect([...seen].filter((k) => !k.startsWith(t.key('')))).toEqual([])
    })

    suite.test('finds keys in every slot range (every master of a cluster)', async (t) => {
      const { store, expect } = t
      const keys = t.spreadKeys('spread:')
      expect(keys).toHaveLength(64)
      await Promise.all(keys.map((k) => store.set(k, 'v')))
      expect(sorted(await scanAll(store, { match: `${escapeGlob(t.key('spread:'))}*` }))).toEqual(
        sorted(keys),
      )
    })
  })
}
