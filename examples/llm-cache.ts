/**
 * LLM-response caching: the seeds' getCachedLLMResponse / cacheLLMResponse, wrap with single
 * flight, private scopes, streaming capture and replay, tokens and cost saved, and the semantic
 * layer with a toy embedding (use your embedding model in production).
 *
 *   npx tsx examples/llm-cache.ts                                      (memory store, no Redis)
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/llm-cache.ts     (Redis, with failover)
 */
import { createKit } from '../src/index.js'

const toyEmbed = (text: string) => {
  const v = new Array<number>(64).fill(0)
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
    v[[...word].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7) % 64]! += 1
  return v
}
const kit = createKit({
  prefix: `example:llm:${process.pid}:`,
  llm: {
    pricing: { 'gpt-4o': { input: 2.5, output: 10 } }, // USD per million tokens
    semantic: { embed: toyEmbed, threshold: 0.9 },
  },
})
const show = (label: string, value: unknown) => console.log(`  ${label.padEnd(46)} ${JSON.stringify(value)}`)

type Request = { messages: { role: string; content: string }[]; model: string; temperature?: number }
let modelCalls = 0
/** A stand-in for an SDK call: slow, with a usage field like OpenAI's. */
async function callModel(req: Request) {
  modelCalls++
  await new Promise((resolve) => setTimeout(resolve, 200))
  const question = req.messages.at(-1)!.content
  return { content: `(answer to "${question}")`, usage: { prompt_tokens: 1200, completion_tokens: 300 } }
}

console.log(`LLM cache on ${kit.store.name}\n`)

console.log("The seeds' snippet, as written (kit.cache delegates to kit.llm)")
const { getCachedLLMResponse, cacheLLMResponse } = kit.cache
async function chat(messages: Request['messages'], options: { model: string; temperature: number }) {
  const cached = await getCachedLLMResponse(messages, options)
  if (cached) return cached // Instant response!
  const response = await callModel({ messages, ...options })
  await cacheLLMResponse(messages, options, response)
  return response
}
const question = [{ role: 'user', content: 'What is a Redis stream?' }]
let t = performance.now()
await chat(question, { model: 'gpt-4o', temperature: 0 })
show('miss (model called), ms', Math.round(performance.now() - t))
t = performance.now()
await chat(question, { temperature: 0, model: 'gpt-4o' }) // key order does not matter
show('hit, ms', Math.round(performance.now() - t))

console.log('\nwrap: 100 concurrent identical prompts, one model call (across processes too, on Redis)')
const cachedModel = kit.llm.wrap(callModel, {
  scope: (req) => ({ user: (req as { user?: string }).user ?? 'anon' }),
})
const before = modelCalls
await Promise.all(
  Array.from({ length: 100 }, () =>
    cachedModel({ messages: [{ role: 'user', content: 'Summarise my notes' }], model: 'gpt-4o' }),
  ),
)
show('model calls for 100 callers', modelCalls - before)
show(
  'sampled (temperature 0.9, no seed): not cached',
  await kit.llm.set(question, { model: 'gpt-4o', temperature: 0.9 }, 'x'),
)

console.log('\nScopes: one user never gets another user’s cached answer')
await kit.llm.set(
  question,
  { model: 'gpt-4o' },
  { content: 'private to alice' },
  { scope: { user: 'alice' } },
)
show('bob asks the same', await kit.llm.get(question, { model: 'gpt-4o' }, { scope: { user: 'bob' } }))
show('alice asks again', await kit.llm.get(question, { model: 'gpt-4o' }, { scope: { user: 'alice' } }))

console.log('\nStreams: a miss flows through and is recorded; a hit replays the chunks')
async function* streamModel(_req: Request) {
  modelCalls++
  for (const word of ['Streams', ' are', ' append-only', ' logs.']) {
    await new Promise((resolve) => setTimeout(resolve, 30))
    yield { choices: [{ delta: { content: word } }] }
  }
}
const cachedStream = kit.llm.wrapStream(streamModel, { pace: '5ms' })
for (const label of ['streamed (miss)', 'replayed (hit)']) {
  let text = ''
  for await (const chunk of cachedStream({ messages: question, model: 'gpt-4o' }))
    text += chunk.choices[0]!.delta.content
  await kit.llm.settle()
  show(label, text)
}

console.log('\nSemantic layer: a near-identical prompt answers from the cache')
const near = await kit.llm.get([{ role: 'user', content: 'what is a redis stream' }], {
  model: 'gpt-4o',
  temperature: 0,
})
show('"what is a redis stream" →', near)
show(
  '"how do I cook rice" →',
  await kit.llm.get([{ role: 'user', content: 'how do I cook rice' }], { model: 'gpt-4o' }),
)

const { hits, misses, semanticHits, tokensSaved, costSaved, timeSavedMs } = kit.llm.stats()
console.log('\nAccounting (kit.stats().primitives.llm)')
show('hits, misses, semantic hits', [hits, misses, semanticHits])
show('tokens saved, USD saved, model time saved (s)', [
  tokensSaved,
  +costSaved.toFixed(4),
  Math.round(timeSavedMs / 1000),
])

await kit.llm.clear()
await kit.close()
