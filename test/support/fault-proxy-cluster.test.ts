import { afterEach, describe, expect, it } from 'vitest'
import { clusterNodes } from './env.js'
import { startClusterProxies } from './fault-proxy.js'
import { cleanup, clusterClient, key, stopLater } from './fault-proxy-clients.js'

/** A Cluster client routed through one fault proxy per node (natMap) on the shared cluster. */
afterEach(cleanup)

describe('cluster through fault proxies', () => {
  it('routes SET/GET across slots; blackholing one master times out only its keys', async () => {
    const cp = stopLater(await startClusterProxies(clusterNodes()))
    const seeds = cp.proxies.map((p) => ({ host: '127.0.0.1', port: p.port }))
    const cluster = await clusterClient(seeds, { natMap: cp.natMap })

    // The slot owners, by real port, as the nodes announce them.
    const owners = (await cluster.cluster('SLOTS')).map(
      ([from, to, master]) => [from, to, master?.[1] ?? -1] as const,
    )
    const keys = Array.from({ length: 48 }, (_, i) => key(`c${i}`))
    const ownerOf = new Map<string, number>()
    for (const k of keys) {
      const slot = Number(await cluster.cluster('KEYSLOT', k))
      ownerOf.set(k, owners.find(([from, to]) => slot >= from && slot <= to)?.[2] ?? -1)
    }
    const masters = [...new Set(ownerOf.values())]
    expect(masters).toHaveLength(3)

    await Promise.all(keys.map((k) => cluster.set(k, `v-${k}`)))
    expect(await Promise.all(keys.map((k) => cluster.get(k)))).toEqual(keys.map((k) => `v-${k}`))
    // Traffic went through the proxies: the client never talked to a node directly.
    for (const port of masters) expect(cp.proxyFor(port).stats().bytesDown).toBeGreaterThan(0)

    const victim = masters[0] as number
    cp.proxyFor(victim).blackhole()
    const results = await Promise.allSettled(keys.map((k) => cluster.get(k)))
    keys.forEach((k, i) => {
      const result = results[i]
      if (ownerOf.get(k) === victim) expect(result).toMatchObject({ status: 'rejected' })
      else expect(result).toEqual({ status: 'fulfilled', value: `v-${k}` })
    })
    for (const r of results)
      if (r.status === 'rejected') expect((r.reason as Error).message).toMatch(/timed out/i)

    cp.proxyFor(victim).pass()
    cp.proxyFor(victim).cut()
    const others = keys.filter((k) => ownerOf.get(k) !== victim)
    await Promise.all(others.map((k) => cluster.del(k)))
  })
})
