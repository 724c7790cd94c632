/**
 * A real Redis restart (no persistence: the stream and its consumer group are gone). A consumer
 * gets NOGROUP, creates the group again and handles what is appended afterwards; a tail started
 * before the restart follows the new entries.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createRedisStore, type RedisStore } from '../../src/stores/redis.js'
import { createStreams, type Streams } from '../../src/streams/index.js'
import { type RedisServer, startRedisServer } from '../support/redis.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) if (await check()) return
  throw new Error(`timed out waiting for ${what}`)
}

describe('streams across a Redis restart', () => {
  let server: RedisServer | undefined
  let store: RedisStore | undefined
  let streams: Streams | undefined
  afterEach(async () => {
    await streams?.close()
    await store?.close()
    await server?.stop()
  })

  it('the consumer group is created again (NOGROUP) and consuming goes on; a tail follows on', async () => {
    server = await startRedisServer()
    store = createRedisStore({ url: server.url, connectTimeout: '300ms' })
    streams = createStreams(store, { block: '500ms', maxLen: false })
    const handled: string[] = []
    const consumer = streams.consume<string>('work', 'g', (item) => void handled.push(item.data))
    const tailed: string[] = []
    const tail = (async () => {
      for await (const item of streams!.tail<string>('work')) if (tailed.push(item.data) === 2) break
    })()
    await until(() => streams!.stats().tails === 1, 'the tail')
    await sleep(50)
    await streams.append('work', 'before')
    await until(() => handled.includes('before') && tailed.includes('before'), 'the first entry')

    await server.restart()
    expect(await store.exists(['kit:streams:work']).catch(() => 0)).toBe(0)
    await until(
      () =>
        streams!.append('work', 'after').then(
          () => true,
          () => false,
        ),
      'Redis to be back',
    )
    await until(() => handled.includes('after'), 'the entry appended after the restart')
    await tail
    expect(tailed).toEqual(['before', 'after'])
    expect(handled).toEqual(['before', 'after'])
    expect(await store.xinfoGroups('kit:streams:work')).toMatchObject([{ name: 'g', pending: 0 }])
    expect(consumer.stats().acked).toBe(2)
  }, 30_000)
})
