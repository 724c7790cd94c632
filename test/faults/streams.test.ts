/**
 * Stream appends through a FailoverStore while Redis is unreachable, through the fault proxy:
 * they are served by memory, journaled with the ids memory gave them and replayed in order with
 * those ids (so ids handed out during the outage stay valid); appends whose replies were lost
 * are not added twice; a replay meeting larger ids in Redis appends with a new id rather than
 * lose the entry; reads that move a delivery (XREADGROUP) are never replayed.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { redisUrl } from '../support/env.js'
import { cleanup, proxy } from '../support/fault-proxy-clients.js'
import { failoverOver, type Harness, uniquePrefix, until } from './helpers.js'

const DEADLINE = 250

const flat = (entries: [string, string[]][]) => entries.map(([id, fields]) => [id, fields.join('=')])

describe('stream appends during an outage', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.close()
    await cleanup()
  })

  it('are replayed in order, with the ids memory gave them', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl())
    const key = `${uniquePrefix('xadd')}chat`
    const before = [await h.store.xadd(key, { n: '0' }), await h.store.xadd(key, { n: '1' })]
    p.refuse(true)
    p.cut('rst')
    const during: string[] = []
    for (let i = 2; i < 7; i++) during.push((await h.store.xadd(key, { n: String(i) }))!)
    expect(h.store.state()).not.toBe('closed')
    // a reader during the outage sees what this process appended, with those ids
    expect((await h.store.xrange(key, '-', '+')).map((e) => e.id)).toEqual(during)
    p.refuse(false)
    await until('recovered', () => h!.events.recovered === 1, 8000)
    const inRedis = (await h.direct.xrange(key, '-', '+')) as [string, string[]][]
    expect(flat(inRedis)).toEqual([...before, ...during].map((id, n) => [id, `n=${n}`]))
    expect(h.store.stats().journal.size).toBe(0)
  })

  it('whose replies were lost are appended once', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl())
    const key = `${uniquePrefix('indoubt')}chat`
    await h.store.xadd(key, { n: 'first' })
    p.latency(DEADLINE * 3, 0, 'down') // the appends reach Redis and run; their replies come too late
    await Promise.all(Array.from({ length: 20 }, (_, i) => h!.store.xadd(key, { n: String(i) })))
    expect(h.events.failover).toBe(1)
    expect(h.store.stats().journal.size).toBe(20) // every one of them is in doubt
    p.pass()
    p.cut('rst')
    await until('recovered', () => h!.events.recovered === 1, 8000)
    expect(await h.direct.xlen(key)).toBe(21) // each ran once; the replays skipped themselves
    const values = ((await h.direct.xrange(key, '-', '+')) as [string, string[]][]).map(([, f]) => f[1])
    expect(new Set(values).size).toBe(21)
  })

  it('replay with a new id when Redis already holds larger ones, and never replay reads', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl())
    const key = `${uniquePrefix('ahead')}chat`
    await h.store.xadd(key, { n: 'before' })
    await h.store.xgroupCreate(key, 'g', '0')
    p.refuse(true)
    p.cut('rst')
    const during = await h.store.xadd(key, { n: 'during' })
    await h.store.xgroupCreate(key, 'g', '0', { mkstream: true }) // memory has no group yet: created there
    expect(await h.store.xreadgroup('g', 'c', [[key, '>']])).toHaveLength(1)
    const journaled = h.store.stats().journal.size
    await h.store.xreadgroup('g', 'c', [[key, '>']])
    expect(h.store.stats().journal.size).toBe(journaled) // a read that moves a cursor only matters now
    const ahead = `${BigInt(during!.split('-')[0]!) + 60_000n}-0`
    await h.direct.xadd(key, ahead, 'n', 'elsewhere') // another process, straight to Redis
    p.refuse(false)
    await until('recovered', () => h!.events.recovered === 1, 8000)
    const inRedis = (await h.direct.xrange(key, '-', '+')) as [string, string[]][]
    expect(inRedis.map(([, f]) => f[1])).toEqual(['before', 'elsewhere', 'during'])
    expect(inRedis[2]![0]).toBe(`${ahead.split('-')[0]}-1`) // appended after it, with a new id
    const pending = (await h.direct.xpending(key, 'g')) as [number]
    expect(pending[0]).toBe(0) // the delivery from memory was not replayed to Redis
  })
})
