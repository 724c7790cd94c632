/**
 * Integer replies in one string: the twins' `integersReply` prints what Lua's string.format('%d')
 * prints on the real Redis (truncation toward zero, signs, -0), and `parseIntegers` reads it back.
 */
import fc from 'fast-check'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { integersReply, parseIntegers } from '../../src/stores/integers-reply.js'
import { redisUrl } from '../support/env.js'

describe('integer replies', () => {
  const redis = new Redis(redisUrl())
  afterAll(() => redis.disconnect())

  it('the twin prints what Lua prints, for integers and fractions of either sign', async () => {
    const values = [0, 1, -1, 42, -0.5, 0.5, 1.9, -1.9, 1795475183569, -1795475183569.7, 9e15]
    const lua = await redis.eval(
      `local out = {}
for i = 1, #ARGV do out[i] = string.format('%d', tonumber(ARGV[i])) end
return table.concat(out, ':')`,
      0,
      ...values.map(String),
    )
    expect(integersReply(...values)).toBe(lua)
    expect(parseIntegers(lua as string)).toEqual(values.map((v) => Math.trunc(v) + 0))
  })

  it('parseIntegers reads back any list of safe integers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), { minLength: 1, maxLength: 8 }),
        (values) => {
          expect(parseIntegers(integersReply(...values))).toEqual(values.map((v) => v + 0))
        },
      ),
      { numRuns: 1000, seed: 20261123 },
    )
  })
})
