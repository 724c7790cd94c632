/**
 * Feature flags: raw bits for integer ids (the seeds' snippet), then flags for string user ids —
 * explicit enables, a percentage rollout decided by hashing, and every flag of a user at once.
 *
 *   npx tsx examples/feature-flags.ts                                      (memory store, no Redis)
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/feature-flags.ts     (Redis, with failover)
 */
import { createBitmaps } from '../src/bitmaps/index.js'
import { createKit, escapeGlob } from '../src/index.js'

const kit = createKit({ prefix: `example:flags:${process.pid}:` }) // REDIS_URL → Redis, else memory
const bitmaps = createBitmaps(kit.store, { prefix: kit.prefix })
const show = (label: string, value: unknown) => console.log(`  ${label.padEnd(34)} ${JSON.stringify(value)}`)

console.log(`feature flags on ${kit.store.name}\n`)

console.log('Bits for integer ids (the seeds’ snippet)')
const userIdOffset = 1042
await bitmaps.setBit('features:beta', userIdOffset, 1)
const hasFeature = await bitmaps.getBit('features:beta', userIdOffset)
show('user 1042 has beta', hasFeature)
show('user 7 has beta', await bitmaps.getBit('features:beta', 7))
show('users with beta', await bitmaps.count('features:beta'))

console.log('\nFlags for string user ids')
const { flags } = bitmaps
await flags.enable('beta', 'alice@example.com')
await flags.enable('beta', 'bob@example.com')
await flags.rollout('new-editor', 20) // 20% of users, the same ones on every server
await flags.disable('new-editor', 'alice@example.com') // an explicit choice beats the rollout
show('alice: beta?', await flags.isEnabled('beta', 'alice@example.com'))
show('carol: beta?', await flags.isEnabled('beta', 'carol@example.com'))
show('users enabled explicitly for beta', await flags.enabledCount('beta'))
let inRollout = 0
for (let i = 0; i < 1000; i++) if (await flags.isEnabled('new-editor', `user-${i}@example.com`)) inRollout++
show('new-editor, of 1000 users', inRollout)
show('every flag of alice, one round trip', await flags.getAll('alice@example.com'))
show('flags', await flags.list())

for await (const keys of kit.store.scan({ match: `${escapeGlob(kit.prefix)}*` })) await kit.store.unlink(keys)
await kit.close()
