/**
 * Bad input fails before anything is sent, the same way on every store: a RedisKitError with
 * code INVALID_ARGUMENT (or VALUE_TOO_LARGE) whose message names the fix, and nothing written.
 */
import type { ErrorCode } from '../errors.js'
import type { Store } from '../stores/types.js'
import type { Suite, TestContext } from './harness.js'

// biome-ignore lint/suspicious/noExplicitAny: bad input on purpose, past the types
type Loose = any

/** The message names what is expected ("must be …") or what to do ("use …", "raise …"). */
const NAMES_THE_FIX = /must|use |raise|needs|cannot|only one|takes/

async function refuses(
  t: TestContext,
  label: string,
  call: () => unknown,
  code: ErrorCode = 'INVALID_ARGUMENT',
) {
  const err = await t.rejects(label, call, code)
  t.expect({ label, namesTheFix: NAMES_THE_FIX.test(err.message) }).toEqual({ label, namesTheFix: true })
  return err
}

export function badInputTests(suite: Suite): void {
  suite.describe('bad input', () => {
    suite.test('keys must be strings; key lists must be non-empty arrays', async (t) => {
      const s = t.store as Loose
      for (const [label, call] of [
        ['get(123)', () => s.get(123)],
        ['set(null)', () => s.set(null, 'v')],
        ['hset(undefined)', () => s.hset(undefined, { f: 'v' })],
        ['zadd({})', () => s.zadd({}, [{ member: 'm', score: 1 }])],
        ['del([key, 5])', () => s.del([t.key('a'), 5])],
        ['del([])', () => s.del([])],
        ['mget("a")', () => s.mget('a')],
        ['exists(null)', () => s.exists(null)],
        ['hget field 1', () => s.hget(t.key('h'), 1)],
        ['sadd with a number member', () => s.sadd(t.key('s'), [1])],
        ['sadd with no members', () => s.sadd(t.key('s'), [])],
        ['hset without fields', () => s.hset(t.key('h'), {})],
        ['lpush with no values', () => s.lpush(t.key('l'), [])],
        ['rpush a value, not an array', () => s.rpush(t.key('l'), 'v')],
        ['rpush an object value', () => s.rpush(t.key('l'), ['v', {}])],
        ['zadd member not a string', () => s.zadd(t.key('z'), [{ member: 1, score: 1 }])],
        ['pfadd elements not an array', () => s.pfadd(t.key('p'), 'a')],
        ['subscribe to ""', () => s.subscribe('', () => {})],
      ] as const) {
        await refuses(t, label, call)
      }
      t.expect(await t.store.exists([t.key('h'), t.key('s'), t.key('z'), t.key('p'), t.key('l')])).toBe(0)
    })

    suite.test('TTLs must be positive whole numbers; nothing is written otherwise', async (t) => {
      const s = t.store as Loose
      const k = t.key('k')
      for (const [label, options] of [
        ['ex NaN', { ex: Number.NaN }],
        ['ex 0', { ex: 0 }],
        ['ex -1', { ex: -1 }],
        ['ex 1.5', { ex: 1.5 }],
        ['px Infinity', { px: Number.POSITIVE_INFINITY }],
        ['px "100"', { px: '100' }],
        ['ex and px', { ex: 1, px: 1000 }],
        ['ex and keepTtl', { ex: 1, keepTtl: true }],
        ['nx and xx', { nx: true, xx: true }],
      ] as const) {
        await refuses(t, `set with ${label}`, () => s.set(k, 'v', options))
      }
      t.expect(await t.store.exists([k])).toBe(0)
      await t.store.set(k, 'v')
      for (const [label, call] of [
        ['expire NaN', () => s.expire(k, Number.NaN)],
        ['expire -5', () => s.expire(k, -5)],
        ['expire 0', () => s.expire(k, 0)],
        ['pexpire 1.5', () => s.pexpire(k, 1.5)],
        ['expire mode "gt"', () => s.expire(k, 10, 'gt')],
      ] as const) {
        await refuses(t, label, call)
      }
      t.expect(await t.store.ttl(k)).toBe(-1)
    })

    suite.test('numbers: integer increments, finite values and scores', async (t) => {
      const s = t.store as Loose
      for (const [label, call] of [
        ['incrby 1.5', () => s.incrby(t.key('n'), 1.5)],
        ['incrby 2^53', () => s.incrby(t.key('n'), 2 ** 53)],
        ['incrbyfloat NaN', () => s.incrbyfloat(t.key('n'), Number.NaN)],
        ['incrbyfloat Infinity', () => s.incrbyfloat(t.key('n'), Number.POSITIVE_INFINITY)],
        ['hincrby 0.5', () => s.hincrby(t.key('h'), 'f', 0.5)],
        ['set NaN', () => s.set(t.key('n'), Number.NaN)],
        ['set an object', () => s.set(t.key('n'), { a: 1 })],
        ['zadd score NaN', () => s.zadd(t.key('z'), [{ member: 'm', score: Number.NaN }])],
        ['zadd score "1"', () => s.zadd(t.key('z'), [{ member: 'm', score: '1' }])],
        ['zincrby NaN', () => s.zincrby(t.key('z'), Number.NaN, 'm')],
        ['zadd nx and xx', () => s.zadd(t.key('z'), [{ member: 'm', score: 1 }], { nx: true, xx: true })],
        [
          'zunionstore weights of the wrong length',
          () => s.zunionstore(t.tagged('d'), [t.tagged('a')], { weights: [1, 2] }),
        ],
      ] as const) {
        await refuses(t, label, call)
      }
      t.expect(await t.store.exists([t.key('n'), t.key('h'), t.key('z'), t.tagged('d')])).toBe(0)
    })

    suite.test('score bounds and ranks must be valid', async (t) => {
      const s = t.store as Loose
      const k = t.key('z')
      await t.store.zadd(k, [{ member: 'm', score: 1 }])
      for (const [label, call] of [
        ['zrange by score from "abc"', () => s.zrange(k, 'abc', 5, { by: 'score' })],
        ['zrange by score to "((1"', () => s.zrange(k, 0, '((1', { by: 'score' })],
        ['zrange by score from "[1"', () => s.zrange(k, '[1', 5, { by: 'score' })],
        ['zrange by score from NaN', () => s.zrange(k, Number.NaN, 5, { by: 'score' })],
        ['zrange by rank from 1.5', () => s.zrange(k, 1.5, 5)],
        ['zrange by rank from "(1"', () => s.zrange(k, '(1', 5)],
        ['zrange limit without by score', () => s.zrange(k, 0, -1, { limit: { offset: 0, count: 1 } })],
        ['zrangeWithScores by "lex"', () => s.zrangeWithScores(k, 0, -1, { by: 'lex' })],
        ['zremrangebyscore from NaN', () => s.zremrangebyscore(k, Number.NaN, 1)],
        ['zremrangebyscore to "x"', () => s.zremrangebyscore(k, 0, 'x')],
        ['zremrangebyrank 0.5', () => s.zremrangebyrank(k, 0.5, 1)],
        ['lindex 1.5', () => s.lindex(t.key('l'), 1.5)],
        ['lrange to "1"', () => s.lrange(t.key('l'), 0, '1')],
        ['ltrim from NaN', () => s.ltrim(t.key('l'), Number.NaN, 1)],
      ] as const) {
        await refuses(t, label, call)
      }
      t.expect(await t.store.zcard(k)).toBe(1)
    })

    suite.test('bit offsets are 0 to 2^32-1 and bits are 0 or 1', async (t) => {
      const s = t.store as Loose
      const k = t.key('b')
      for (const [label, call] of [
        ['setbit 2^32', () => s.setbit(k, 2 ** 32, 1)],
        ['setbit -1', () => s.setbit(k, -1, 1)],
        ['setbit 1.5', () => s.setbit(k, 1.5, 1)],
        ['setbit value 2', () => s.setbit(k, 1, 2)],
        ['getbit 2^32', () => s.getbit(k, 2 ** 32)],
        ['bitcount start 0.5', () => s.bitcount(k, { start: 0.5, end: 1 })],
        ['bitcount unit "bits"', () => s.bitcount(k, { start: 0, end: 1, unit: 'bits' })],
        ['bitop "NAND"', () => s.bitop('NAND', t.tagged('d'), [t.tagged('a')])],
        ['bitop NOT of two keys', () => s.bitop('NOT', t.tagged('d'), [t.tagged('a'), t.tagged('b')])],
      ] as const) {
        await refuses(t, label, call)
      }
      t.expect(await t.store.exists([k, t.tagged('d')])).toBe(0)
    })

    suite.test('stream ids, fields, counts, trims and read options must be valid', async (t) => {
      const s = t.store as Loose
      const k = t.key('s')
      await t.store.xadd(k, { f: 'v' }, { id: '5-0' })
      for (const [label, call] of [
        ['xadd without fields', () => s.xadd(k, {})],
        ['xadd fields not an object', () => s.xadd(k, 'f')],
        ['xadd a field value NaN', () => s.xadd(k, { f: Number.NaN })],
        ['xadd id "abc"', () => s.xadd(k, { f: 'v' }, { id: 'abc' })],
        ['xadd id "1-2-3"', () => s.xadd(k, { f: 'v' }, { id: '1-2-3' })],
        ['xadd id "01-0"', () => s.xadd(k, { f: 'v' }, { id: '01-0' })],
        ['xadd id past 2^64', () => s.xadd(k, { f: 'v' }, { id: '18446744073709551616-0' })],
        ['xadd id "*-1"', () => s.xadd(k, { f: 'v' }, { id: '*-1' })],
        ['trim with maxlen and minid', () => s.xtrim(k, { maxlen: 1, minid: '1' })],
        ['trim with neither', () => s.xtrim(k, {})],
        ['trim maxlen -1', () => s.xtrim(k, { maxlen: -1 })],
        ['trim maxlen 1.5', () => s.xtrim(k, { maxlen: 1.5 })],
        ['trim limit without approximate', () => s.xtrim(k, { maxlen: 1, limit: 10 })],
        ['trim minid "*"', () => s.xtrim(k, { minid: '*' })],
        ['xrange start "x"', () => s.xrange(k, 'x', '+')],
        ['xrange start "(-"', () => s.xrange(k, '(-', '+')],
        ['xrange count 0', () => s.xrange(k, '-', '+', { count: 0 })],
        ['xdel no ids', () => s.xdel(k, [])],
        ['xdel id "+"', () => s.xdel(k, ['+'])],
        ['xread no streams', () => s.xread([])],
        ['xread id ">"', () => s.xread([[k, '>']])],
        ['xread a pair of one', () => s.xread([[k]])],
        ['xread block 0', () => s.xread([[k, '$']], { block: 0 })],
        ['xread block -5', () => s.xread([[k, '$']], { block: -5 })],
        ['xread signal not a signal', () => s.xread([[k, '$']], { block: 5, signal: {} })],
        ['xreadgroup id "$"', () => s.xreadgroup('g', 'c', [[k, '$']])],
        ['xgroupCreate id ">"', () => s.xgroupCreate(k, 'g', '>')],
        ['xpendingRange without count', () => s.xpendingRange(k, 'g', '-', '+')],
        ['xclaim minIdleMs -1', () => s.xclaim(k, 'g', 'c', -1, ['1-0'])],
        ['xautoclaim count 0', () => s.xautoclaim(k, 'g', 'c', 0, '0', { count: 0 })],
      ] as const) {
        await refuses(t, label, call)
      }
      await t.rejects(
        'xread across slots',
        () =>
          s.xread([
            [t.keysInTwoSlots()[0], '0'],
            [t.keysInTwoSlots()[1], '0'],
          ]),
        'CROSSSLOT',
      )
      t.expect(await t.store.xlen(k)).toBe(1)
    })

    suite.test('keys with glob characters are plain keys', async ({ store, expect, tagged }) => {
      const [star, other] = [tagged('a*'), tagged('ab')]
      await store.set(star, 'star')
      await store.set(other, 'other')
      expect(await store.get(star)).toBe('star')
      expect(await store.del([tagged('a?')])).toBe(0)
      expect(await store.del([star])).toBe(1)
      expect(await store.get(other)).toBe('other')
      expect(await store.exists([tagged('[ab]'), tagged('*')])).toBe(0)
    })

    suite.test(
      'values over maxValueBytes fail with VALUE_TOO_LARGE, counted in bytes',
      async (t) => {
        const limited: Store = await t.createStore({ maxValueBytes: 64 })
        const k = t.key('k')
        t.expect(await limited.set(k, 'x'.repeat(64))).toBe(true)
        for (const [label, call] of [
          [
            'set 65 chars (createStore must honour { maxValueBytes }, or list it in options.skip)',
            () => limited.set(k, 'x'.repeat(65)),
          ],
          ['set 22 × "€" (66 bytes)', () => limited.set(k, '€'.repeat(22))],
          ['set a 65-byte Buffer', () => limited.set(k, Buffer.alloc(65))],
          ['hset a 65-byte field value', () => limited.hset(t.key('h'), { f: 'y'.repeat(65) })],
          ['publish a 65-byte message', () => limited.publish(t.channel('c'), 'z'.repeat(65))],
          ['xadd a 65-byte field value', () => limited.xadd(t.key('x'), { f: 'y'.repeat(65) })],
          ['rpush a 65-byte value', () => limited.rpush(t.key('l'), ['v', 'y'.repeat(65)])],
        ] as const) {
          const err = await refuses(t, label, call, 'VALUE_TOO_LARGE')
          t.expect(err.message).toMatch(/maxValueBytes/)
        }
        t.expect(await limited.get(k)).toBe('x'.repeat(64))
        t.expect(await limited.exists([t.key('h'), t.key('x'), t.key('l')])).toBe(0)
      },
      'maxValueBytes',
    )
  })
}
