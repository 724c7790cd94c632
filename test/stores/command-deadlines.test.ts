/**
 * A standalone RedisStore times its commands out itself, with one timer (command-deadlines.ts)
 * instead of ioredis's timer per command: a command that gets no reply fails with TIMEOUT after
 * commandTimeout, the connection is reset and works again once Redis does; a reply that arrived
 * while this process stalled wins over the deadline; settled commands are let go as replies come.
 * A client passed in that auto-pipelines keeps auto-pipelining, with a deadline per call. The
 * commands the store makes itself keep what ioredis's own would do: its keyPrefix, byte replies.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { CommandDeadlines } from '../../src/stores/command-deadlines.js'
import { defineScript } from '../../src/stores/define-script.js'
import { createRedisStore, type RedisStore } from '../../src/stores/redis.js'
import { type RedisServer, startRedisServer } from '../support/redis.js'
import { redisCommand, waitUntil } from '../support/resp.js'

/** A command as the queue sees it: settled by hand, its rejection recorded. */
function fakeCommand(name: string, failures: string[]) {
  const command = {
    isSettled: false,
    reject(error: Error) {
      command.isSettled = true
      failures.push(`${name}: ${error.message}`)
    },
  }
  return command
}

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function stall(ms: number): void {
  const until = Date.now() + ms
  while (Date.now() < until) {
    // the event loop is blocked, as under a long GC pause
  }
}

describe('CommandDeadlines', () => {
  it('fails the commands still unsettled at their deadline, and only those', async () => {
    const failures: string[] = []
    const deadlines = new CommandDeadlines(30)
    const [a, b, c] = ['a', 'b', 'c'].map((name) => fakeCommand(name, failures))
    for (const command of [a, b, c]) deadlines.track(command!)
    a!.isSettled = true // answered in time
    await sleep(15)
    const d = fakeCommand('d', failures)
    deadlines.track(d)
    await waitUntil('the first deadlines', async () => failures.length >= 2, {
      timeoutMs: 2000,
      intervalMs: 5,
    })
    expect(failures).toEqual(['b: Command timed out', 'c: Command timed out'])
    d.isSettled = true
    await sleep(40)
    expect(failures).toHaveLength(2) // d settled before its deadline
    deadlines.stop()
  })

  it('lets settled commands go from the front as replies come, and keeps one out of order', () => {
    const deadlines = new CommandDeadlines(60_000) // no deadline passes during this test
    const commands = Array.from({ length: 5 }, (_, i) => fakeCommand(String(i), []))
    for (const command of commands) deadlines.track(command)
    commands[1]!.isSettled = true // a reply out of order: held until the one before it settles
    deadlines.release()
    expect(deadlines.size).toBe(5)
    commands[0]!.isSettled = true
    deadlines.release()
    expect(deadlines.size).toBe(3)
    for (const command of commands) command.isSettled = true
    deadlines.release()
    expect(deadlines.size).toBe(0)
    deadlines.stop()
  })

  it('a released command is let go at once, not held until the queue empties', async () => {
    const deadlines = new CommandDeadlines(60_000) // no deadline passes during this test
    const refs: WeakRef<object>[] = []
    const track = () => {
      const commands = Array.from({ length: 50 }, (_, i) => fakeCommand(String(i), []))
      for (const command of commands) {
        deadlines.track(command)
        refs.push(new WeakRef(command))
      }
      return commands
    }
    const answered = track()
    deadlines.track(fakeCommand('pending', [])) // the queue never empties in this test
    const behind = track()
    for (const command of [...answered, ...behind]) command.isSettled = true
    deadlines.release()
    await new Promise((resolve) => setImmediate(resolve))
    answered.length = 0
    behind.length = 0
    gc()
    // the 50 answered before the pending command are gone; the 50 after it wait behind it
    expect(refs.slice(0, 50).filter((ref) => ref.deref() !== undefined)).toEqual([])
    expect(refs.slice(50).filter((ref) => ref.deref() !== undefined)).toHaveLength(50)
    expect(deadlines.size).toBe(51)
    deadlines.stop()
  })

  it('a command settled between the sweep and its failure is not failed', async () => {
    const failures: string[] = []
    const deadlines = new CommandDeadlines(10)
    const command = fakeCommand('late', failures)
    deadlines.track(command)
    // due after the sweep, so it runs after it in the same timers phase once the stall ends
    setTimeout(() => {
      command.isSettled = true
    }, 15)
    stall(40)
    await sleep(30)
    expect(failures).toEqual([])
    deadlines.stop()
  })
})

