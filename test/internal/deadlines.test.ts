/**
 * The checks' deadline: a call that does not answer is a TIMEOUT; a call whose reply arrived while
 * this process was stalled (GC, a busy CPU) is not — the reply is read before late calls expire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { Deadlines } from '../../src/internal/deadlines.js'
import { createRedisStore, type RedisStore } from '../../src/stores/redis.js'
import { redisUrl } from '../support/env.js'

function stall(ms: number): void {
  const until = Date.now() + ms
  while (Date.now() < until) {
    // the event loop is blocked, as under a long GC pause
  }
}

describe('Deadlines', () => {
  let redis: RedisStore
  beforeAll(async () => {
    redis = createRedisStore(redisUrl())
    await redis.ping()
  })
  afterAll(() => redis.close())

  it('a call that never answers fails with TIMEOUT', async () => {
    const deadlines = new Deadlines(20, 'test call')
    const error = await deadlines.bound(new Promise(() => {})).catch((err: unknown) => err)
    expect(isKitError(error, 'TIMEOUT')).toBe(true)
    expect((error as Error).message).toMatch(/test call timed out after 20 ms/)
  })

  it('a reply that arrived during a stall of this process wins over the deadline', async () => {
    const deadlines = new Deadlines(20, 'test call')
    const calls = Array.from({ length: 20 }, () => deadlines.bound(redis.ping()))
    await new Promise((resolve) => setImmediate(resolve)) // ioredis writes pipelined calls on setImmediate
    stall(200) // Redis answered long ago; every deadline is past when the loop resumes
    const settled = await Promise.allSettled(calls)
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([])
  })

  it('answers and failures pass through unchanged', async () => {
    const deadlines = new Deadlines(1000, 'test call')
    await expect(deadlines.bound(Promise.resolve(7))).resolves.toBe(7)
    await expect(deadlines.bound(Promise.reject(new Error('boom')))).rejects.toThrow('boom')
  })
})
