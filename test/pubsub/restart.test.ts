/**
 * A Redis restart under the pub/sub primitive: publishing while Redis is down fails at once
 * (nothing is queued to be delivered later, to nobody); the subscriptions come back by
 * themselves, and a `gap` event (and each subscription's onGap) reports the time they were away.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { createPubSub, type PubSub } from '../../src/pubsub/index.js'
import { createRedisStore, type RedisStore } from '../../src/stores/redis.js'
import type { SubscriptionGap } from '../../src/stores/types.js'
import { type RedisServer, startRedisServer } from '../support/redis.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) if (await check()) return
  throw new Error(`timed out waiting for ${what}`)
}

describe('pub/sub across a Redis restart', () => {
  let server: RedisServer | undefined
  let store: RedisStore | undefined
  let pubsub: PubSub | undefined
  afterEach(async () => {
    await pubsub?.close()
    await store?.close()
    await server?.stop()
  })

  it('resubscribes by itself and reports the gap; publishes made while down are not queued', async () => {
    server = await startRedisServer()
    store = createRedisStore({ url: server.url, connectTimeout: '300ms' })
    pubsub = createPubSub(store)
    const got: string[] = []
    const gaps: (SubscriptionGap & { channels: string[] })[] = []
    const ownGaps: SubscriptionGap[] = []
    pubsub.on('gap', (gap) => gaps.push(gap))
    await pubsub.subscribe('news', (m: string) => void got.push(m), { onGap: (gap) => ownGaps.push(gap) })
    await pubsub.publish('news', 'before')
    await until(() => got.includes('before'), 'the first message')

    server.kill('SIGKILL')
    await until(() => store!.client.status !== 'ready', 'the connection to drop')
    const down = await pubsub.publish('news', 'while down').catch((err: unknown) => err)
    expect(isKitError(down, 'UNAVAILABLE')).toBe(true)
    await server.restart()
    await until(() => gaps.length === 1, 'the gap event')
    expect(gaps[0]!.channels).toEqual(['news'])
    expect(gaps[0]!.until).toBeGreaterThanOrEqual(gaps[0]!.since)
    expect(ownGaps).toEqual([{ since: gaps[0]!.since, until: gaps[0]!.until }])
    await until(
      () =>
        pubsub!.publish('news', 'after').then(
          () => true,
          () => false,
        ),
      'publishing again',
    )
    await until(() => got.includes('after'), 'a message after the restart')
    await sleep(50)
    expect(got.filter((m) => m !== 'after')).toEqual(['before']) // 'while down' never arrives
    expect(pubsub.stats().gaps).toBe(1)
  }, 30_000)
})
