/**
 * Streams on every store: a miss passes chunks through as they arrive and records them; a hit
 * (in this process or another) replays them chunk for chunk; a stream that fails half-way, or
 * that its consumer leaves, is not cached; the usage of the last chunk is counted.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { storeMatrix } from '../support/stores.js'
import { deferred, type LLMPair, llmPair, user } from './helpers.js'

type Chunk = {
  choices: { delta: { content?: string } }[]
  usage?: { prompt_tokens: number; completion_tokens: number }
}

function chunksOf(text: string): Chunk[] {
  const words = text.split(' ')
  return [
    ...words.map((w, i) => ({ choices: [{ delta: { content: i === 0 ? w : ` ${w}` } }] })),
    { choices: [{ delta: {} }], usage: { prompt_tokens: 20, completion_tokens: words.length } },
  ]
}

async function collect<C>(iterable: AsyncIterable<C>): Promise<C[]> {
  const out: C[] = []
  for await (const chunk of iterable) out.push(chunk)
  return out
}

describe.each(storeMatrix())('llm cache streams on $name', (c) => {
  let p: LLMPair | undefined
  afterEach(async () => {
    await p?.close()
    p = undefined
  })

  it('records a stream as it flows and replays it chunk for chunk', async () => {
    p = await llmPair(c)
    let calls = 0
    let gate = deferred()
    async function* model(_req: { messages: unknown[]; model: string }) {
      calls++
      for (const chunk of chunksOf('Redis streams are append only logs')) {
        yield chunk
        await gate.promise // the next chunk comes once the consumer has this one: passed through live
        gate = deferred()
      }
    }
    const req = { messages: [user('What are Redis streams?')], model: 'gpt-4o' }
    const first: Chunk[] = []
    for await (const chunk of p.a.wrapStream(model)(req)) {
      first.push(chunk)
      gate.resolve()
    }
    expect(first).toEqual(chunksOf('Redis streams are append only logs'))
    await p.a.settle()
    const replayed = await collect(p.b.wrapStream(model)(req))
    expect(replayed).toEqual(first)
    expect(calls).toBe(1)
    expect(p.b.stats()).toMatchObject({ hits: 1, tokensSaved: 26 })
    // a stream entry never answers a non-stream call of the same request
    expect(await p.b.get(req.messages, { model: 'gpt-4o' })).toBeUndefined()
  })

  it('shares one live model stream between identical requests in a process', async () => {
    p = await llmPair(c)
    let calls = 0
    const gate = deferred()
    async function* model(_req: object) {
      calls++
      yield* chunksOf('first part')
      await gate.promise
      yield* chunksOf('second part')
    }
    const req = { messages: [user('shared')], model: 'gpt-4o' }
    const wrapped = p.a.wrapStream(model)
    const leader = wrapped(req)[Symbol.asyncIterator]()
    expect((await leader.next()).value).toEqual(chunksOf('first part')[0])
    const joiner = collect(wrapped(req)) // joins, reads from the first chunk
    await leader.return!(undefined) // the first caller leaves: the joiner keeps the stream alive
    gate.resolve()
    expect(await joiner).toEqual([...chunksOf('first part'), ...chunksOf('second part')])
    expect(calls).toBe(1)
    await p.a.settle()
    expect(await collect(p.b.wrapStream(model)(req))).toEqual(await joiner) // stored: it ran to its end
    expect(calls).toBe(1)
  })

  it('does not cache a stream that fails half-way, nor one left early', async () => {
    p = await llmPair(c)
    let calls = 0
    async function* failing(_req: object) {
      calls++
      yield chunksOf('half')[0]!
      throw new Error('connection reset')
    }
    const req = { messages: [user('q')], model: 'gpt-4o' }
    await expect(collect(p.a.wrapStream(failing)(req))).rejects.toThrow('connection reset')
    await p.a.settle()
    await expect(collect(p.b.wrapStream(failing)(req))).rejects.toThrow('connection reset')
    expect(calls).toBe(2)
    expect(p.a.stats().errors).toBe(1)

    async function* long(_req: object) {
      calls++
      yield* chunksOf('one two three four')
    }
    for await (const _ of p.a.wrapStream(long)(req)) break
    await p.a.settle()
    expect(await collect(p.a.wrapStream(long)(req))).toEqual(chunksOf('one two three four'))
    expect(calls).toBe(4)
  })

  it('accepts a promise of a stream (OpenAI SDK style) and paces replays', async () => {
    p = await llmPair(c)
    const model = async (_req: object) =>
      (async function* () {
        yield* chunksOf('a b c')
      })()
    const req = { messages: [user('q')], model: 'gpt-4o' }
    expect(await collect(await p.a.wrapStream(model)(req))).toHaveLength(4)
    await p.a.settle()
    expect(await collect(p.a.wrapStream(model, { pace: '5ms' })(req))).toEqual(chunksOf('a b c'))
    expect(p.a.stats()).toMatchObject({ hits: 1, misses: 1 })
  })
})
