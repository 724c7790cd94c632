// POST /api/auth/signout: ends the session in Redis and clears the cookie.
import { connection } from 'next/server'
import { sessionCookie, signOut } from '@/lib/session'

export async function POST(request: Request): Promise<Response> {
  await connection()
  await signOut(request)
  return Response.json({ ok: true }, { headers: { 'set-cookie': sessionCookie(request, null) } })
}
