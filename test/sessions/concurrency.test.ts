/**
 * Lost updates on every store: concurrent writers never silently overwrite each other. A write
 * at a version only lands over that version (else CONFLICT); update() re-reads and re-applies.
 */
import { describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { storeMatrix } from '../support/stores.js'
import { useSessions } from './helpers.js'

describe.each(storeMatrix())('concurrent writers on $name', (storeCase) => {
  const h = useSessions(storeCase)

  it('two writers at the same version: one lands, the other gets CONFLICT', async () => {
    const sessions = h.sessions<{ owner: string }>()
    const s = await sessions.create({ owner: 'nobody' })
    const [a, b] = await Promise.all([sessions.get(s.id), sessions.get(s.id)])
    const results = await Promise.allSettled([
      sessions.set(s.id, { owner: 'a' }, { version: a!.version }),
      sessions.set(s.id, { owner: 'b' }, { version: b!.version }),
    ])
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(1)
    expect(isKitError(lost[0]!.reason, 'CONFLICT')).toBe(true)
    expect((lost[0]!.reason as Error).message).toMatch(
      /read it again with get\(\) and retry, or use update\(\)/,
    )
    const winner = (won[0] as PromiseFulfilledResult<{ data: { owner: string } } | null>).value!.data.owner
    expect(await sessions.get(s.id)).toMatchObject({ data: { owner: winner }, version: 2 })
    expect(sessions.stats().conflicts).toBe(1)
  })

  it('update() under 20 concurrent increments loses none', async () => {
    const sessions = h.sessions<{ n: number }>({ updateRetries: 100 })
    const s = await sessions.create({ n: 0 })
    await Promise.all(Array.from({ length: 20 }, () => sessions.update(s.id, (d) => ({ n: d.n + 1 }))))
    expect(await sessions.get(s.id)).toMatchObject({ data: { n: 20 }, version: 21 })
  })

  it('without retries, every increment either lands or fails with CONFLICT: none vanishes', async () => {
    const sessions = h.sessions<{ n: number }>({ updateRetries: 0 })
    const s = await sessions.create({ n: 0 })
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => sessions.update(s.id, (d) => ({ n: d.n + 1 }))),
    )
    const landed = results.filter((r) => r.status === 'fulfilled').length
    for (const r of results) if (r.status === 'rejected') expect(isKitError(r.reason, 'CONFLICT')).toBe(true)
    expect(landed).toBeGreaterThan(0)
    expect((await sessions.get(s.id))!.data.n).toBe(landed)
  })

  it('update() at an explicit version refuses a stale one without retrying', async () => {
    const sessions = h.sessions<{ step: number }>()
    const s = await sessions.create({ step: 1 })
    await sessions.update(s.id, { step: 2 })
    const err = await sessions.update(s.id, { step: 3 }, { version: s.version }).catch((e: unknown) => e)
    expect(isKitError(err, 'CONFLICT')).toBe(true)
    expect(await sessions.get(s.id)).toMatchObject({ data: { step: 2 }, version: 2 })
    expect(await sessions.update(s.id, { step: 3 }, { version: 2 })).toMatchObject({ data: { step: 3 } })
  })

  it('a write never brings back a destroyed session', async () => {
    const sessions = h.sessions()
    const s = await sessions.create({ user: 'x' })
    const read = await sessions.get(s.id)
    await sessions.destroy(s.id) // log-out, while another request still holds the session
    expect(await sessions.set(s.id, { user: 'x', more: 1 }, { version: read!.version })).toBeNull()
    expect(await sessions.set(s.id, { user: 'x' })).toBeNull()
    expect(await sessions.get(s.id)).toBeNull()
  })
})
