/**
 * HyperLogLog adds across a Redis outage, through the FailoverStore createKit builds: ids added
 * while Redis is unreachable reach Redis on recovery (PFADD is idempotent: replayed at least once).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createHyperLogLog } from '../../src/hyperloglog/index.js'
import { createRedisStore, type RedisStore } from '../../src/stores/index.js'
import { failoverOver, type Harness, uniquePrefix, until } from '../faults/helpers.js'
import { redisUrl } from '../support/env.js'
import { cleanup, proxy } from '../support/fault-proxy-clients.js'

describe('hyperloglog across an outage', () => {
  let h: Harness | undefined
  let direct: RedisStore | undefined
  afterEach(async () => {
    await h?.close()
    await direct?.close()
    await cleanup()
  })

  it('replays the ids added while Redis was down', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl())
    const prefix = uniquePrefix('hll')
    const hll = createHyperLogLog(h.store, { prefix })
    await hll.add('visitors', 'a', 'b')
    p.refuse(true)
    p.cut('rst')
    await hll.add('visitors', 'b', 'c', 'd')
    expect(await hll.count('visitors')).toBe(3) // memory holds what the outage added
    expect(h.events.failover).toBe(1)
    p.refuse(false)
    p.pass()
    await until('recovered', () => h!.events.recovered === 1, 8000)
    direct = createRedisStore(redisUrl())
    expect(await createHyperLogLog(direct, { prefix }).count('visitors')).toBe(4)
    expect(await hll.count('visitors')).toBe(4)
  })
})
