// GET /api/redis/realtime?channel=chat:<conversationId> | user:<userId> — Server-Sent Events through
// redis-kit/sse. 403 unless the signed-in user may read the channel. A reconnecting EventSource
// sends Last-Event-ID and gets every chat entry it missed, then live ones.
import { connection } from 'next/server'
import { getSse, sourceOf } from '@/lib/realtime'

export async function GET(request: Request): Promise<Response> {
  await connection()
  const source = sourceOf(new URL(request.url).searchParams.get('channel'))
  if (!source) return new Response('Unknown channel', { status: 404 })
  return getSse().response(request, source)
}