describe('RedisStore command deadlines', () => {
  let server: RedisServer
  let store: RedisStore
  beforeAll(async () => {
    server = await startRedisServer()
    store = createRedisStore({ url: server.url, commandTimeout: '150ms' })
    await store.set('k', 'v')
  })
  afterAll(async () => {
    server?.kill('SIGCONT')
    await store?.close()
    await server?.stop()
  })

  it('leaves ioredis without a timer per command', () => {
    expect((store.client.options as { commandTimeout?: number }).commandTimeout).toBeUndefined()
  })

  it('a command Redis does not answer fails with TIMEOUT; the store works again after', async () => {
    server.kill('SIGSTOP')
    try {
      const started = performance.now()
      const error = await store.get('k').catch((err: unknown) => err)
      const elapsed = performance.now() - started
      expect(isKitError(error, 'TIMEOUT')).toBe(true)
      expect(elapsed).toBeGreaterThanOrEqual(140)
      expect(elapsed).toBeLessThan(5000)
    } finally {
      server.kill('SIGCONT')
    }
    await waitUntil('the store answers', async () => (await store.get('k').catch(() => null)) === 'v')
    expect(await store.get('k')).toBe('v')
  }, 20_000)

  it('the pub/sub connection has the same deadline: a SUBSCRIBE Redis does not answer fails with TIMEOUT', async () => {
    const off = await store.subscribe('first', () => {})
    server.kill('SIGSTOP')
    try {
      const started = performance.now()
      const error = await store.subscribe('second', () => {}).catch((err: unknown) => err)
      const elapsed = performance.now() - started
      expect(isKitError(error, 'TIMEOUT')).toBe(true)
      // the subscriber's own bound is 5 s: only the store's deadline answers this soon
      expect(elapsed).toBeLessThan(2500)
    } finally {
      server.kill('SIGCONT')
    }
    await off()
    await waitUntil('the store answers', async () => (await store.get('k').catch(() => null)) === 'v')
  }, 20_000)

  it("the commands it makes keep ioredis's keyPrefix (keys and script KEYS) and byte replies", async () => {
    const prefixed = createRedisStore({ url: server.url, ioredis: { keyPrefix: 'pre:' } })
    const incr = defineScript<number>({
      name: 'prefix-incr',
      keys: ['counter'],
      lua: "return redis.call('INCRBY', KEYS[1], ARGV[1])",
      run: (redis, [key], [by]) => redis.incrby(key!, Number(by)),
    })
    try {
      await prefixed.set('plain', 'v')
      expect(await prefixed.eval(incr, ['count'], [3])).toBe(3)
      expect(await redisCommand(server.port, ['GET', 'pre:plain'])).toBe('v')
      expect(await redisCommand(server.port, ['GET', 'pre:count'])).toBe('3')
      expect(await redisCommand(server.port, ['EXISTS', 'plain', 'count'])).toBe(0)
      const bytes = await prefixed.getBuffer('plain')
      expect(Buffer.isBuffer(bytes) && bytes.toString()).toBe('v')
    } finally {
      await prefixed.close()
    }
  })

  it('replies that arrived while this process stalled win over the deadline', async () => {
    const calls = Array.from({ length: 20 }, (_, i) => store.set(`stall:${i}`, String(i)))
    await new Promise((resolve) => setImmediate(resolve))
    stall(400) // Redis answered long ago; every deadline is past when the loop resumes
    const settled = await Promise.allSettled(calls)
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([])
  })
})

describe('RedisStore over a client of the caller that auto-pipelines', () => {
  let server: RedisServer
  let client: Redis
  let store: RedisStore
  beforeAll(async () => {
    server = await startRedisServer()
    client = new Redis(server.url, { enableAutoPipelining: true, maxRetriesPerRequest: 0 })
    store = createRedisStore({ client, commandTimeout: '150ms' })
    await store.set('k', 'v')
  })
  afterAll(async () => {
    server?.kill('SIGCONT')
    await store?.close()
    client?.disconnect()
    await server?.stop()
  })

  it('sends concurrent calls through its auto-pipeline', async () => {
    const calls = Array.from({ length: 10 }, () => store.get('k'))
    expect(client.autoPipelineQueueSize).toBeGreaterThan(0)
    expect(await Promise.all(calls)).toEqual(Array(10).fill('v'))
  })

  it('still gives each call a deadline (the client has no commandTimeout)', async () => {
    server.kill('SIGSTOP')
    try {
      const error = await store.get('k').catch((err: unknown) => err)
      expect(isKitError(error, 'TIMEOUT')).toBe(true)
    } finally {
      server.kill('SIGCONT')
    }
  }, 20_000)
})
