/**
 * The op-id guard of the FailoverStore: its Lua (Redis) and its twin (memory) agree on replies,
 * on the guarded write, and on the op log's members (their scores are each store's clock);
 * a repeated op id is a no-op; acknowledged ids leave the log.
 */
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { defineScript } from '../../src/stores/define-script.js'
import { COUNTING_COMMANDS, DUPLICATE, guarded } from '../../src/stores/failover/guard.js'
import { xaddArgv } from '../../src/stores/failover/xadd.js'
import { createMemoryStore } from '../../src/stores/memory/index.js'
import { createRedisStore } from '../../src/stores/redis.js'
import type { Script, Store, StoreValue } from '../../src/stores/types.js'
import { redisUrl } from '../support/env.js'
import { deletePrefix, testPrefix } from '../support/stores.js'

const customOne = defineScript({
  name: 'one-key',
  keys: ['counter'],
  lua: "return redis.call('INCRBY', KEYS[1], ARGV[1])",
  run: (redis, [key], [by]) => redis.incrby(key!, Number(by)),
})

describe('op-id guard: Lua and twin', () => {
  const redis = createRedisStore(redisUrl())
  const prefix = testPrefix('guard')
  afterAll(async () => {
    await deletePrefix(redis, prefix)
    await redis.close()
  })

  async function both(script: Script, keys: string[], args: StoreValue[], memory: Store) {
    const run = (store: Store) =>
      store.eval(guarded(script), keys, args).then(
        (r) => ({ r }),
        (e) => ({ e: e.code }),
      )
    return [await run(memory), await run(redis)]
  }

  const cases: [string, Script, fc.Arbitrary<StoreValue[]>][] = [
    [
      'incrby',
      COUNTING_COMMANDS.incrby,
      fc.tuple(fc.integer({ min: -1e6, max: 1e6 })).map(([n]) => [String(n)]),
    ],
    [
      'incrbyfloat',
      COUNTING_COMMANDS.incrbyfloat,
      fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true })).map(([n]) => [String(n)]),
    ],
    [
      'hincrby',
      COUNTING_COMMANDS.hincrby,
      fc.tuple(fc.constantFrom('a', 'b'), fc.integer({ min: -99, max: 99 })).map(([f, n]) => [f, String(n)]),
    ],
    [
      'zincrby',
      COUNTING_COMMANDS.zincrby,
      fc
        .tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom('m', 'n'))
        .map(([n, m]) => [String(n), m]),
    ],
    [
      'xadd (with the id the fallback gave, falling back to ms-*)',
      COUNTING_COMMANDS.xadd,
      fc
        .tuple(
          fc.dictionary(fc.constantFrom('a', 'b', '1'), fc.constantFrom('x', '7', ''), { minKeys: 1 }),
          fc.constantFrom('1-1', '2-0', '5-*', '3', '9-9'),
          fc.constantFrom(undefined, '9-*', '1-*'),
          fc.option(fc.record({ maxlen: fc.integer({ min: 0, max: 3 }), approximate: fc.boolean() }), {
            nil: undefined,
          }),
          fc.boolean(),
        )
        .map(([fields, id, retry, trim, nomkstream]) =>
          xaddArgv(['k', fields, { id, nomkstream, ...(trim ? { trim } : {}) }, retry]),
        ),
    ],
  ]

  it.each(cases)(
    '%s: same replies, same value, same op-log members, duplicates skipped',
    async (_name, script, argsArb) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(argsArb, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 6 }),
          async (calls) => {
            const memory = createMemoryStore()
            const base = `${prefix}${Math.random().toString(36).slice(2)}`
            const key = `{${base}}:k`
            const log = `{${base}}:ops`
            try {
              for (const [args, id] of calls) {
                const argv: StoreValue[] = [`op-${id}`, 600_000, 0, ...args]
                const [m, r] = await both(script, [log, key], argv, memory)
                expect(m).toEqual(r)
              }
              expect(await memory.getBuffer(key).catch(() => null)).toEqual(
                await redis.getBuffer(key).catch(() => null),
              )
              expect(await memory.hgetall(key).catch(() => ({}))).toEqual(
                await redis.hgetall(key).catch(() => ({})),
              )
              expect(await memory.zrangeWithScores(key, 0, -1).catch(() => [])).toEqual(
                await redis.zrangeWithScores(key, 0, -1).catch(() => []),
              )
              expect(await memory.xrange(key, '-', '+').catch(() => [])).toEqual(
                await redis.xrange(key, '-', '+').catch(() => []),
              )
              expect((await memory.zrange(log, 0, -1)).sort()).toEqual(
                (await redis.zrange(log, 0, -1)).sort(),
              )
            } finally {
              await memory.close()
              await redis.del([key, log])
            }
          },
        ),
        { numRuns: 60, seed: 7 },
      )
    },
  )

  it('a repeated op id answers DUPLICATE and changes nothing; acknowledged ids are removed', async () => {
    const memory = createMemoryStore()
    for (const store of [memory, redis]) {
      const key = `{${prefix}dup}:n`
      const log = `{${prefix}dup}:ops`
      expect(await store.eval(guarded(COUNTING_COMMANDS.incrby), [log, key], ['a', 60_000, 0, '5'])).toBe('5')
      expect(await store.eval(guarded(COUNTING_COMMANDS.incrby), [log, key], ['a', 60_000, 0, '5'])).toBe(
        DUPLICATE,
      )
      expect(await store.get(key)).toBe('5')
      expect(
        await store.eval(guarded(COUNTING_COMMANDS.incrby), [log, key], ['b', 60_000, 1, 'a', '1']),
      ).toBe('6')
      expect(await store.zrange(log, 0, -1)).toEqual(['b'])
      expect(await store.pttl(log)).toBeGreaterThan(0)
      await store.del([key, log])
    }
    // a script of the caller's, body wrapped: its KEYS and ARGV are exactly its own
    const key = `{${prefix}custom}:c`
    const log = `{${prefix}custom}:ops`
    for (const store of [memory, redis]) {
      expect(await store.eval(guarded(customOne), [log, key], ['x', 60_000, 0, '3'])).toBe(3)
      expect(await store.eval(guarded(customOne), [log, key], ['x', 60_000, 0, '3'])).toBe(DUPLICATE)
      await store.del([key, log])
    }
    await memory.close()
  })

  it('ids older than the retention leave the log on a write whose id ends in a byte that is a multiple of 16', async () => {
    const memory = createMemoryStore()
    const logs: string[][][] = []
    for (const store of [memory, redis]) {
      const key = `{${prefix}prune}:n`
      const log = `{${prefix}prune}:ops`
      const seen: string[][] = []
      // '1' (49) and 'é' (last UTF-8 byte 0xa9) keep the old id; '0' (48) and 'Ā' (0x80) drop it
      for (const id of ['w1', 'wé', 'w0', 'wĀ']) {
        await store.zadd(log, [{ member: 'old', score: 1 }])
        await store.eval(guarded(COUNTING_COMMANDS.incrby), [log, key], [id, 60_000, 0, '1'])
        seen.push((await store.zrange(log, 0, -1)).sort())
        await store.zrem(log, ['old'])
      }
      expect(await store.pttl(log)).toBeGreaterThan(50_000)
      logs.push(seen)
      await store.del([key, log])
    }
    expect(logs[0]).toEqual(logs[1])
    expect(logs[0]).toEqual([
      ['old', 'w1'],
      ['old', 'w1', 'wé'],
      ['w0', 'w1', 'wé'],
      ['w0', 'w1', 'wé', 'wĀ'],
    ])
    await memory.close()
  })

  it('list writes: same replies and list on both stores; a repeated op id runs once', async () => {
    const { lpush, rpush, lpop, rpop, ltrim } = COUNTING_COMMANDS
    const many = Array.from({ length: 2500 }, (_, i) => `v${i}`) // past Lua's unpack limit per call
    const calls: [Script, StoreValue[]][] = [
      [lpop, []],
      [rpush, ['a', 'b', 'c', 'd', 'e']],
      [lpush, ['z', 7, '']],
      [lpop, []],
      [rpop, []],
      [ltrim, ['1', '-2']],
      [rpush, many],
      [lpush, many],
      [ltrim, ['2490', '2510']],
      [rpop, []],
      [ltrim, ['5', '1']],
      [rpop, []],
    ]
    const memory = createMemoryStore()
    const outcomes = []
    for (const store of [memory, redis]) {
      const key = `{${prefix}list}:l`
      const log = `{${prefix}list}:ops`
      const replies: unknown[] = []
      for (const [i, [script, args]] of calls.entries()) {
        replies.push(await store.eval(guarded(script), [log, key], [`op-${i}`, 60_000, 0, ...args]))
        expect(await store.eval(guarded(script), [log, key], [`op-${i}`, 60_000, 0, ...args])).toBe(DUPLICATE)
        replies.push(await store.lrange(key, 0, -1))
      }
      outcomes.push(replies)
      await store.del([key, log])
    }
    expect(outcomes[0]).toEqual(outcomes[1])
    const kept = ['v9', 'v8', 'v7', 'v6', 'v5', 'v4', 'v3', 'v2', 'v1', 'v0', 'z', 'a', 'b', 'c']
    expect(outcomes[0]!.slice(-6)).toEqual([
      'v6',
      [...kept, 'v0', 'v1', 'v2', 'v3', 'v4', 'v5'],
      'OK',
      [],
      null,
      [],
    ])
    await memory.close()
  })
})
