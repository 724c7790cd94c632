/**
 * Analytics: event counts, unique users, a daily series, a breakdown by model and active users,
 * plus the HyperLogLog primitive underneath. Every trackEvent is one round trip.
 *
 *   npx tsx examples/analytics.ts                                      (memory store, no Redis)
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/analytics.ts     (Redis, with failover)
 */
import { createAnalytics } from '../src/analytics/index.js'
import { createHyperLogLog } from '../src/hyperloglog/index.js'
import { createKit, escapeGlob } from '../src/index.js'

const kit = createKit({ prefix: `example:analytics:${process.pid}:` }) // REDIS_URL → Redis, else memory
const analytics = createAnalytics(kit.store, { prefix: kit.prefix, breakdown: ['model'] })
const hyperloglog = createHyperLogLog(kit.store, { prefix: kit.prefix })
const show = (label: string, value: unknown) => console.log(`  ${label.padEnd(30)} ${JSON.stringify(value)}`)

console.log(`analytics on ${kit.store.name}\n`)

// The seeds' snippet, for a few users and messages
const models = ['gpt-4o', 'claude', 'gpt-4o', 'llama', 'claude', 'gpt-4o']
for (const [i, model] of models.entries()) {
  const userId = `user-${i % 4}`
  const message = 'x'.repeat(10 * (i + 1))
  await analytics.trackEvent('chat_message', userId, {
    conversationId: `conversation-${i % 2}`,
    messageLength: message.length,
    model,
  })
}
await analytics.trackMany([
  { name: 'signup', userId: 'user-0' },
  { name: 'signup', userId: 'user-1' },
  { name: 'page_view', userId: null, props: { path: '/' } },
])

const stats = await analytics.getStats('chat_message', { days: 3 })
console.log('getStats(chat_message, 3 days)')
show('total (exact)', stats.total)
show('unique users (estimate)', stats.unique)
show('accuracy of unique', stats.approximate)
for (const day of stats.daily) show(`  ${day.date}`, { count: day.count, unique: day.unique })
console.log('\nbreakdown and active users')
show('by model', await analytics.getBreakdown('chat_message', 'model'))
show('daily active (1 day)', await analytics.activeUsers('chat_message', { days: 1 }))
show('events', await analytics.getEvents())

console.log('\nHyperLogLog on its own (the seeds’ snippet)')
for (const userId of ['user-1', 'user-2', 'user-1', 'user-3']) {
  await hyperloglog.add('analytics:unique:chat_message', userId)
}
show('unique users', await hyperloglog.count('analytics:unique:chat_message'))
show('with its accuracy', await hyperloglog.estimate('analytics:unique:chat_message'))

// clean up this run's keys (SCAN + UNLINK on every master)
for await (const keys of kit.store.scan({ match: `${escapeGlob(kit.prefix)}*` })) await kit.store.unlink(keys)
await kit.close()
