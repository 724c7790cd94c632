// POST /api/chat { conversationId, message }: the seeds' chat flow on one kit.
//   rate limit per user (429 + RateLimit headers) → the user's message appended to the
//   conversation's stream (SSE listeners see it at once) → the fake model's answer through the LLM
//   cache, streamed back as it comes → the answer appended too → analytics, trending themes, and a
//   live notice on the user's pub/sub channel.
import { connection } from 'next/server'
import { rateLimitHeaders } from 'redis-kit'
import { answer } from '@/lib/answer'
import { type ChatMessage, chatLimiter, isConversationId, ownsConversation, themesOf } from '@/lib/chat'
import { getKit } from '@/lib/kit.mjs'
import { currentSession } from '@/lib/session'

const MAX_MESSAGE = 2000

export async function POST(request: Request): Promise<Response> {
  await connection()
  const session = await currentSession(request)
  if (!session) return Response.json({ error: 'not signed in' }, { status: 401 })
  const { userId } = session.data

  const limit = await chatLimiter().check(userId)
  const headers = rateLimitHeaders(limit, { legacy: true })
  if (!limit.allowed) {
    headers.set('content-type', 'application/json')
    return new Response(JSON.stringify({ error: 'Too many messages', retryAfter: limit.retryAfter }), {
      status: 429,
      headers,
    })
  }

  const body = (await request.json().catch(() => null)) as {
    conversationId?: unknown
    message?: unknown
  } | null
  const conversationId = body?.conversationId
  const message = typeof body?.message === 'string' ? body.message.trim() : ''
  if (!isConversationId(conversationId) || !message || message.length > MAX_MESSAGE) {
    return Response.json(
      { error: 'conversationId and message (≤ 2000 chars) are required' },
      { status: 400, headers },
    )
  }
  if (!(await ownsConversation(userId, conversationId))) {
    return Response.json({ error: 'not your conversation' }, { status: 403, headers })
  }

  const kit = getKit()
  const question: ChatMessage = {
    role: 'user',
    userId,
    content: message,
    timestamp: new Date().toISOString(),
  }
  await kit.streams.addChatMessage(conversationId, question)

  const reply = answer(message)
  const encoder = new TextEncoder()
  const iterator = reply.chunks[Symbol.asyncIterator]()
  let text = ''
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next()
      if (!next.done) {
        text += next.value
        controller.enqueue(encoder.encode(next.value))
        return
      }
      const assistant: ChatMessage = {
        role: 'assistant',
        userId,
        content: text,
        timestamp: new Date().toISOString(),
      }
      await kit.streams.addChatMessage(conversationId, assistant)
      const themes = themesOf(message)
      await Promise.all([
        kit.analytics.trackEvent('chat_message', userId, { conversationId, messageLength: message.length }),
        ...themes.map((theme) => kit.sortedSets.increment('trending:themes', theme, 1)),
        kit.pubsub
          .publish(`user:${userId}`, { type: 'new_message', conversationId, cached: !reply.modelCalled() })
          .catch(() => 0), // a live notice is best effort
      ])
      controller.close()
    },
    async cancel() {
      await iterator.return?.()
    },
  })
  headers.set('content-type', 'text/plain; charset=utf-8')
  headers.set('cache-control', 'no-store')
  return new Response(stream, { status: 200, headers })
}
