/**
 * A user's sessions on every store: listing, "log out everywhere" (with and without keeping the
 * caller's own session), and revocation that reaches sessions the index does not list.
 */
import { describe, expect, it } from 'vitest'
import { groupOfId, mayHaveUser, newSessionId, userRef } from '../../src/sessions/ids.js'
import { createKeyScheme } from '../../src/sessions/keys.js'
import { storeMatrix } from '../support/stores.js'
import { useSessions } from './helpers.js'

describe.each(storeMatrix())('user sessions on $name', (storeCase) => {
  const h = useSessions(storeCase)

  it("listForUser gives the user's live sessions, oldest first, with handles instead of ids", async () => {
    const sessions = h.sessions<{ device: string }>()
    const phone = await sessions.create({ device: 'phone' }, { userId: 'ada' })
    const laptop = await sessions.create({ device: 'laptop' }, { userId: 'ada' })
    await sessions.create({ device: 'other' }, { userId: 'bob' })
    await sessions.create({ device: 'anonymous' })
    const listed = await sessions.listForUser('ada')
    expect(listed.map((s) => s.data.device).sort()).toEqual(['laptop', 'phone'])
    expect(listed[0]!.createdAt).toBeLessThanOrEqual(listed[1]!.createdAt)
    for (const s of listed) {
      expect(s.handle).toMatch(/^[A-Za-z0-9_-]{22}$/)
      expect([phone.id, laptop.id]).not.toContain(s.handle)
      expect(s.expiresAt).toBeGreaterThan(s.lastActiveAt - 1)
      expect(s.absoluteExpiresAt).toBe(s.createdAt + 7 * 86_400_000)
    }
    expect(await sessions.listForUser('nobody')).toEqual([])
  })

  it('listForUser drops what ended and prunes it from the index', async () => {
    const sessions = h.sessions()
    const a = await sessions.create({ n: 1 }, { userId: 'cy' })
    await sessions.create({ n: 2 }, { userId: 'cy' })
    await sessions.destroy(a.id)
    const index = createKeyScheme(h.prefix()).user(userRef('cy')).index
    expect(await h.store().zcard(index)).toBe(2) // destroy leaves the hash for the next listing
    expect((await sessions.listForUser('cy')).map((s) => s.data)).toEqual([{ n: 2 }])
    expect(await h.store().zcard(index)).toBe(1)
  })

  it("destroyAllForUser ends every session of the user and nobody else's", async () => {
    const sessions = h.sessions()
    const mine = await Promise.all([1, 2, 3].map((n) => sessions.create({ n }, { userId: 'dee' })))
    const bound = await sessions.rotate((await sessions.create({ n: 4 })).id, { userId: 'dee' })
    const theirs = await sessions.create({ n: 5 }, { userId: 'eve' })
    const anonymous = await sessions.create({ n: 6 })
    expect(await sessions.destroyAllForUser('dee')).toBe(4)
    for (const s of [...mine, bound!]) expect(await sessions.get(s.id)).toBeNull()
    expect(await sessions.get(theirs.id)).not.toBeNull()
    expect(await sessions.get(anonymous.id)).not.toBeNull()
    expect(await sessions.listForUser('dee')).toEqual([])
    expect(await sessions.count()).toBe(2)
    expect(await sessions.destroyAllForUser('dee')).toBe(0)
    // logging in again afterwards works
    const fresh = await sessions.create({ n: 7 }, { userId: 'dee' })
    expect(await sessions.get(fresh.id)).toMatchObject({ data: { n: 7 } })
    expect(await sessions.listForUser('dee')).toHaveLength(1)
  })

  it('"log out my other devices": except keeps the caller\'s session, and only it', async () => {
    const sessions = h.sessions()
    const here = await sessions.create({ device: 'here' }, { userId: 'fay' })
    const elsewhere = await Promise.all([1, 2].map((n) => sessions.create({ n }, { userId: 'fay' })))
    expect(await sessions.destroyAllForUser('fay', { except: here.id })).toBe(2)
    expect(await sessions.get(here.id)).toMatchObject({ data: { device: 'here' } })
    for (const s of elsewhere) expect(await sessions.get(s.id)).toBeNull()
    // the kept session goes on living, rotates, and a later log-out-everywhere still ends it
    const rotated = await sessions.rotate(here.id)
    expect(await sessions.get(rotated!.id)).not.toBeNull()
    expect(await sessions.listForUser('fay')).toHaveLength(1)
    expect(await sessions.destroyAllForUser('fay')).toBe(1)
    expect(await sessions.get(rotated!.id)).toBeNull()
  })

  it('revocation reaches a session the index does not list (created concurrently, or only in Redis)', async () => {
    const sessions = h.sessions()
    const hidden = await sessions.create({ n: 1 }, { userId: 'gus' })
    const index = createKeyScheme(h.prefix()).user(userRef('gus')).index
    await h.store().del([index]) // as if the index had been written elsewhere (an outage's memory)
    expect(await sessions.listForUser('gus')).toEqual([])
    expect(await sessions.get(hidden.id)).not.toBeNull()
    expect(await sessions.destroyAllForUser('gus')).toBe(0) // nothing listed to delete…
    expect(await sessions.get(hidden.id)).toBeNull() // …but the marker ends it
    expect(await sessions.rotate(hidden.id)).toBeNull()
    expect(await sessions.count()).toBe(0)
  })

  it("a user's record under an id without the user mark (as 0.1.0 issued them) is still checked", async () => {
    const sessions = h.sessions()
    const { id } = await sessions.create({ n: 1 }, { userId: 'hal' })
    const keys = createKeyScheme(h.prefix())
    // the same record under an id of the same group that reads with a plain GET first
    const unmarked = newSessionId(groupOfId(id), false)
    expect(mayHaveUser(id)).toBe(true)
    expect(mayHaveUser(unmarked)).toBe(false)
    const record = await h.store().get(keys.session(id).record)
    await h.store().set(keys.session(unmarked).record, record!, { px: 60_000 })
    expect(await sessions.get(unmarked)).toMatchObject({ data: { n: 1 } })
    await sessions.destroyAllForUser('hal')
    expect(await sessions.get(unmarked)).toBeNull() // the GET met a user's record: the script decided
  })
})
