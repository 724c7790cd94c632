// POST /api/auth/signin { userId }: a demo sign-in (no password). The session id is rotated, so an
// id planted before sign-in (session fixation) is dead afterwards.
import { connection } from 'next/server'
import { isUserId, sessionCookie, signIn } from '@/lib/session'

export async function POST(request: Request): Promise<Response> {
  await connection()
  const body = (await request.json().catch(() => null)) as { userId?: unknown } | null
  if (!isUserId(body?.userId)) {
    return Response.json({ error: 'userId: 1 to 32 letters, digits, _ or -' }, { status: 400 })
  }
  const session = await signIn(request, body.userId)
  return Response.json(
    { userId: session.data.userId, expiresAt: session.expiresAt },
    { headers: { 'set-cookie': sessionCookie(request, session.id), 'cache-control': 'no-store' } },
  )
}
