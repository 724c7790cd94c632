// GET /api/redis/stream?conversationId=…&limit=20&before=<id> — the conversation's history, newest
// first, paged by entry id (pass the last id of a page as `before` for the next one).
import { connection } from 'next/server'
import { conversationStream, isConversationId, ownsConversation } from '@/lib/chat'
import { getKit } from '@/lib/kit.mjs'
import { currentSession } from '@/lib/session'

const ENTRY_ID = /^\d{1,20}-\d{1,20}$/

export async function GET(request: Request): Promise<Response> {
  await connection()
  const params = new URL(request.url).searchParams
  const conversationId = params.get('conversationId')
  const before = params.get('before') ?? undefined
  const limit = Math.min(Math.max(Number(params.get('limit') ?? 20) || 20, 1), 100)
  if (!isConversationId(conversationId) || (before !== undefined && !ENTRY_ID.test(before))) {
    return Response.json({ error: 'conversationId (and before: an entry id) expected' }, { status: 400 })
  }
  const session = await currentSession(request)
  if (!session || !(await ownsConversation(session.data.userId, conversationId))) {
    return Response.json({ error: 'forbidden' }, { status: 403 })
  }
  const items = await getKit().streams.range(conversationStream(conversationId), {
    before,
    limit,
    newestFirst: true,
  })
  return Response.json(
    { conversationId, items, next: items.length === limit ? items.at(-1)?.id : null },
    { headers: { 'cache-control': 'no-store' } },
  )
}
