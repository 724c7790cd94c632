/**
 * The feature-flag scripts: Lua on Redis and the JavaScript twin on memory give the same replies
 * and leave the same state (expectScriptParity), from states a real deployment has (mapped
 * users, a sequence, bits, rollouts), damaged ones (non-numeric offsets, an exhausted sequence)
 * and keys of the wrong type.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { checkFlags, setFlag } from '../../src/bitmaps/flag-scripts.js'
import { createRedisStore, type RedisStore } from '../../src/stores/index.js'
import { redisUrl } from '../support/env.js'
import { expectScriptParity, type SymbolicCommand } from '../support/script-parity.js'

const user = fc.constantFrom('alice', 'bob', 'carol', 'é😀', '0')
const flag = fc.constantFrom('beta', 'new-ui', 'x:y')
// no offset near 2^32-1 that the script would set: that bit alone is 512 MB
const offsetText = fc.constantFrom('0', '1', '2', '17', '4294967296', 'abc', '', '-1', '1.5')
const seqText = fc.constantFrom('0', '3', '18', '4294967296', '9223372036854775807', 'abc')
const bit = fc.tuple(fc.integer({ min: 0, max: 20 }), fc.constantFrom(0, 1))

/** Commands building a state of the script's keys: realistic, damaged, or of the wrong type. */
function state(keys: readonly string[]): fc.Arbitrary<SymbolicCommand[]> {
  const has = (key: string) => keys.includes(key)
  const bitmaps = keys.filter((key) => /^(on|off)/.test(key))
  const command: fc.Arbitrary<SymbolicCommand>[] = [
    fc.tuple(user, offsetText).map(([u, o]): SymbolicCommand => ['hset', '$ids', { [u]: o }]),
    fc.array(flag, { minLength: 1, maxLength: 3 }).map((f): SymbolicCommand => ['sadd', '$names', f]),
    fc
      .tuple(fc.constantFrom(...bitmaps), bit)
      .map(([key, [o, v]]): SymbolicCommand => ['setbit', `$${key}`, o, v]),
    // the wrong type
    fc.constantFrom<SymbolicCommand>(
      ['sadd', '$ids', ['x']],
      ['set', '$names', 'x'],
      ['sadd', `$${bitmaps[0]}`, ['x']],
      ['zadd', `$${bitmaps.at(-1)}`, [{ member: 'a', score: 1 }]],
    ),
  ]
  if (has('seq')) {
    command.push(seqText.map((s): SymbolicCommand => ['set', '$seq', s]))
    command.push(fc.constant<SymbolicCommand>(['hset', '$seq', { a: '1' }]))
  }
  if (has('rollout')) {
    const percent = fc.tuple(flag, fc.constantFrom('0', '10', '55.5', '100'))
    command.push(percent.map(([f, p]): SymbolicCommand => ['hset', '$rollout', { [f]: p }]))
    command.push(fc.constant<SymbolicCommand>(['set', '$rollout', 'x']))
  }
  return fc.array(fc.oneof(...command), { maxLength: 6 })
}

/** The names part of a check reply is in set order, which differs between stores: sort it. */
function sortNames(reply: unknown): unknown {
  if (!Array.isArray(reply)) return reply
  const count = reply[0] as number
  return [count, [...reply.slice(1, 1 + count)].sort(), ...reply.slice(1 + count)]
}

describe('flag scripts: Lua on Redis = JavaScript twin on memory', () => {
  let redis: RedisStore
  beforeAll(() => {
    redis = createRedisStore(redisUrl())
  })
  afterAll(() => redis.close())

  it('flags:set maps the user once and sets both bits (enable, disable, reset)', async () => {
    const args = fc.tuple(user, flag, fc.constantFrom('1', '0', '-'))
    await expectScriptParity(setFlag, args, { setup: state(setFlag.keys), redis, calls: { min: 1, max: 4 } })
  })

  it.each([1, 3])('flags:check/%i reads names, bits and rollouts', async (count) => {
    const script = checkFlags(count)
    const args = fc
      .tuple(user, fc.constantFrom('0', '1'), fc.array(flag, { minLength: count, maxLength: count }))
      .map(([u, withNames, flags]) => [u, withNames, ...flags])
    await expectScriptParity(script, args, { setup: state(script.keys), redis, normalizeReply: sortNames })
  })
})
