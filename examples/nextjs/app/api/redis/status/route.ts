// GET /api/redis/status — health of the kit's store (ok / degraded while Redis is down and the
// memory fallback answers), plus the example's own counters.
import { connection } from 'next/server'
import { getKit } from '@/lib/kit.mjs'
import { modelCalls } from '@/lib/model'
import { getSse } from '@/lib/realtime'

export async function GET(): Promise<Response> {
  await connection()
  const kit = getKit()
  const health = await kit.health()
  const { open, opened, refused } = getSse().stats()
  const { hits, misses, timeSavedMs } = kit.llm.stats()
  return Response.json(
    {
      ...health,
      fakeModel: { calls: modelCalls() },
      llm: { hits, misses, timeSavedMs },
      sse: { open, opened, refused },
    },
    { status: health.status === 'down' ? 503 : 200, headers: { 'cache-control': 'no-store' } },
  )
}
