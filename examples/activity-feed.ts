/**
 * Activity feeds: the seeds' addActivity, a feed read newest first page by page, and live
 * notifications on a typed pub/sub channel per user (one subscriber connection per process,
 * however many users are watched).
 *
 *   npx tsx examples/activity-feed.ts                               # embedded memory store
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/activity-feed.ts
 */
import { z } from 'zod'
import { createKit } from '../src/index.js'
import { createPubSub } from '../src/pubsub/index.js'
import { createStreams } from '../src/streams/index.js'

const Activity = z.object({
  type: z.enum(['memory_created', 'image_generated', 'comment']),
  data: z.record(z.string(), z.unknown()),
  timestamp: z.string(),
})
type Activity = z.infer<typeof Activity>

const kit = createKit({ prefix: `example:feed:${process.pid}:` })
const streams = createStreams(kit.store, { prefix: kit.prefix, schemas: { activity: Activity } })
const pubsub = createPubSub(kit.store, { prefix: kit.prefix })
const notifications = pubsub.channel('activity:{userId}', Activity)
console.log(`activity feeds on the ${kit.store.name} store\n`)

// watch every user's notifications with one pattern subscription; a gap means some were missed
const seen: string[] = []
const stop = await notifications.subscribe({}, (activity, { params }) => {
  seen.push(`${params.userId}:${activity.type}`)
})
pubsub.on('gap', ({ since, until }) => console.log(`missed notifications between ${since} and ${until}`))

async function record(userId: string, activity: Activity): Promise<void> {
  await streams.addActivity(userId, activity) // durable: the feed
  await notifications.publish({ userId }, activity) // live: whoever is watching now
}

const types = ['memory_created', 'image_generated', 'comment'] as const
for (let i = 0; i < 23; i++) {
  await record('ada', { type: types[i % 3]!, data: { n: i }, timestamp: new Date().toISOString() })
}
await record('grace', { type: 'comment', data: { text: 'hi' }, timestamp: new Date().toISOString() })

console.log("ada's feed, newest first, 10 per page:")
let before: string | undefined
for (let page = 1; ; page++) {
  const items = await streams.getActivity<Activity>('ada', { limit: 10, ...(before ? { before } : {}) })
  if (items.length === 0) break
  console.log(`  page ${page}: ${items.map((i) => i.data.data.n).join(', ')}`)
  before = items.at(-1)!.id
}

await new Promise((resolve) => setTimeout(resolve, 100))
console.log(`\nlive notifications received: ${seen.length} (${seen.at(-1)})`)
console.log('pub/sub:', pubsub.stats())

await stop()
await pubsub.close()
await streams.close()
for await (const keys of kit.store.scan({ match: `${kit.prefix}*` })) await kit.store.del(keys) // tidy up
await kit.close()
