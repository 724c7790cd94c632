/**
 * Trending: a plain leaderboard (the seeds' snippet), trending over a 24 h window from hourly
 * buckets, and trending by exponential decay. A simulated clock shows a day passing in no time.
 *
 *   npx tsx examples/trending.ts                                      (memory store, no Redis)
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/trending.ts     (Redis, with failover)
 */
import { createKit, escapeGlob } from '../src/index.js'
import { createSortedSets } from '../src/sorted-sets/index.js'

const HOUR = 3_600_000
let now = Date.now()
const kit = createKit({ prefix: `example:trending:${process.pid}:` }) // REDIS_URL → Redis, else memory
const sortedSets = createSortedSets(kit.store, {
  prefix: kit.prefix,
  now: () => now, // the real clock by default; simulated here
  trending: { bucket: '1h', maxWindow: '7d', cacheFor: '1m' },
  decay: { halfLife: '6h' },
})
const show = (label: string, value: unknown) => console.log(`  ${label.padEnd(34)} ${JSON.stringify(value)}`)

console.log(`trending on ${kit.store.name}\n`)

console.log('Leaderboard (the seeds’ snippet)')
await sortedSets.increment('trending:themes', 'dreams', 1)
await sortedSets.increment('trending:themes', 'music', 3)
await sortedSets.increment('trending:themes', 'travel', 2)
const topThemes = await sortedSets.getTop('trending:themes', 10)
show('getTop(10)', topThemes)
show('rank of dreams (0 = first)', await sortedSets.getRank('trending:themes', 'dreams'))

console.log('\nTrending over a window (hourly buckets)')
await sortedSets.trending.bump('themes', 'eclipse', 50) // yesterday's news, 25 h ago
now += 25 * HOUR
await sortedSets.trending.bump('themes', 'dreams', 3)
await sortedSets.trending.bump('themes', 'music', 5)
show('top, last 24 h', await sortedSets.trending.top('themes', 5, { window: '24h' }))
show('top, last 2 days', await sortedSets.trending.top('themes', 5, { window: '2d' }))

console.log('\nTrending by decay (half-life 6 h)')
now -= 25 * HOUR
await sortedSets.decaying.bump('themes', 'eclipse', 50)
now += 25 * HOUR
await sortedSets.decaying.bump('themes', 'dreams', 3)
await sortedSets.decaying.bump('themes', 'music', 5)
show('top now (eclipse weighs 50·2^(-25/6))', await sortedSets.decaying.top('themes', 5))
show('stats', sortedSets.stats())

for await (const keys of kit.store.scan({ match: `${escapeGlob(kit.prefix)}*` })) await kit.store.unlink(keys)
await kit.close()
