// GET /api/redis/analytics — chat events (exact totals, HyperLogLog unique users, daily series)
// and the trending themes (a sorted set).
import { connection } from 'next/server'
import { getKit } from '@/lib/kit.mjs'

export async function GET(): Promise<Response> {
  await connection()
  const { analytics, sortedSets } = getKit()
  const [chat, themes, events] = await Promise.all([
    analytics.getStats('chat_message', { days: 7 }),
    sortedSets.getTop('trending:themes', 10),
    analytics.getEvents(),
  ])
  return Response.json({ chat, themes, events }, { headers: { 'cache-control': 'no-store' } })
}
