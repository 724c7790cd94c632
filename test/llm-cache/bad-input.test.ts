/**
 * Bad input fails with a RedisKitError whose code is stable and whose message names the fix:
 * non-array messages, messages that are not objects, prompts over maxPromptBytes, cycles, bad
 * scopes, bad options, wrong-shaped embeddings, wrapping what is not a function. Nothing is
 * written and the model is not called.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createCache } from '../../src/cache/index.js'
import { type ErrorCode, isKitError } from '../../src/errors.js'
import { createLLMCache } from '../../src/llm-cache/index.js'
import { storeMatrix } from '../support/stores.js'
import { type LLMPair, llmPair, user } from './helpers.js'

async function refuses(call: () => unknown, code: ErrorCode, fix: RegExp): Promise<void> {
  let error: unknown
  try {
    await call()
  } catch (err) {
    error = err
  }
  expect(isKitError(error, code), `expected ${code}, got ${String(error)}`).toBe(true)
  expect((error as Error).message).toMatch(fix)
}

describe.each(storeMatrix(['memory', 'redis']))('llm cache bad input on $name', (c) => {
  let p: LLMPair | undefined
  afterEach(async () => {
    await p?.close()
    p = undefined
  })

  it('refuses messages that are not an array of objects', async () => {
    p = await llmPair(c)
    await refuses(
      () => p!.a.get('hello' as never, { model: 'm' }),
      'INVALID_ARGUMENT',
      /messages must be an array/,
    )
    await refuses(
      () => p!.a.set({ role: 'user' } as never, { model: 'm' }, 'x'),
      'INVALID_ARGUMENT',
      /messages must be an array/,
    )
    await refuses(
      () => p!.a.get(['hi'], { model: 'm' }),
      'INVALID_ARGUMENT',
      /messages\[0\] must be an object/,
    )
    await refuses(
      () => p!.a.get([user('q')], 'gpt-4o' as never),
      'INVALID_ARGUMENT',
      /options must be an object/,
    )
    let calls = 0
    const chat = p.a.wrap(async (_req: unknown) => ++calls)
    await refuses(() => chat({ messages: 'hi', model: 'm' }), 'INVALID_ARGUMENT', /messages must be an array/)
    await refuses(() => chat('hi'), 'INVALID_ARGUMENT', /options.request/)
    expect(() => p!.a.wrapStream(async function* (_r: unknown) {})({ messages: 5 })).toThrow(
      /messages must be an array/,
    )
    expect(calls).toBe(0)
  })

  it('refuses prompts over maxPromptBytes, and cycles', async () => {
    p = await llmPair(c, { maxPromptBytes: 10_000 })
    const huge = [user('x'.repeat(20_000))]
    await refuses(() => p!.a.set(huge, { model: 'm' }, 'x'), 'VALUE_TOO_LARGE', /raise maxPromptBytes/)
    await refuses(
      () => p!.a.get([user('é'.repeat(6000))], { model: 'm' }),
      'VALUE_TOO_LARGE',
      /maxPromptBytes/,
    )
    let calls = 0
    await refuses(
      () => p!.a.wrap(async (_r: object) => ++calls)({ messages: huge, model: 'm' }),
      'VALUE_TOO_LARGE',
      /maxPromptBytes/,
    )
    expect(calls).toBe(0)
    const cyclic: Record<string, unknown> = { type: 'object' }
    cyclic.self = cyclic
    await refuses(
      () => p!.a.get([user('q')], { model: 'm', tools: [cyclic] }),
      'INVALID_ARGUMENT',
      /cycle.*fields.exclude/,
    )
    expect(p.a.stats()).toMatchObject({ hits: 0, misses: 0 })
  })

  it('refuses bad scopes and wrong-shaped embeddings', async () => {
    p = await llmPair(c, {
      semantic: { embed: (text: string) => (text.includes('bad') ? [Number.NaN] : [1, 2]) },
    })
    await refuses(
      () => p!.a.get([user('q')], {}, { scope: 42 as never }),
      'INVALID_ARGUMENT',
      /scope must be a string or an object/,
    )
    await refuses(() => p!.a.get([user('q')], {}, { scope: '' }), 'INVALID_ARGUMENT', /non-empty/)
    await refuses(
      () => p!.a.get([user('q')], {}, { scope: { user: undefined } }),
      'INVALID_ARGUMENT',
      /\{ user: userId \}/,
    )
    await refuses(
      () => p!.a.get([user('bad')], {}),
      'INVALID_ARGUMENT',
      /semantic.embed returned a non-finite number/,
    )
  })

  it('refuses bad options and arguments of the factory', async () => {
    p = await llmPair(c)
    const cache = createCache(p.storeA, { prefix: p.prefix })
    await refuses(() => createLLMCache(undefined as never), 'INVALID_ARGUMENT', /needs a cache/)
    await refuses(
      () => createLLMCache(cache, { ttl: -1, namespace: '' }),
      'INVALID_OPTIONS',
      /namespace: .*ttl: must be seconds/,
    )
    await refuses(
      () => createLLMCache(cache, { semantic: { embed: () => [1] } }),
      'INVALID_OPTIONS',
      /store: is required with semantic/,
    )
    await refuses(
      () => createLLMCache(cache, { semantic: { embed: 'openai' as never } }),
      'INVALID_OPTIONS',
      /semantic.embed: must be a function/,
    )
    await refuses(() => createLLMCache(cache, { maxPromptBytes: 0 }), 'INVALID_OPTIONS', /maxPromptBytes/)
    await refuses(() => p!.a.wrap('model' as never), 'INVALID_ARGUMENT', /function that calls the model/)
    await cache.close()
  })
})
