/**
 * The pub/sub primitive on every store: JSON payloads, patterns, typed channel families with
 * schemas, one store subscription for many local handlers, isolation of a throwing handler,
 * unsubscribing, and bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { isKitError } from '../../src/errors.js'
import { createPubSub, type PubSub } from '../../src/pubsub/index.js'
import type { Store } from '../../src/stores/types.js'
import { storeMatrix, testPrefix } from '../support/stores.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await sleep(10)
  if (!check()) throw new Error(`timed out waiting for ${what}`)
}

describe.each(storeMatrix())('pubsub on $name', ({ create }) => {
  let store: Store
  let pubsub: PubSub
  beforeAll(() => {
    store = create()
    pubsub = createPubSub(store, { prefix: testPrefix('pubsub') })
  })
  afterAll(async () => {
    await pubsub.close()
    await store.close()
  })

  it("the seeds' publish; JSON payloads reach every subscriber with their channel", async () => {
    const got: unknown[] = []
    const off = await pubsub.subscribe(
      'chat:1',
      (payload, message) => void got.push([payload, message.channel]),
    )
    const payload = { type: 'new_message', content: 'hi', at: new Date(5), list: [1, null] }
    expect(await pubsub.publish('chat:1', payload)).toBeGreaterThanOrEqual(0)
    await pubsub.publish('chat:1', 'plain text')
    await pubsub.publish('chat:2', 'elsewhere')
    await until(() => got.length === 2, 'two messages')
    await sleep(30)
    expect(got).toEqual([
      [payload, 'chat:1'],
      ['plain text', 'chat:1'],
    ])
    await off()
    await off()
  })

  it('patterns: chat:* gets every chat channel, with the channel and the pattern', async () => {
    const got: string[] = []
    const off = await pubsub.subscribe(
      'room:*',
      (p: string, m) => void got.push(`${m.pattern}|${m.channel}|${p}`),
    )
    await pubsub.publish('room:a', 'x')
    await pubsub.publish('other:a', 'no')
    await pubsub.publish('room:b', 'y')
    await until(() => got.length === 2, 'two messages')
    expect(got.sort()).toEqual(['room:*|room:a|x', 'room:*|room:b|y'])
    await off()
  })

  it('many local subscribers share one store subscription; each gets every message once', async () => {
    const counts = new Array(50).fill(0)
    const offs = await Promise.all(counts.map((_, i) => pubsub.subscribe('fan', () => void counts[i]++)))
    offs.push(
      await pubsub.subscribe('fan', () => {
        throw new Error('a broken handler (expected by the test)')
      }),
    )
    expect(pubsub.stats().subscriptions).toBe(1)
    expect(pubsub.stats().subscribers).toBe(51)
    for (let i = 0; i < 3; i++) await pubsub.publish('fan', i)
    await until(() => counts.every((n) => n === 3), 'every subscriber')
    await Promise.all(offs.map((off) => off()))
    expect(pubsub.stats().subscriptions).toBe(0)
    await pubsub.publish('fan', 'after')
    await sleep(30)
    expect(counts.every((n) => n === 3)).toBe(true)
  })

  it('typed channels: parameters, a schema on publish and on receipt, wildcard subscriptions', async () => {
    const Message = z.object({ text: z.string() })
    const chat = pubsub.channel('chat:{room}:{user}', Message)
    const exact: string[] = []
    const any: string[] = []
    const off1 = await chat.subscribe(
      { room: 'r1', user: 'u*1' },
      (m, info) => void exact.push(`${info.params.user}:${m.text}`),
    )
    const off2 = await chat.subscribe(
      { room: 'r1' },
      (m, info) => void any.push(`${info.params.user}:${m.text}`),
    )
    expect(chat.name({ room: 'r1', user: 'u*1' })).toBe('chat:r1:u*1')
    await chat.publish({ room: 'r1', user: 'u*1' }, { text: 'hello' })
    await chat.publish({ room: 'r1', user: 'u2' }, { text: 'hey' })
    await chat.publish({ room: 'r2', user: 'u2' }, { text: 'other room' })
    await pubsub.publish('chat:r1:u2', { text: 42 }) // not the schema: dropped on receipt
    // the invalid message comes last; on a loaded machine more than 30 ms after the others
    await until(
      () => any.length === 2 && exact.length === 1 && pubsub.stats().invalid >= 1,
      'the messages, and the invalid one dropped',
    )
    await sleep(30)
    expect(exact).toEqual(['u*1:hello'])
    expect(any.sort()).toEqual(['u*1:hello', 'u2:hey'])
    const err = await chat.publish({ room: 'r1', user: 'u2' }, { text: 1 } as never).catch((e) => e)
    expect(isKitError(err, 'INVALID_ARGUMENT')).toBe(true)
    await off1()
    await off2()
  })

  it('bad input fails with typed errors', async () => {
    const fails = async (call: () => unknown) => {
      const err = await Promise.resolve()
        .then(call)
        .then(
          () => undefined,
          (e: unknown) => e,
        )
      expect(isKitError(err, 'INVALID_ARGUMENT'), String(err)).toBe(true)
    }
    await fails(() => pubsub.publish('', 'x'))
    await fails(() => pubsub.publish('c', undefined))
    await fails(() => pubsub.publish('c', { n: Number.POSITIVE_INFINITY }))
    await fails(() => pubsub.publish('c', Buffer.from('raw')))
    await fails(() => pubsub.subscribe('c', 'not a function' as never))
    await fails(() => pubsub.channel('chat:{id}').publish({ id: '' }, 'x'))
    expect(() => createPubSub(store, { prefix: 'a*' })).toThrow(/INVALID_OPTIONS|glob/)
  })
})
