// Conversations: who owns one, what is in it, and the themes a message is about.
import type { RateLimiter } from 'redis-kit'
import { getKit } from './kit.mjs'

const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/

export interface ChatMessage {
  role: 'user' | 'assistant'
  userId: string
  content: string
  timestamp: string
}

export function isConversationId(value: unknown): value is string {
  return typeof value === 'string' && CONVERSATION_ID.test(value)
}

/** The stream (and SSE channel) of a conversation. */
export const conversationStream = (conversationId: string) => `chat:${conversationId}`

/**
 * Whether `userId` may read and write `conversationId`. The first user to use a conversation id
 * owns it (SET NX, one round trip); everybody else is refused.
 */
export async function ownsConversation(userId: string, conversationId: string): Promise<boolean> {
  const { store, prefix } = getKit()
  const key = `${prefix}owner:${conversationId}`
  if (await store.set(key, userId, { nx: true })) return true
  return (await store.get(key)) === userId
}

const THEMES: Record<string, RegExp> = {
  dreams: /\bdream/i,
  music: /\b(music|song|melod)/i,
  travel: /\b(travel|trip|journey)/i,
  food: /\b(food|cook|recipe)/i,
  code: /\b(code|program|bug|typescript)/i,
  memory: /\b(memor|remember)/i,
}

export function themesOf(text: string): string[] {
  return Object.entries(THEMES)
    .filter(([, pattern]) => pattern.test(text))
    .map(([theme]) => theme)
}

const LIMITER = Symbol.for('redis-kit.example.nextjs.chatLimiter')

/** POST /api/chat: CHAT_RATE_LIMIT messages per user per minute (default 10), exact sliding window. */
export function chatLimiter(): RateLimiter {
  const scope = globalThis as unknown as Record<symbol, RateLimiter | undefined>
  scope[LIMITER] ??= getKit().rateLimit.define({
    name: 'chat',
    limit: Number(process.env.CHAT_RATE_LIMIT ?? 10),
    window: '1m',
  })
  return scope[LIMITER]
}
