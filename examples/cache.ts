/**
 * The cache and smartCache: getOrSet with single flight, grace (stale while refreshing, and
 * while the source is down), tags and the seeds' smartCache snippets, cascade, pattern clears.
 * A simulated clock shows hours passing in no time.
 *
 *   npx tsx examples/cache.ts                                      (memory store, no Redis)
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/cache.ts     (Redis, with failover)
 */
import { createCache } from '../src/cache/index.js'
import { createKit, escapeGlob } from '../src/index.js'
import { createSmartCache, glob } from '../src/smart-cache/index.js'

let now = Date.now()
const kit = createKit({ prefix: `example:cache:${process.pid}:` }) // REDIS_URL → Redis, else memory
const cache = createCache(kit.store, { prefix: kit.prefix, grace: '6h', now: () => now })
const smartCache = createSmartCache(cache) // the same cache: one L1, one bus
const show = (label: string, value: unknown) => console.log(`  ${label.padEnd(44)} ${JSON.stringify(value)}`)
let calls = 0
const fetchUser = async (id: string) => {
  calls++
  await new Promise((resolve) => setTimeout(resolve, 50)) // a slow database
  return { id, name: `user ${id}`, version: calls }
}

console.log(`cache on ${kit.store.name} (${kit.store.name === 'memory' ? 'one tier' : 'L1 + Redis'})\n`)

console.log('getOrSet: 100 concurrent callers, one loader call (across processes too, on Redis)')
const users = await Promise.all(
  Array.from({ length: 100 }, () => cache.getOrSet('user:1', () => fetchUser('1'), { ttl: 'medium' })),
)
show('distinct answers, loader calls', [new Set(users.map((u) => JSON.stringify(u))).size, calls])

console.log('\nGrace: past its TTL, the stale value answers while one refresh runs')
now += 2 * 3_600_000 // two hours later: stale, within the 6 h grace
show('getOrSet (stale, refresh started)', await cache.getOrSet('user:1', () => fetchUser('1')))
await cache.settle()
show('getOrSet (refreshed)', await cache.getOrSet('user:1', () => fetchUser('1')))
now += 2 * 3_600_000
const down = () => Promise.reject(new Error('database down'))
cache.on('cache:error', ({ operation, error }) => show(`cache:error (${operation})`, error.message))
show('source down: still the stale value', await cache.getOrSet('user:1', down))
await cache.settle()

console.log('\nTags (the seeds’ smartCache snippets): one write invalidates any number of entries')
const memories = { items: ['likes tea', 'lives in Lyon'], at: new Date(now) }
await smartCache.setWithTags('user:123:memories', memories, 3600, ['user:123', 'memories'])
await smartCache.setWithTags('user:123:context', { turns: 12 }, '30m', ['user:123'])
show('get user:123:memories', await smartCache.get('user:123:memories'))
await smartCache.invalidateTag('user:123')
show('after invalidateTag(user:123)', await smartCache.getMany(['user:123:memories', 'user:123:context']))

console.log('\nCascade: an analysis built from memories inherits their tags')
await smartCache.setWithTags('user:7:memories', ['plays cello'], 3600, ['user:7:memories'])
const analysis = await smartCache.getOrSet('user:7:analysis', async () => {
  const items = await smartCache.get<string[]>('user:7:memories') // read inside the loader: tracked
  return `enjoys ${items?.join(', ')}`
})
show('analysis', analysis)
await smartCache.invalidateTag('user:7:memories') // the memories changed…
show('analysis after the memories changed', await smartCache.get('user:7:analysis')) // …so did the analysis

console.log('\nPattern clear (logout): only this user’s keys, even with glob characters in the id')
for (const id of ['42', '4*', '43']) await cache.set(`session:${id}:token`, `token of ${id}`)
show('clearPattern with the id "4*" escaped by glob', await smartCache.clearPattern(glob`session:${'4*'}:*`))
show('left', await cache.getMany(['session:42:token', 'session:4*:token', 'session:43:token']))

console.log('\nStats')
const { hits, l1Hits, l2Hits, misses, stale, loads, leaseWaits, invalidations } = cache.stats()
show('hits (l1, l2), misses, stale', [hits, l1Hits, l2Hits, misses, stale])
show('loads, lease waits, invalidations', [loads, leaseWaits, invalidations])

await cache.close()
// the example's keys: values, and tag versions (which otherwise expire by themselves)
for await (const keys of kit.store.scan({ match: `${escapeGlob(kit.prefix)}*` })) await kit.store.unlink(keys)
await kit.close()
