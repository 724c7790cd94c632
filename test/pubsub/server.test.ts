/**
 * What the server sees: many local subscribers of the pub/sub primitive are one subscription
 * (PUBSUB NUMSUB = 1), on one subscriber connection per store (CLIENT LIST), on a standalone
 * Redis and on every master of a cluster.
 */
import { randomBytes } from 'node:crypto'
import { Cluster, Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { createPubSub } from '../../src/pubsub/index.js'
import { createRedisStore } from '../../src/stores/redis.js'
import { clusterNodes, redisUrl } from '../support/env.js'

/** A direct connection to every master (one, on a standalone Redis). */
async function masters(cluster: boolean): Promise<Redis[]> {
  if (!cluster) return [new Redis(redisUrl())]
  const probe = new Cluster(clusterNodes())
  await probe.ping()
  const nodes = probe.nodes('master').map((n) => new Redis({ host: n.options.host, port: n.options.port }))
  probe.disconnect()
  return nodes
}

describe.each([{ cluster: false }, { cluster: true }])(
  'fan-out on the server (cluster: $cluster)',
  ({ cluster }) => {
    const name = `rk-fanout-${randomBytes(4).toString('hex')}`
    const store = createRedisStore({
      ...(cluster ? { cluster: clusterNodes() } : { url: redisUrl() }),
      ioredis: { connectionName: name },
    })
    const pubsub = createPubSub(store, { prefix: `${name}:` })
    afterAll(async () => {
      await pubsub.close()
      await store.close()
    })

    it('100 local subscribers on 5 channels: one subscription per channel, one connection', async () => {
      const received = new Array(100).fill(0)
      const offs = await Promise.all(
        received.map((_, i) => pubsub.subscribe(`news:${i % 5}`, () => void received[i]++)),
      )
      const nodes = await masters(cluster)
      try {
        for (let c = 0; c < 5; c++) {
          const counts = await Promise.all(
            nodes.map(async (n) =>
              Number(((await n.call('pubsub', 'numsub', `${name}:pubsub:news:${c}`)) as unknown[])[1]),
            ),
          )
          expect(counts.reduce((a, b) => a + b, 0)).toBe(1)
        }
        const lists = await Promise.all(nodes.map((n) => n.call('client', 'list') as Promise<string>))
        const subscribers = lists
          .flatMap((list) => list.split('\n'))
          .filter((line) => line.includes(`name=${name}`) && / sub=[1-9]/.test(line))
        expect(subscribers).toHaveLength(1)
        expect(subscribers[0]).toMatch(/ sub=5 /)
        for (let c = 0; c < 5; c++) await pubsub.publish(`news:${c}`, c)
        for (let i = 0; i < 200 && received.some((n) => n === 0); i++)
          await new Promise((r) => setTimeout(r, 10))
        expect(received.every((n) => n === 1)).toBe(true)
      } finally {
        for (const n of nodes) n.disconnect()
        await Promise.all(offs.map((off) => off()))
      }
    })
  },
)
