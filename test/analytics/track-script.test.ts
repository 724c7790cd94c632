/**
 * The analytics write script: Lua on Redis and the JavaScript twin on memory give the same replies
 * and leave the same state (expectScriptParity), for single events, groups of events with many
 * users (PFADD in chunks inside Lua), breakdown fields, days past retention (ttl 0), on random
 * states of the keys (wrong types, non-numeric counters) and realistic ones.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { trackScript } from '../../src/analytics/track-script.js'
import { createRedisStore, type RedisStore } from '../../src/stores/index.js'
import { redisUrl } from '../support/env.js'
import { expectScriptParity, randomState, type SymbolicCommand } from '../support/script-parity.js'

const user = fc.constantFrom('u1', 'u2', 'é😀', 'user:with:colons', ' ')
const many = Array.from({ length: 1234 }, (_, i) => `bulk-${i}`)
const users = fc.oneof(
  { arbitrary: fc.array(user, { maxLength: 4 }), weight: 9 },
  { arbitrary: fc.constant(many), weight: 1 },
)
const field = fc.constantFrom('model=gpt', 'model=claude', 'plan=pro', 'model=a=b')

describe('analytics:track: Lua on Redis = JavaScript twin on memory', () => {
  let redis: RedisStore
  beforeAll(() => {
    redis = createRedisStore(redisUrl())
  })
  afterAll(() => redis.close())

  it('analytics:track records counts, users, the day and its breakdown in one script', async () => {
    const args = fc
      .tuple(
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(0, 1000, 90_000),
        users,
        fc.array(fc.tuple(field, fc.integer({ min: 1, max: 3 })), { maxLength: 3 }),
      )
      .map(([count, ttl, ids, fields]) => [count, ttl, ids.length, ...ids, ...fields.flat()])
    const realistic = fc
      .tuple(fc.integer({ min: 0, max: 100 }), fc.array(user, { maxLength: 3 }))
      .map(([total, ids]): SymbolicCommand[] => [
        ['set', '$total', String(total)],
        ...(ids.length > 0 ? [['pfadd', '$users', ids] as SymbolicCommand] : []),
        ['hset', '$dayProps', { 'model=gpt': '2' }],
      ])
    await expectScriptParity(trackScript, args, {
      setup: fc.oneof(randomState(trackScript), realistic),
      redis,
      calls: { min: 1, max: 3 },
    })
  })
})
