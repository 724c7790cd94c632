import { type Action, EventType, type Memory, ModelType, type Plugin, type UUID } from '@elizaos/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { getAgentAnalytics, topicsOf, withUserRateLimit } from '../src/index.js'
import { MemoryDatabase } from './support/memory-database.js'
import { type RedisServer, startRedisServer } from './support/redis-server.js'
import { createFakeModel, eventually, newAgentId, startRuntime, type TestRuntime } from './support/runtime.js'

let redis: RedisServer
const started: TestRuntime[] = []
beforeAll(async () => {
  redis = await startRedisServer()
})
afterEach(async () => {
  await Promise.all(started.splice(0).map(({ runtime }) => runtime.stop()))
})
afterAll(async () => {
  await redis?.stop()
})

const greet: Action = withUserRateLimit({
  name: 'GREET',
  description: 'Greets the user',
  validate: async () => true,
  handler: async (_runtime, _message, _state, _options, callback) => {
    await callback?.({ text: 'Hello!' })
    return { success: true, text: 'greeted' }
  },
})
const actionsPlugin: Plugin = { name: 'test-actions', description: 'GREET', actions: [greet] }

async function start(settings: Record<string, string> = {}) {
  const running = await startRuntime({
    db: new MemoryDatabase(),
    model: createFakeModel(),
    redisUrl: redis.url,
    settings,
    plugins: [actionsPlugin],
  })
  started.push(running)
  return running.runtime
}

const userMessage = (roomId: UUID, entityId: UUID, text: string): Memory => ({
  id: newAgentId(),
  entityId,
  roomId,
  content: { text, source: 'discord' },
  createdAt: Date.now(),
})

describe('agent analytics from runtime events', () => {
  it('counts messages, unique users, trending topics, actions and model use', async () => {
    const runtime = await start()
    const roomId = newAgentId()
    // fixed ids: unique users are a HyperLogLog, where 3 random ids share a register about
    // once in 5,000 runs and then count as 2; these three are known to count as 3
    const [alice, bob, carol] = [
      '00000000-0000-4000-8000-00000000a11c',
      '00000000-0000-4000-8000-000000000b0b',
      '00000000-0000-4000-8000-0000000ca201',
    ] as [UUID, UUID, UUID]
    const texts: [UUID, string][] = [
      [alice, 'Tell me about #redis streams'],
      [bob, 'Is #redis faster than postgres?'],
      [alice, 'What about streams and consumer groups?'],
      [carol, 'I love #redis'],
    ]
    for (const [user, text] of texts) {
      // As a client (discord, telegram …) delivers a message to the agent.
      await runtime.emitEvent(EventType.MESSAGE_RECEIVED, {
        runtime,
        source: 'discord',
        message: userMessage(roomId, user, text),
      })
    }
    // The agent's own messages are not user traffic.
    await runtime.emitEvent(EventType.MESSAGE_RECEIVED, {
      runtime,
      source: 'discord',
      message: userMessage(roomId, runtime.agentId, 'I am the agent'),
    })

    // The runtime runs an action (ACTION_STARTED / ACTION_COMPLETED come from AgentRuntime itself).
    const trigger = userMessage(roomId, alice, 'hello')
    const replies: string[] = []
    await runtime.processActions(
      trigger,
      [{ entityId: runtime.agentId, roomId, content: { text: '', actions: ['GREET'] } }],
      undefined,
      async (content) => {
        replies.push(String(content.text))
        return []
      },
    )
    expect(replies).toEqual(['Hello!'])

    // A model plugin reports MODEL_USED with its token counts; a cached answer does not call it.
    await runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'Summarise the room' })
    await runtime.useModel(ModelType.TEXT_LARGE, { prompt: 'Summarise the room' })

    const analytics = await getAgentAnalytics(runtime)
    expect(analytics.messages.total).toBe(4)
    expect(analytics.messages.unique).toBe(3)
    expect(analytics.activeUsers).toBe(3)
    expect(analytics.messages.daily.at(-1)?.count).toBe(4)
    expect(analytics.trendingTopics[0]?.member).toBe('redis')
    expect(analytics.trendingTopics.map((t) => t.member)).toContain('streams')
    expect(analytics.actions).toEqual([{ value: 'GREET', count: 1 }])
    expect(analytics.actionStatus).toEqual([{ value: 'completed', count: 1 }])
    expect(analytics.models).toEqual([{ value: ModelType.TEXT_LARGE, count: 1 }])
    expect(analytics.tokens[ModelType.TEXT_LARGE]).toBe('Summarise the room'.length + 10)
    // Cache hits and misses are recorded in the background (off the answer's path).
    await eventually(async () =>
      expect((await getAgentAnalytics(runtime)).modelCache).toEqual({ hits: 1, misses: 1 }),
    )
  })

  it('extracts topics from hashtags and longer words, skipping stop words', () => {
    expect(topicsOf('Could you explain #Redis #streams and consumer groups, please?')).toEqual([
      'redis',
      'streams',
      'explain',
      'consumer',
      'groups',
    ])
  })
})

describe('per-user message rate limit in an action’s validate', () => {
  it('refuses a user past the limit, once per message however often validate runs, per user', async () => {
    const runtime = await start({ REDIS_KIT_USER_RATE_LIMIT: '3', REDIS_KIT_USER_RATE_WINDOW: '1m' })
    const action = runtime.actions.find((a) => a.name === 'GREET') as Action
    const roomId = newAgentId()
    const [dave, erin] = [newAgentId(), newAgentId()]

    const results: boolean[] = []
    for (let i = 0; i < 4; i++) {
      const msg = userMessage(roomId, dave, `message ${i}`)
      results.push(await action.validate(runtime, msg))
      // The runtime may validate the same message several times: it is charged once.
      expect(await action.validate(runtime, msg)).toBe(results[i])
    }
    expect(results).toEqual([true, true, true, false])
    expect(await action.validate(runtime, userMessage(roomId, erin, 'hi'))).toBe(true)
  })
})
