/**
 * Chat history on Redis Streams: the seeds' addChatMessage / getChatMessages, a live tail of the
 * conversation, and a consumer group doing background work on every message (with retries and
 * a dead-letter stream).
 *
 *   npx tsx examples/chat-stream.ts                               # embedded memory store
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/chat-stream.ts
 */
import { z } from 'zod'
import { createKit } from '../src/index.js'
import { createStreams } from '../src/streams/index.js'

const Message = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string().min(1),
  timestamp: z.string(),
})
type Message = z.infer<typeof Message>

const kit = createKit({ prefix: `example:chat:${process.pid}:` })
const streams = createStreams(kit.store, { prefix: kit.prefix, schemas: { chat: Message } })
console.log(`chat on the ${kit.store.name} store\n`)

const conversationId = 'c-42'

// follow the conversation live (what an SSE endpoint does for each browser)
const following = new AbortController()
const live = (async () => {
  for await (const item of streams.tail<Message>(`chat:${conversationId}`, { signal: following.signal })) {
    console.log(`  live   ${item.id}  ${item.data.role}: ${item.data.content}`)
  }
})()

// background work on every message: one consumer of the group gets each one
const summaries: string[] = []
const worker = streams.consume<Message>(
  `chat:${conversationId}`,
  'summarizer',
  async (item, { deliveries }) => {
    if (item.data.content.includes('flaky') && deliveries < 2) throw new Error('the model timed out')
    summaries.push(`${item.data.role} said ${item.data.content.length} chars`)
  },
  { retryDelay: '50ms', maxDeliveries: 3 },
)
await new Promise((resolve) => setTimeout(resolve, 100))

for (const [role, content] of [
  ['user', 'Hello! Can you summarize my notes?'],
  ['assistant', 'Sure — paste them here.'],
  ['user', 'a flaky one: the first attempt to handle it fails'],
  ['assistant', 'Done: three bullet points.'],
] as const) {
  await streams.addChatMessage(conversationId, { role, content, timestamp: new Date().toISOString() })
}

// a payload that does not match the schema is refused before anything is written
await streams
  .addChatMessage(conversationId, { role: 'robot', content: '', timestamp: 'now' })
  .catch((err: Error) => console.log(`\n  refused: ${err.message.slice(0, 90)}…`))

await new Promise((resolve) => setTimeout(resolve, 400))
const last = await streams.getChatMessages<Message>(conversationId, 3)
console.log('\nthe last 3 messages, oldest first:')
for (const m of last) console.log(`  ${m.data.role.padEnd(9)} ${m.data.content}`)
console.log(`\nthe worker handled ${summaries.length} messages:`, worker.stats())

// the stream keeps the last 1000 messages (approximate trimming: whole nodes of 100)
for (let i = 0; i < 1200; i++)
  await streams.append('chat:busy', { role: 'user', content: `#${i}`, timestamp: '' })
console.log(`\n'chat:busy' after 1200 appends holds ${await streams.length('chat:busy')} messages`)

following.abort()
await live
await streams.close()
for await (const keys of kit.store.scan({ match: `${kit.prefix}*` })) await kit.store.del(keys) // tidy up
await kit.close()
