/**
 * The semantic layer on every store (plain Redis, no modules): on an exact miss the nearest
 * cached prompt of the same scope, model and options answers when its similarity is at or above
 * the threshold, and not below; vectors are raw float32 in Redis, shared across processes through
 * the bus; scopes and models never mix; a failing embedding service is a miss.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { storeMatrix } from '../support/stores.js'
import { completion, type LLMPair, llmPair, toyEmbed, until, user } from './helpers.js'

const opts = { model: 'gpt-4o', temperature: 0 }
const semantic = (threshold = 0.8) => ({ semantic: { embed: toyEmbed, threshold } })

describe.each(storeMatrix())('llm cache semantic layer on $name', (c) => {
  let p: LLMPair | undefined
  afterEach(async () => {
    await p?.close()
    p = undefined
  })

  it('answers a near prompt above the threshold, not a far one', async () => {
    p = await llmPair(c, semantic(0.8))
    await p.a.set([user('How do I reset my password please?')], opts, completion('Click "forgot password".'))
    // 6 words in common of 6 and 7: cosine 0.93
    expect(await p.a.get([user('How do I reset my password?')], opts)).toEqual(
      completion('Click "forgot password".'),
    )
    expect(p.a.stats()).toMatchObject({ hits: 1, semanticHits: 1 })
    // 3 words in common: cosine ~0.5
    expect(await p.a.get([user('How do I bake bread?')], opts)).toBeUndefined()
    // same prompt, another model or another scope: never
    expect(
      await p.a.get([user('How do I reset my password?')], { ...opts, model: 'gpt-4o-mini' }),
    ).toBeUndefined()
    expect(await p.a.get([user('How do I reset my password?')], opts, { scope: 'alice' })).toBeUndefined()
  })

  it('keeps vectors as raw float32 in Redis and shares them across processes', async () => {
    p = await llmPair(c, semantic(0.8))
    // B loads the (empty) index first: it then learns of A's prompt through the bus
    expect(await p.b.get([user('What is the capital of France?')], opts)).toBeUndefined()
    const chat = p.a.wrap(async (_req: object) => completion('Paris'))
    await chat({ messages: [user('What is the capital of France?')], ...opts })
    await p.a.settle()
    const vectorKeys: string[] = []
    for await (const keys of p.storeA.scan({ match: `${p.prefix}cache:v:llm:sem:*:v:*` }))
      vectorKeys.push(...keys)
    expect(vectorKeys).toHaveLength(1)
    expect((await p.storeA.getBuffer(vectorKeys[0]!))!.length).toBe(64 * 4)
    await until('B answers from the semantic layer', async () => {
      const found = await p!.b.get([user('what is the capital of france')], opts)
      return found !== undefined
    })
    expect(p.b.stats().semanticHits).toBe(1)
  })

  it('wrap answers a near prompt without calling the model', async () => {
    p = await llmPair(c, semantic(0.9))
    let calls = 0
    const chat = p.a.wrap(async (req: { messages: { content: string }[] }) => {
      calls++
      return completion(`answer ${calls} to ${req.messages[0]!.content}`)
    })
    const first = await chat({ messages: [user('Explain Redis sorted sets briefly')], ...opts } as never)
    await p.a.settle()
    expect(await chat({ messages: [user('explain redis sorted sets briefly!')], ...opts } as never)).toEqual(
      first,
    )
    expect(await chat({ messages: [user('Explain Redis hashes in detail')], ...opts } as never)).not.toEqual(
      first,
    )
    expect(calls).toBe(2)
  })

  it('treats a failing embedding service as a miss', async () => {
    let fail = false
    p = await llmPair(c, {
      semantic: {
        threshold: 0.8,
        embed: (text: string) => {
          if (fail) throw new Error('embedding API down')
          return toyEmbed(text)
        },
      },
    })
    await p.a.set([user('a b c d')], opts, 'x')
    fail = true
    expect(await p.a.get([user('a b c d e')], opts)).toBeUndefined()
    expect(await p.a.get([user('a b c d')], opts)).toBe('x')
    expect(p.a.stats().semanticErrors).toBe(1)
  })
})
