// POST /api/revalidate { tag } — revalidateTag through the Redis-backed cache handlers: every
// instance sees the page regenerate. Only the tags this app uses can be revalidated.
import { revalidateTag } from 'next/cache'
import { connection } from 'next/server'

const TAGS = new Set(['greeting'])

export async function POST(request: Request): Promise<Response> {
  await connection()
  const body = (await request.json().catch(() => null)) as { tag?: unknown } | null
  const tag = body?.tag
  if (typeof tag !== 'string' || !TAGS.has(tag))
    return Response.json({ error: 'unknown tag' }, { status: 400 })
  revalidateTag(tag, 'max')
  return Response.json({ revalidated: tag, at: Date.now() })
}
