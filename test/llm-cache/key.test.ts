/**
 * Key canonicalisation: the same request however it is spelled (object key order, NFC, undefined
 * fields, camelCase aliases, message ids and timestamps) has one key; anything that changes the
 * answer (model, temperature, top_p, max tokens, tools and schemas, response format, seed, system
 * prompt, scope) changes it. Pure: no store involved beyond building the cache.
 */
import { describe, expect, it } from 'vitest'
import { createCache } from '../../src/cache/index.js'
import { createLLMCache, type LLMCacheOptions } from '../../src/llm-cache/index.js'
import { createMemoryStore } from '../../src/stores/memory/index.js'
import { user } from './helpers.js'

const llmWith = (options: LLMCacheOptions = {}) => createLLMCache(createCache(createMemoryStore()), options)
const llm = llmWith()
const base = { model: 'gpt-4o', temperature: 0, max_tokens: 200 }
const messages = [{ role: 'system', content: 'You are terse.' }, user('What is Redis?')]
const key = (m: readonly unknown[] = messages, o: object = base) => llm.keyOf(m, o)

describe('llm cache keys', () => {
  it('does not depend on object key order, NFC form or undefined fields', () => {
    const k = key()
    expect(key(messages, { max_tokens: 200, temperature: 0, model: 'gpt-4o' })).toBe(k)
    expect(key(messages, { ...base, top_p: undefined, tools: undefined })).toBe(k)
    expect(
      key([
        { content: 'You are terse.', role: 'system' },
        { content: 'What is Redis?', role: 'user' },
      ]),
    ).toBe(k)
    const composed = [user('caf\u00e9')]
    const decomposed = [user('cafe\u0301')]
    expect(key(composed)).toBe(key(decomposed))
    expect(key(composed)).not.toBe(key([user('cafe')]))
  })

  it('spells options one way (maxTokens = max_tokens) and ignores transport fields and message ids', () => {
    const k = key()
    expect(key(messages, { model: 'gpt-4o', temperature: 0, maxTokens: 200 })).toBe(k)
    expect(
      key(messages, { ...base, stream: true, signal: new AbortController().signal, user: 'u1', timeout: 5 }),
    ).toBe(k)
    const stamped = messages.map((m, i) => ({ ...m, id: `m${i}`, timestamp: new Date().toISOString() }))
    expect(key(stamped)).toBe(k)
    expect(key([messages[0]!, { role: 'user', content: [{ type: 'text', text: 'What is Redis?' }] }])).toBe(k)
    // a Vercel AI SDK model object counts by provider and id
    expect(
      key(messages, { ...base, model: { provider: 'openai', modelId: 'gpt-4o', doGenerate() {} } }),
    ).toBe(key(messages, { ...base, model: 'openai:gpt-4o' }))
  })

  it('changes with every option that changes the answer', () => {
    const tool = {
      type: 'function',
      function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } },
    }
    const variants: object[] = [
      { ...base, model: 'gpt-4o-mini' },
      { ...base, temperature: 0.2 },
      { ...base, top_p: 0.9 },
      { ...base, max_tokens: 201 },
      { ...base, seed: 7 },
      { ...base, response_format: { type: 'json_object' } },
      { ...base, tools: [tool] },
      {
        ...base,
        tools: [
          {
            ...tool,
            function: {
              ...tool.function,
              parameters: { type: 'object', properties: { q: { type: 'number' } } },
            },
          },
        ],
      },
      { ...base, tool_choice: 'required' },
      { ...base, system: 'Answer in French.' },
    ]
    const keys = new Set([key(), ...variants.map((o) => key(messages, o))])
    expect(keys.size).toBe(variants.length + 1)
    expect(key([{ role: 'system', content: 'You are verbose.' }, messages[1]!])).not.toBe(key())
    expect(
      key([
        ...messages,
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'c1', function: { name: 'lookup', arguments: '{}' } }],
        },
      ]),
    ).not.toBe(key())
  })

  it('keys a single prompt (Vercel AI SDK `prompt`) by its text', () => {
    const prompt = (text: string) => llm.keyOf(undefined as never, { model: 'm', prompt: text })
    expect(prompt('hi')).toBe(prompt('hi'))
    expect(prompt('hi')).not.toBe(prompt('hello'))
    expect(prompt('hi')).not.toBe(llm.keyOf([user('hi')], { model: 'm' }))
  })

  it('puts the scope in the key, and in its first part (for clear(scope))', () => {
    const shared = llm.keyOf(messages, base)
    const a = llm.keyOf(messages, base, { scope: { tenant: 't1', user: 'a' } })
    const b = llm.keyOf(messages, base, { scope: { tenant: 't1', user: 'b' } })
    expect(new Set([shared, a, b]).size).toBe(3)
    expect(llm.keyOf(messages, base, { scope: { user: 'a', tenant: 't1' } })).toBe(a)
    expect(shared).toMatch(/llm:shared:[\w-]{43}$/)
  })

  it('counts only the configured fields (include / exclude)', () => {
    const only = llmWith({ fields: { include: ['temperature'] } })
    expect(only.keyOf(messages, { ...base, max_tokens: 5 })).toBe(only.keyOf(messages, base))
    expect(only.keyOf(messages, { ...base, temperature: 0.5 })).not.toBe(only.keyOf(messages, base))
    expect(only.keyOf(messages, { ...base, model: 'other' })).not.toBe(only.keyOf(messages, base)) // the model always counts
    const without = llmWith({ fields: { exclude: ['max_tokens'] }, messageFields: { exclude: ['name'] } })
    expect(without.keyOf(messages, { ...base, maxTokens: 1 })).toBe(without.keyOf(messages, base))
    expect(without.keyOf([{ ...user('hi'), name: 'bob' }], base)).toBe(without.keyOf([user('hi')], base))
  })
})
