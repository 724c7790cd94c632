/**
 * npm run demo — the showcase, on the embedded memory store (no Redis needed).
 * Set DEMO_REDIS_URL=redis://127.0.0.1:6379 to run the very same code against Redis.
 * It grows as primitives land; today it shows the Store every primitive is built on.
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

console.log('\nCounters (one round trip for several commands)')
const [views, likes] = await store.batch([
  ['incrby', k('views'), 10],
  ['incrby', k('likes'), 3],
])
show('views, likes', [views, likes])

console.log('\nTrending (sorted set)')
for (const [theme, by] of [
  ['dreams', 5],
  ['music', 3],
  ['travel', 4],
  ['dreams', 2],
] as const) {
  await store.zincrby(k('trending:themes'), by, theme)
}
show('top 3', await store.zrangeWithScores(k('trending:themes'), 0, 2, { rev: true }))

console.log('\nUnique users (HyperLogLog, Redis-identical counts)')
await store.pfadd(
  k('unique:chat'),
  Array.from({ length: 5000 }, (_, i) => `user-${i % 1234}`),
)
show('estimated unique users (1234 real)', await store.pfcount([k('unique:chat')]))

console.log('\nFeature flags (bitmap)')
await store.setbit(k('features:beta'), 42, 1)
show('user 42 has beta', await store.getbit(k('features:beta'), 42))
show('user 7 has beta', await store.getbit(k('features:beta'), 7))

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
