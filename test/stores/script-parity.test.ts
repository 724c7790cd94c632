/**
 * Script parity: representative scripts (compare-and-set, a capped increment returning a table,
 * a script touching a hash and a sorted set, TIME, Lua's reply conversion) run as Lua on Redis
 * and as their JavaScript twin on the MemoryStore, on random states and arguments, with the
 * same replies and the same final state (see test/support/script-parity.ts).
 */
import { isUtf8 } from 'node:buffer'
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { defineScript } from '../../src/stores/define-script.js'
import { createMemoryStore, createRedisStore, type RedisStore } from '../../src/stores/index.js'
import { formatDouble, luaToNumber } from '../../src/stores/lua.js'
import { redisUrl } from '../support/env.js'
import { expectScriptParity, randomState, type SymbolicCommand } from '../support/script-parity.js'
import { anyMember, value } from './parity/arbitraries.js'

// a random comment per run: the first EVALSHA meets NOSCRIPT and the store loads the script
const nonce = `-- script-parity ${randomBytes(6).toString('hex')}\n`

const compareAndSet = defineScript<number>({
  name: 'parity-compare-and-set',
  keys: ['key'],
  lua: `${nonce}if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end
return 0`,
  run: (redis, [key], [expected, next]) => {
    // bytes, not text: a twin's get() decodes UTF-8, which maps different invalid bytes to U+FFFD
    const current = redis.getBuffer(key!)
    if (current === null || !current.equals(Buffer.from(expected!))) return 0
    redis.set(key!, next!)
    return 1
  },
})

const cappedIncrement = defineScript({
  name: 'parity-capped-increment',
  keys: ['counter', 'log'],
  lua: `${nonce}local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current == nil then error('counter is not a number') end
local by, cap = tonumber(ARGV[1]), tonumber(ARGV[2])
if current + by > cap then return {0, current} end
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[3])
return {1, value, redis.call('SCARD', KEYS[2]), 'ok'}`,
  run: (redis, [counter, log], [by, cap, id]) => {
    const raw = redis.get(counter!)
    const current = raw === null ? 0 : luaToNumber(raw)
    if (current === null) throw new Error('counter is not a number')
    if (current + Number(by) > Number(cap)) return [0, current]
    const value = redis.incrby(counter!, Number(by))
    redis.sadd(log!, [id!])
    return [1, value, redis.scard(log!), 'ok']
  },
})

const leaderboard = defineScript({
  name: 'parity-leaderboard',
  keys: ['meta', 'board'],
  lua: `${nonce}local score = redis.call('ZINCRBY', KEYS[2], ARGV[2], ARGV[1])
local updates = redis.call('HINCRBY', KEYS[1], 'updates', 1)
redis.call('HSET', KEYS[1], 'last', ARGV[1])
local keep = tonumber(ARGV[3])
local size = redis.call('ZCARD', KEYS[2])
if size > keep then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, size - keep - 1) end
local top = redis.call('ZRANGE', KEYS[2], 0, 0, 'REV')
return {tonumber(score), updates, redis.call('ZCARD', KEYS[2]), top[1], redis.call('ZSCORE', KEYS[2], ARGV[1])}`,
  run: (redis, [meta, board], [member, increment, keepText]) => {
    const score = redis.zincrby(board!, Number(increment), member!)
    const updates = redis.hincrby(meta!, 'updates', 1)
    redis.hset(meta!, { last: member! })
    const keep = Number(keepText)
    const size = redis.zcard(board!)
    if (size > keep) redis.zremrangebyrank(board!, 0, size - keep - 1)
    const [top = null] = redis.zrange(board!, 0, 0, { rev: true })
    const kept = redis.zscore(board!, member!)
    // redis.call gives Lua `false` for a nil reply (kept in a table, as null); a missing table
    // element (top[1] of an empty range) is nil and ends the table
    return [score, updates, redis.zcard(board!), top, kept === null ? false : formatDouble(kept)] as never
  },
})

const clock = defineScript({
  name: 'parity-clock',
  keys: [],
  lua: `${nonce}local t = redis.call('TIME')
return {tonumber(t[1]), tonumber(t[2]), ARGV[1]}`,
  run: (redis, _keys, [tag]) => {
    const [seconds, micros] = redis.time()
    return [seconds, micros, tag!]
  },
})

const replyShapes = defineScript({
  name: 'parity-reply-shapes',
  keys: [],
  lua: `${nonce}local n = tonumber(ARGV[1])
local mode = ARGV[2]
if mode == 'number' then return n end
if mode == 'negated' then return -n end
if mode == 'false' then return false end
if mode == 'true' then return true end
if mode == 'table' then return {1, n, false, 'x', nil, 5} end
if mode == 'nested' then return {{n, 7}, {}, {false, true}, ARGV[1]} end
return ARGV[1]`,
  run: (_redis, _keys, [text, mode]) => {
    const n = luaToNumber(text!)
    if (mode === 'number') return n
    if (mode === 'negated') {
      if (n === null) throw new Error('attempt to perform arithmetic on a nil value')
      return -n
    }
    if (mode === 'false') return false as never
    if (mode === 'true') return true as never
    if (mode === 'table') return [1, n, false, 'x', null, 5] as never
    if (mode === 'nested') return [[n, 7], [], [false, true], text] as never
    return text!
  },
})

