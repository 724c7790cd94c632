// GET /api/session: who is signed in (401 when nobody is).
import { connection } from 'next/server'
import { currentSession } from '@/lib/session'

export async function GET(request: Request): Promise<Response> {
  await connection()
  const session = await currentSession(request)
  if (!session) return Response.json({ error: 'not signed in' }, { status: 401 })
  return Response.json(
    { userId: session.data.userId, expiresAt: session.expiresAt },
    { headers: { 'cache-control': 'no-store' } },
  )
}
