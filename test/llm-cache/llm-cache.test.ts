/**
 * The LLM cache on every store: get/set under equivalent spellings, scopes that never leak,
 * sampled requests cached only on opt-in, wrap's single flight (1 model call for 100 concurrent
 * identical prompts, in one process and across two), errors never cached, accounting, clear.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { storeMatrix } from '../support/stores.js'
import { completion, type LLMPair, llmPair, until, user } from './helpers.js'

const opts = { model: 'gpt-4o', temperature: 0 }

describe.each(storeMatrix())('llm cache on $name', (c) => {
  let p: LLMPair | undefined
  afterEach(async () => {
    await p?.close()
    p = undefined
  })

  it('answers a request however it is spelled, and only that request', async () => {
    p = await llmPair(c)
    const answer = completion('Redis is an in-memory data store.')
    expect(await p.a.get([user('What is Redis?')], opts)).toBeUndefined()
    expect(await p.a.set([user('What is Redis?')], opts, answer)).toBe(true)
    expect(
      await p.b.get([{ content: 'What is Redis?', role: 'user', id: 'x' }], {
        temperature: 0,
        model: 'gpt-4o',
      }),
    ).toEqual(answer)
    expect(await p.b.get([user('What is Redis?')], { ...opts, model: 'gpt-4o-mini' })).toBeUndefined()
    expect(p.b.stats()).toMatchObject({ hits: 1, misses: 1, tokensSaved: 150 })
  })

  it("never serves one scope's answer to another", async () => {
    p = await llmPair(c, { private: true })
    const q = [user('What did I say yesterday?')]
    await p.a.set(q, opts, completion('You said: secret A'), { scope: { tenant: 't', user: 'alice' } })
    expect(await p.b.get(q, opts, { scope: { tenant: 't', user: 'bob' } })).toBeUndefined()
    expect(await p.b.get(q, opts, { scope: { tenant: 't2', user: 'alice' } })).toBeUndefined()
    expect(await p.b.get(q, opts, { scope: { user: 'alice', tenant: 't' } })).toEqual(
      completion('You said: secret A'),
    )
    const err = await p.b.get(q, opts).catch((e: unknown) => e)
    expect(isKitError(err, 'INVALID_ARGUMENT') && /private: pass a scope/.test(err.message)).toBe(true)
    const wrapped = p.b.wrap(
      async (_req: { messages: unknown[]; model: string }, _userId: string) => completion('fresh'),
      {
        scope: (_req, userId) => ({ user: userId }),
      },
    )
    expect(await wrapped({ messages: q, model: 'gpt-4o' }, 'carol')).toEqual(completion('fresh'))
    expect(await p.a.get(q, { model: 'gpt-4o' }, { scope: { user: 'carol' } })).toEqual(completion('fresh'))
    expect(await p.a.get(q, { model: 'gpt-4o' }, { scope: { user: 'alice' } })).toBeUndefined()
  })

  it('caches sampled requests (temperature > 0 without seed) only when opted in', async () => {
    p = await llmPair(c)
    const q = [user('Write a poem')]
    expect(await p.a.set(q, { model: 'm', temperature: 0.7 }, 'poem')).toBe(false)
    expect(await p.a.get(q, { model: 'm', temperature: 0.7 })).toBeUndefined()
    expect(await p.a.set(q, { model: 'm', temperature: 0.7, seed: 1 }, 'seeded')).toBe(true)
    expect(await p.a.get(q, { model: 'm', temperature: 0.7, seed: 1 })).toBe('seeded')
    let calls = 0
    const sampled = p.a.wrap(async (_r: object) => ++calls)
    await sampled({ messages: q, model: 'm', temperature: 1 })
    await sampled({ messages: q, model: 'm', temperature: 1 })
    expect(calls).toBe(2)
    expect(p.a.stats().skipped).toBe(4)
    const optedIn = p.a.wrap(async (_r: object) => ++calls, { nondeterministic: true })
    await optedIn({ messages: q, model: 'm', temperature: 1 })
    await optedIn({ messages: q, model: 'm', temperature: 1 })
    expect(calls).toBe(3)
  })

  it('wrap: 100 concurrent identical prompts make one model call', async () => {
    p = await llmPair(c)
    let calls = 0
    const model = async (req: { messages: unknown[]; model: string }) => {
      calls++
      await new Promise((resolve) => setTimeout(resolve, 50))
      return completion(`answer to ${(req.messages[0] as { content: string }).content}`)
    }
    const chat = p.a.wrap(model)
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => chat({ messages: [user('hi')], model: 'gpt-4o' })),
    )
    expect(calls).toBe(1)
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1)
    expect(p.a.stats()).toMatchObject({ misses: 1, hits: 99, tokensSaved: 99 * 150 })
    expect(p.a.stats().byModel['gpt-4o']).toMatchObject({ hits: 99, misses: 1 })
  })

  it('wrap: identical prompts in two processes make one model call', async () => {
    p = await llmPair(c)
    let calls = 0
    const model = async (_req: object) => {
      calls++
      await new Promise((resolve) => setTimeout(resolve, 100))
      return completion('once')
    }
    const [a, b] = [p.a.wrap(model), p.b.wrap(model)]
    const req = { messages: [user('same')], model: 'gpt-4o' }
    const all = await Promise.all([
      ...Array.from({ length: 50 }, () => a(req)),
      ...Array.from({ length: 50 }, () => b(req)),
    ])
    expect(calls).toBe(1)
    expect(new Set(all.map((x) => JSON.stringify(x)))).toEqual(new Set([JSON.stringify(completion('once'))]))
  })

  it('never caches an error', async () => {
    p = await llmPair(c)
    let calls = 0
    const flaky = p.a.wrap(async (_req: object) => {
      calls++
      if (calls === 1) throw new Error('rate limited')
      return completion('ok')
    })
    const req = { messages: [user('q')], model: 'gpt-4o' }
    await expect(flaky(req)).rejects.toThrow('rate limited')
    expect(await flaky(req)).toEqual(completion('ok'))
    expect(await flaky(req)).toEqual(completion('ok'))
    expect(calls).toBe(2)
    expect(p.a.stats()).toMatchObject({ errors: 1, hits: 1 })
  })

  it('estimates the cost saved from usage and pricing, per model', async () => {
    p = await llmPair(c, { pricing: { 'gpt-4o': { input: 2.5, output: 10 } } })
    await p.a.set([user('q')], opts, completion('a', { prompt_tokens: 1000, completion_tokens: 500 }))
    await p.a.get([user('q')], opts)
    await p.a.get([user('q')], opts)
    const stats = p.a.stats()
    expect(stats.tokensSaved).toBe(3000)
    expect(stats.costSaved).toBeCloseTo((2 * (1000 * 2.5 + 500 * 10)) / 1e6, 10)
    expect(stats.byModel['gpt-4o']!.costSaved).toBeCloseTo(stats.costSaved, 10)
  })

  it('invalidates answers by tag (e.g. when the documents behind them change)', async () => {
    p = await llmPair(c)
    const chat = p.a.wrap(
      async (req: { messages: { content: string }[] }) => `answer ${req.messages[0]!.content}`,
      {
        tags: ['docs:v1'],
      },
    )
    await chat({ messages: [user('q1')], model: 'm' } as never)
    await p.a.set([user('q2')], { model: 'm' }, 'kept', { tags: ['other'] })
    expect(await p.b.get([user('q1')], { model: 'm' })).toBe('answer q1')
    await p.b.invalidateTags(['docs:v1'])
    expect(await p.b.get([user('q1')], { model: 'm' })).toBeUndefined()
    // the other process drops its L1 copy once the bus delivered
    await until(
      'A sees the invalidation',
      async () => (await p!.a.get([user('q1')], { model: 'm' })) === undefined,
    )
    expect(await p.a.get([user('q2')], { model: 'm' })).toBe('kept')
  })

  it('clears one scope, or everything', async () => {
    p = await llmPair(c)
    await p.a.set([user('q')], opts, 'alice', { scope: 'alice' })
    await p.a.set([user('q')], opts, 'bob', { scope: 'bob' })
    await p.a.set([user('q')], opts, 'shared')
    expect(await p.a.clear('alice')).toBe(1)
    expect(await p.b.get([user('q')], opts, { scope: 'alice' })).toBeUndefined()
    expect(await p.b.get([user('q')], opts, { scope: 'bob' })).toBe('bob')
    expect(await p.a.clear()).toBe(2)
    expect(await p.b.get([user('q')], opts)).toBeUndefined()
  })
})