const integer = fc.oneof(
  fc.integer({ min: -5, max: 10 }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 40),
)
const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom(
    '0',
    '-0.5',
    '0.5',
    '3.99',
    '-3.99',
    '1e20',
    '-1e20',
    '9223372036854775807',
    '-9223372036854775808',
    '9223372036854774784',
    'inf',
    '-inf',
    'nan',
    'NaN',
    'Infinity',
    '0x1A',
    '0x1p4',
    '-0x10',
    '0x',
    ' 5 ',
    '5 x',
    '1e400',
    '1e',
    '.5',
    '5.',
    'abc',
    '',
    '1\u00002',
    '0b1',
  ),
)

describe('script parity: Lua on Redis ↔ JavaScript twin on memory', () => {
  let redis: RedisStore
  beforeAll(() => {
    redis = createRedisStore(redisUrl())
  })
  afterAll(() => redis.close())

  it('compare-and-set', async () => {
    const texts = fc.constantFrom('', '0', 'old', 'new', 'é😀', '\uFFFD', '1.5')
    const setup = fc.oneof(
      randomState(compareAndSet),
      fc
        .tuple(texts, fc.option(fc.constantFrom(100, 2000), { nil: undefined }))
        .map(([v, ex]): SymbolicCommand[] => [['set', '$key', v, ex ? { ex } : undefined]]),
    )
    // Buffers only in UTF-8: a twin sees its ARGV as text (a lone 0x80 would reach it as U+FFFD)
    const next = fc.oneof(
      texts,
      value.filter((v) => !Buffer.isBuffer(v) || isUtf8(v)),
    )
    await expectScriptParity(compareAndSet, fc.tuple(texts, next), { setup, redis })
  })

  it('capped increment: a table reply, tonumber on any stored value', async () => {
    const setup = fc.oneof(
      randomState(cappedIncrement),
      fc.oneof(numberText, integer.map(String)).map((v): SymbolicCommand[] => [['set', '$counter', v]]),
    )
    await expectScriptParity(cappedIncrement, fc.tuple(integer, integer, anyMember), { setup, redis })
  })

  it('leaderboard: a hash and a sorted set; float replies truncated, a table stops at nil', async () => {
    const increment = fc.oneof(
      fc.constantFrom(1, -1, 0.5, 2.5, 0.1, 1e20, -1e20, 1e300),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    )
    const args = fc.tuple(fc.constantFrom('a', 'b', 'c', '😀'), increment, fc.integer({ min: 0, max: 3 }))
    await expectScriptParity(leaderboard, args, { redis, calls: { min: 1, max: 5 } })
  })

  it('TIME (only the shape of the reply is compared)', async () => {
    const shape = (reply: unknown) => {
      const [seconds, micros, tag] = reply as [number, number, string]
      return [
        Number.isInteger(seconds) && seconds > 1_600_000_000,
        Number.isInteger(micros) && micros >= 0 && micros < 1_000_000,
        tag,
      ]
    }
    await expectScriptParity(clock, fc.tuple(anyMember), { redis, setup: 'none', normalizeReply: shape })
  })

  it("Lua's reply conversion: truncation, int64 overflow, false, true, nil, nested tables", async () => {
    const modes = fc.constantFrom('number', 'negated', 'false', 'true', 'table', 'nested', 'text')
    await expectScriptParity(replyShapes, fc.tuple(numberText, modes), { redis, setup: 'none', numRuns: 300 })
  })

  it('a bad call is refused the same way on both stores, before anything is sent', async () => {
    const memory = createMemoryStore()
    const calls: [string, () => [string[], unknown[]], string][] = [
      ['too few keys', () => [[], ['a', 'b']], 'INVALID_ARGUMENT'],
      [
        'keys in two slots',
        () => [
          ['{a}:1', '{b}:2'],
          ['a', 'b'],
        ],
        'CROSSSLOT',
      ],
      [
        'a NaN argument',
        () => [
          ['{a}:1', '{a}:2'],
          [1, Number.NaN],
        ],
        'INVALID_ARGUMENT',
      ],
      [
        'an object argument',
        () => [
          ['{a}:1', '{a}:2'],
          [1, { by: 2 }],
        ],
        'INVALID_ARGUMENT',
      ],
    ]
    for (const store of [redis, memory]) {
      for (const [what, call, code] of calls) {
        const [keys, args] = call()
        const error = await store.eval(cappedIncrement, keys, args as never).catch((err: unknown) => err)
        expect(isKitError(error, code as never), `${store.name}: ${what}`).toBe(true)
      }
      // numbers and Buffers are accepted as they are
      const tag = randomBytes(6).toString('hex')
      const reply = await store.eval(
        cappedIncrement,
        [`{${tag}}:n`, `{${tag}}:log`],
        [1, Buffer.from('9'), 'x'],
      )
      expect(reply, store.name).toEqual([1, 1, 1, 'ok'])
    }
    await memory.close()
  })
})
