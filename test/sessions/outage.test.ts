/**
 * Sessions through a Redis outage (a FailoverStore over the fault proxy): what a user sees while
 * Redis is unreachable, and what reaches Redis once it is back — sessions created during the
 * outage, log-outs, and "log out everywhere" for sessions that only Redis holds.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createSessions } from '../../src/sessions/index.js'
import { failoverOver, type Harness, uniquePrefix, until } from '../faults/helpers.js'
import { redisUrl } from '../support/env.js'
import { cleanup, proxy } from '../support/fault-proxy-clients.js'
import { deletePrefix } from '../support/stores.js'

describe('sessions during a Redis outage (FailoverStore)', () => {
  let h: Harness | undefined
  let prefix = ''
  afterEach(async () => {
    if (h) await deletePrefix(h.store, prefix)
    await h?.close()
    await cleanup()
  })

  it('serves from memory while down, then replays creates, log-outs and revocations in order', async () => {
    const p = await proxy()
    h = failoverOver(p.url, redisUrl())
    prefix = uniquePrefix('sessions')
    const sessions = createSessions(h.store, { prefix })
    const mine = await sessions.create({ n: 1 }, { userId: 'ursula' })
    const mineToo = await sessions.create({ n: 2 }, { userId: 'ursula' })
    const anonymous = await sessions.create({ n: 3 })

    p.refuse(true)
    p.cut('rst')
    // a durable write that fails opens the circuit at once: from then on, calls go to memory
    await until('the circuit is open', async () => {
      await h!.store.set(`${prefix}probe`, '1')
      return h!.store.state() === 'open'
    })
    // sessions created before the outage are not in memory: they read as absent (logged out)
    expect(await sessions.get(mine.id)).toBeNull()
    expect(await sessions.destroy(anonymous.id)).toBe(false) // not in memory, but journaled
    expect(await sessions.destroyAllForUser('ursula')).toBe(0) // likewise: its marker is journaled
    const during = await sessions.create({ n: 4 }, { userId: 'vic' })
    expect(await sessions.get(during.id)).toMatchObject({ data: { n: 4 } })
    const updated = await sessions.update(during.id, { n: 5 })
    expect(updated).toMatchObject({ version: 2 })

    p.pass()
    p.refuse(false)
    await until('recovered', () => h!.events.recovered === 1, 8000)
    // the log-out and the revocation reached Redis; so did the session created meanwhile
    expect(await sessions.get(anonymous.id)).toBeNull()
    expect(await sessions.get(mine.id)).toBeNull()
    expect(await sessions.get(mineToo.id)).toBeNull()
    expect(await sessions.get(during.id)).toMatchObject({ data: { n: 5 }, version: 2 })
    expect((await sessions.listForUser('vic')).map((s) => s.data)).toEqual([{ n: 5 }])
    expect(await sessions.listForUser('ursula')).toEqual([])
    expect(await sessions.count()).toBe(1)
  })
})
