// The SSE endpoint's authorization: a signed-in user may listen to their own conversations
// (durable: the conversation's stream, resumable with Last-Event-ID) and to their own notice
// channel (live pub/sub) — nothing else.
import type { Sse, SseSource } from 'redis-kit'
import { conversationStream, isConversationId, ownsConversation } from './chat'
import { getKit } from './kit.mjs'
import { currentSession } from './session'

/** The SSE source a `channel` query names, or null for a name this app does not serve. */
export function sourceOf(channel: string | null): SseSource | null {
  if (!channel) return null
  const [kind, id] = [channel.slice(0, channel.indexOf(':')), channel.slice(channel.indexOf(':') + 1)]
  if (kind === 'chat' && isConversationId(id)) return { durable: conversationStream(id), from: 'start' }
  if (kind === 'user' && id) return { live: `user:${id}`, event: 'notice' }
  return null
}

async function authorize(request: Request, channel: string): Promise<boolean> {
  const session = await currentSession(request)
  if (!session) return false
  const { userId } = session.data
  if (channel === `user:${userId}`) return true
  if (channel.startsWith('chat:')) return ownsConversation(userId, channel.slice('chat:'.length))
  return false
}

const SSE = Symbol.for('redis-kit.example.nextjs.sse')

export function getSse(): Sse {
  const scope = globalThis as unknown as Record<symbol, Sse | undefined>
  scope[SSE] ??= getKit().sse({ authorize, keepAlive: '15s', retry: '1s' })
  return scope[SSE]
}
