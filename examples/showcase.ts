/**
 * npm run demo — the showcase, on the embedded memory store (no Redis needed).
 * Set DEMO_REDIS_URL=redis://127.0.0.1:6379 to run the very same code against Redis.
 * Analytics, trending, unique counts, flags, rate limits, the cache and smartCache, LLM
 * responses, chat history, sessions, and the Store underneath (scripts, pub/sub, scanning).
 */
import { createKit, defineScript, escapeGlob, isKitError } from '../src/index.js'

const kit = createKit({ redis: process.env.DEMO_REDIS_URL ?? false, prefix: 'demo:' })
const { store } = kit
const k = (name: string) => `${kit.prefix}${name}`
const show = (label: string, value: unknown) => console.log(`  ${label.padEnd(34)} ${JSON.stringify(value)}`)

console.log(`redis-kit showcase — store: ${store.name}\n`)

console.log('Strings and expiry')
await store.set(k('greeting'), 'hello', { px: 1500 })
show('get greeting', await store.get(k('greeting')))
show('pttl greeting (ms, ≤ 1500)', (await store.pttl(k('greeting'))) <= 1500)
await store.set(k('image'), Buffer.from([0x89, 0x50, 0x4e, 0x47]))
show('binary value round-trips', (await store.getBuffer(k('image')))?.toString('hex'))

console.log('\nAnalytics: one round trip per event (total, unique users, daily series)')
const { analytics, sortedSets, hyperloglog, bitmaps, rateLimit } = kit
for (const userId of ['ana', 'bo', 'ana', 'cy']) {
  await analytics.trackEvent('chat_message', userId, { conversationId: 'c1', messageLength: 12 })
}
const stats = await analytics.getStats('chat_message', { days: 3 })
show('chat_message total / unique', [stats.total, stats.unique])
show(
  'daily (oldest first)',
  stats.daily.map((d) => d.count),
)

console.log('\nTrending (sorted sets)')
for (const [theme, by] of [
  ['dreams', 5],
  ['music', 3],
  ['travel', 4],
  ['dreams', 2],
] as const) {
  await sortedSets.increment('trending:themes', theme, by)
}
show('top 3', await sortedSets.getTop('trending:themes', 3))

console.log('\nUnique users (HyperLogLog, Redis-identical counts)')
for (let i = 0; i < 5000; i++) await hyperloglog.add('analytics:unique:visits', `user-${i % 1234}`)
show('estimated unique users (1234 real)', await hyperloglog.count('analytics:unique:visits'))

console.log('\nFeature flags (bitmaps)')
await bitmaps.setBit('features:beta', 42, 1)
show('user 42 has beta', await bitmaps.getBit('features:beta', 42))
await bitmaps.flags.enable('dark-mode', 'user-ana')
show("'dark-mode' for ana / bo", [
  await bitmaps.flags.isEnabled('dark-mode', 'user-ana'),
  await bitmaps.flags.isEnabled('dark-mode', 'user-bo'),
])

console.log('\nRate limiting (exact sliding window)')
const decisions: boolean[] = []
for (let i = 0; i < 5; i++) decisions.push((await rateLimit.check('chat:ana', 3, 60)).allowed)
show('5 requests, limit 3 per minute', decisions)

console.log('\nAtomic scripts (Lua on Redis, a JavaScript twin in memory)')
const capped = defineScript({
  name: 'incr-capped',
  keys: ['counter'],
  lua: `local n = redis.call('INCR', KEYS[1])
if n > tonumber(ARGV[1]) then redis.call('DECR', KEYS[1]) return 0 end
return n`,
  run: (redis, [counter], [cap]) => {
    const n = redis.incrby(counter!, 1)
    if (n > Number(cap)) {
      redis.incrby(counter!, -1)
      return 0
    }
    return n
  },
})
const admitted: number[] = []
for (let i = 0; i < 5; i++) admitted.push(await store.eval(capped, [k('{seats}')], [3]))
show('5 requests, 3 seats', admitted)

console.log('\nPub/sub')
const received: string[] = []
const unsubscribe = await store.subscribe(k('chat:123'), (message) => received.push(message))
await store.publish(k('chat:123'), JSON.stringify({ type: 'new_message', content: 'hi' }))
await new Promise((resolve) => setTimeout(resolve, 20))
await unsubscribe()
show('received', received)

console.log('\nCache: getOrSet runs the loader once, tags invalidate in one write')
let loads = 0
const loadProfile = async () => {
  loads++
  return { name: 'Ada', themes: ['dreams', 'music'] }
}
await Promise.all([1, 2, 3].map(() => kit.cache.getOrSet('profile:42', loadProfile, { tags: ['user:42'] })))
show('3 concurrent getOrSet, loader calls', loads)
await kit.smartCache.setWithTags('user:42:memories', ['likes tea'], 3600, ['user:42', 'memories'])
await kit.smartCache.invalidateTag('user:42')
show('after invalidateTag(user:42)', [
  await kit.cache.get('profile:42'),
  await kit.smartCache.get('user:42:memories'),
])

console.log('\nLLM responses: the same prompt twice calls the model once')
let modelCalls = 0
const model = async (params: {
  model: string
  temperature: number
  messages: { role: string; content: string }[]
}) => {
  modelCalls++
  return {
    choices: [{ message: { role: 'assistant', content: `echo: ${params.messages.at(-1)?.content}` } }],
  }
}
const chat = kit.llm.wrap(model)
const ask = { model: 'demo-model', temperature: 0, messages: [{ role: 'user', content: 'What is Redis?' }] }
await chat(ask)
show('answer (second call)', (await chat(ask)).choices[0]?.message.content)
show('model calls', modelCalls)

console.log('\nChat history (streams) and sessions')
await kit.streams.addChatMessage('conv-1', {
  role: 'user',
  content: 'hello',
  timestamp: new Date().toISOString(),
})
show(
  'messages',
  (await kit.streams.getChatMessages('conv-1', 50)).map((m) => m.data),
)
const session = await kit.sessions.create({ cart: ['A-100'] }, { ttl: '1h', userId: 'user-42' })
const rotated = await kit.sessions.rotate(session.id) // at sign-in: a new id, the old one dead
if (rotated) show('old id after rotate / new id data', [await kit.sessions.get(session.id), rotated.data])

console.log('\nScanning, with user input kept literal')
await store.set(k('user:*:secret'), 'x')
await store.set(k('user:alice:secret'), 'y')
const literal: string[] = []
for await (const batch of store.scan({ match: escapeGlob(k('user:*:secret')) })) literal.push(...batch)
show("keys matching the literal 'user:*'", literal)

console.log('\nBad input fails with a typed error that names the fix')
try {
  await store.set(k('x'), 'v', { ex: -5 })
} catch (err) {
  if (isKitError(err, 'INVALID_ARGUMENT')) show(err.code, err.message)
}

console.log('\nHealth and stats')
show('health', await kit.health())
show('stats', kit.stats())
const cleanup: string[] = []
for await (const batch of store.scan({ match: `${escapeGlob(kit.prefix)}*` })) cleanup.push(...batch)
if (cleanup.length > 0) await store.del(cleanup)
await kit.close()
