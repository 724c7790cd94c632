/**
 * The trending scripts: Lua on Redis and the JavaScript twin on memory give the same replies and
 * leave the same state (expectScriptParity), on random states of their keys and on realistic ones
 * (buckets with scores, a cached union, epochs before, at and after the bump's).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { decayBump } from '../../src/sorted-sets/decaying.js'
import { bumpBucket, unionTop } from '../../src/sorted-sets/trending-scripts.js'
import { createRedisStore, type RedisStore } from '../../src/stores/index.js'
import { redisUrl } from '../support/env.js'
import { expectScriptParity, randomState, type SymbolicCommand } from '../support/script-parity.js'

const member = fc.constantFrom('a', 'b', 'c', 'é😀', '')
const score = fc.oneof(
  fc.constantFrom(1, 2, 0.5, 3.25, 1e-4, 1e20, 65_535.9, 0, -1),
  fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
)
const zadd = (key: string) =>
  fc
    .array(fc.tuple(member, score), { minLength: 1, maxLength: 4 })
    .map((entries): SymbolicCommand => ['zadd', key, entries.map(([m, s]) => ({ member: m, score: s }))])

describe('trending scripts: Lua on Redis = JavaScript twin on memory', () => {
  let redis: RedisStore
  beforeAll(() => {
    redis = createRedisStore(redisUrl())
  })
  afterAll(() => redis.close())

  it('trending:bump increments in the bucket and sets its expiry', async () => {
    const increment = fc.constantFrom(1, 2, 0.5, 1e-3, 1e20, 123.456)
    const ttl = fc.constantFrom(60_000, 3_600_000, 90_000_000)
    const setup = fc.oneof(randomState(bumpBucket), fc.array(zadd('$bucket'), { maxLength: 2 }))
    await expectScriptParity(bumpBucket, fc.tuple(increment, member, ttl), {
      setup,
      redis,
      calls: { min: 1, max: 4 },
    })
  })

  it.each([1, 4])(
    'trending:top/%i unions the buckets once, caches the union, reads its top',
    async (buckets) => {
      const script = unionTop(buckets)
      const names = script.keys.slice(1).map((name) => `$${name}`)
      const realistic = fc
        .tuple(
          fc.array(fc.constantFrom(...names).chain(zadd), { maxLength: 6 }),
          fc.option(zadd('$union'), { nil: undefined }),
        )
        .map(([commands, union]) => (union ? [...commands, union] : commands))
      const weight = fc.constantFrom(1, 0.5, 0.25, 1 / 3, 0.9999, 1e-9)
      const args = fc
        .tuple(
          fc.constantFrom(1000, 60_000),
          fc.integer({ min: 1, max: 5 }),
          fc.array(weight, { minLength: buckets, maxLength: buckets }),
        )
        .map(([cacheMs, n, weights]) => [cacheMs, n, ...weights])
      await expectScriptParity(script, args, { setup: fc.oneof(randomState(script), realistic), redis })
    },
  )

  it('trending:decay-bump brings the set to the bump’s epoch, scales late bumps, trims', async () => {
    const k = 30_000
    const epoch = fc.constantFrom(
      String(k - 1),
      String(k),
      String(k + 1),
      String(k - 2000),
      '0',
      'abc',
      '-1',
      '1.5',
    )
    const realistic = fc
      .tuple(fc.array(zadd('$set'), { maxLength: 2 }), fc.option(epoch, { nil: undefined }))
      .map(([commands, e]): SymbolicCommand[] =>
        e === undefined ? commands : [...commands, ['set', '$epoch', e]],
      )
    const args = fc
      .tuple(
        member,
        fc.constantFrom(1, 3.5, 65_535.9, 1e-3, 2 ** 15),
        fc.constantFrom(k, k + 1, k - 1),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(0.001, 0.5, 10),
      )
      .map(([m, increment, epochIndex, max, forget]) => [m, increment, epochIndex, 16, max, forget])
    await expectScriptParity(decayBump, args, {
      setup: fc.oneof(randomState(decayBump), realistic),
      redis,
      calls: { min: 1, max: 4 },
    })
  })
})
