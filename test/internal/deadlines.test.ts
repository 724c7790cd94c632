/**
 * The checks' deadline: a call that does not answer is a TIMEOUT; a call whose reply arrived while
 * this process was stalled (GC, a busy CPU) is not — the reply is read before late calls expire.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
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

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

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

  it('only the calls that never answer time out, wherever they sit among answered ones', async () => {
    const deadlines = new Deadlines(20, 'test call', 5)
    const never = () => new Promise<number>(() => {})
    const first = [deadlines.bound(never()), deadlines.bound(Promise.resolve(1)), deadlines.bound(never())]
    await new Promise((resolve) => setTimeout(resolve, 10))
    const later = [deadlines.bound(Promise.resolve(2)), deadlines.bound(never())]
    const settled = await Promise.allSettled([...first, ...later])
    const outcome = settled.map((s) =>
      s.status === 'fulfilled' ? s.value : isKitError(s.reason, 'TIMEOUT') ? 'TIMEOUT' : s.reason,
    )
    expect(outcome).toEqual(['TIMEOUT', 1, 'TIMEOUT', 2, 'TIMEOUT'])
  })

  it('with handlers: answers, failures and TIMEOUTs go through them; a late answer does not', async () => {
    const deadlines = new Deadlines(20, 'test call')
    const seen: unknown[] = []
    const onValue = (v: number) => {
      seen.push(v)
      return `value ${v}`
    }
    const onError = (err: unknown) =>
      isKitError(err, 'TIMEOUT') ? 'timeout' : `error ${(err as Error).message}`
    await expect(deadlines.bound(Promise.resolve(7), onValue, onError)).resolves.toBe('value 7')
    await expect(deadlines.bound(Promise.reject(new Error('boom')), onValue, onError)).resolves.toBe(
      'error boom',
    )
    let answer: (v: number) => void = () => {}
    const late = new Promise<number>((resolve) => {
      answer = resolve
    })
    await expect(deadlines.bound(late, onValue, onError)).resolves.toBe('timeout')
    answer(8)
    await new Promise((resolve) => setImmediate(resolve))
    expect(seen).toEqual([7]) // 8 came after the TIMEOUT: never handled
    const thrown = deadlines.bound(Promise.resolve(1), () => {
      throw new Error('handler failed')
    })
    await expect(thrown).rejects.toThrow('handler failed')
  })

  it('a settled call is let go at once, not held until the next sweep', async () => {
    const deadlines = new Deadlines(60_000, 'test call') // no sweep runs during this test
    const refs: WeakRef<object>[] = []
    const call = (i: number) => {
      const onError = () => 'failed' // held only by the pending call
      refs.push(new WeakRef(onError))
      return deadlines.bound(Promise.resolve(i), String, onError)
    }
    await Promise.all(Array.from({ length: 50 }, (_, i) => call(i)))
    const pending = () => 'failed'
    const held = new WeakRef(pending)
    void deadlines.bound(new Promise<number>(() => {}), String, pending)
    await new Promise((resolve) => setImmediate(resolve))
    gc()
    expect(refs.flatMap((ref, i) => (ref.deref() === undefined ? [] : [i]))).toEqual([])
    expect(held.deref()).toBeDefined() // a call still pending is kept, for its TIMEOUT
  })

  it('200 calls answered in any order: exactly the unanswered ones time out', async () => {
    const deadlines = new Deadlines(300, 'test call', 20)
    let seed = 7
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed / 2147483648
    }
    const answered = Array.from({ length: 200 }, () => random() < 0.8)
    const calls = answered.map((answers, i) =>
      deadlines.bound(
        new Promise<number>((resolve) => {
          if (answers) setTimeout(() => resolve(i), Math.floor(random() * 30))
        }),
      ),
    )
    const settled = await Promise.allSettled(calls)
    const outcome = settled.map((s) => (s.status === 'fulfilled' ? s.value : isKitError(s.reason, 'TIMEOUT')))
    expect(outcome).toEqual(answered.map((answers, i) => (answers ? i : true)))
  })
})
