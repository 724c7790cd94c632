/**
 * A session's life on every store: rotation (the fixation defence) and the idle and absolute
 * timeouts, enforced by the store. Waits are bounded polls, never timing claims; the exact
 * deadlines are checked on a memory store with a hand-driven clock (the scripts' twins are
 * proven equal to their Lua in scripts.test.ts).
 */
import { describe, expect, it } from 'vitest'
import { createSessions } from '../../src/sessions/index.js'
import { createKeyScheme } from '../../src/sessions/keys.js'
import { createMemoryStore } from '../../src/stores/index.js'
import { storeMatrix } from '../support/stores.js'
import { eventually, sleep, useSessions } from './helpers.js'

describe.each(storeMatrix())('session lifecycle on $name', (storeCase) => {
  const h = useSessions(storeCase)

  it('rotate: a new id with the same data; the old id is dead at once; the deadline is kept', async () => {
    const sessions = h.sessions()
    const s = await sessions.create({ cart: ['book'] })
    const rotated = await sessions.rotate(s.id)
    expect(rotated).not.toBeNull()
    expect(rotated!.id).not.toBe(s.id)
    expect(rotated).toMatchObject({
      data: { cart: ['book'] },
      version: 2,
      createdAt: s.createdAt,
      absoluteExpiresAt: s.absoluteExpiresAt,
    })
    expect(await sessions.get(s.id)).toBeNull()
    expect(await sessions.set(s.id, { cart: [] })).toBeNull()
    expect(await sessions.get(rotated!.id)).toMatchObject({ data: { cart: ['book'] }, version: 2 })
    expect(await sessions.count()).toBe(1)
    expect(await sessions.rotate(s.id)).toBeNull()
    const replaced = await sessions.rotate(rotated!.id, { data: { cart: [] } })
    expect(replaced?.data).toEqual({ cart: [] })
    expect(await sessions.get(replaced!.id)).toMatchObject({ data: { cart: [] } })
  })

  it('fixation: a planted anonymous id bound to a user at log-in is useless afterwards', async () => {
    const sessions = h.sessions()
    const planted = await sessions.create({ theme: 'dark' }) // the attacker's id, handed to the victim
    const loggedIn = await sessions.rotate(planted.id, { userId: 'victim' })
    expect(loggedIn).toMatchObject({ data: { theme: 'dark' }, absoluteExpiresAt: planted.absoluteExpiresAt })
    expect(await sessions.get(planted.id)).toBeNull()
    expect(await sessions.update(planted.id, { admin: true })).toBeNull()
    const listed = await sessions.listForUser('victim')
    expect(listed.map((s) => s.data)).toEqual([{ theme: 'dark' }])
    // rotating again (privilege change) keeps the user
    const again = await sessions.rotate(loggedIn!.id)
    expect(await sessions.get(loggedIn!.id)).toBeNull()
    expect((await sessions.listForUser('victim')).map((s) => s.version)).toEqual([again!.version])
    // and moving a session to another user leaves none with the first
    await sessions.rotate(again!.id, { userId: 'someone-else' })
    expect(await sessions.listForUser('victim')).toEqual([])
    expect(await sessions.listForUser('someone-else')).toHaveLength(1)
  })

  it('concurrent rotations of one id: exactly one wins', async () => {
    const sessions = h.sessions()
    for (const userId of [undefined, 'racer']) {
      const s = await sessions.create({ n: 1 }, userId ? { userId } : {})
      const results = await Promise.all(Array.from({ length: 6 }, () => sessions.rotate(s.id)))
      const winners = results.filter((r) => r !== null)
      expect(winners).toHaveLength(1)
      expect(await sessions.get(winners[0]!.id)).toMatchObject({ data: { n: 1 } })
    }
    expect(await sessions.count()).toBe(2)
  })

  it('idle timeout: an unused session ends by itself', async () => {
    const sessions = h.sessions()
    const s = await sessions.create({ n: 1 }, { ttl: '300ms' })
    const other = await sessions.create({ n: 2 }, { ttl: '1h' })
    expect(s.expiresAt).toBeLessThan(other.expiresAt)
    // polled with count(), which reads the index: a get() is activity and would keep it alive
    await eventually('the idle session is gone', async () => (await sessions.count()) === 1)
    expect(await sessions.get(s.id)).toBeNull()
    expect(await sessions.get(other.id)).not.toBeNull()
  })

  it('touch extends the idle deadline, only once touchAfter of it has passed', async () => {
    const rolling = h.sessions({ touchAfter: 0 })
    const s = await rolling.create({}, { ttl: '1h' })
    await sleep(15)
    const touched = await rolling.touch(s.id)
    expect(touched!.expiresAt).toBeGreaterThan(s.expiresAt)
    const throttled = h.sessions({ touchAfter: 1 })
    const t = await throttled.create({}, { ttl: '1h' })
    await sleep(15)
    expect((await throttled.touch(t.id))!.expiresAt).toBe(t.expiresAt) // an hour has not passed
    expect((await throttled.get(t.id))!.expiresAt).toBe(t.expiresAt)
  })

  it("the record's TTL is its expiry: the earlier of the idle and the absolute deadline", async () => {
    const cases = [
      { idleTimeout: '1h', absoluteTimeout: '60s', expected: 60_000 },
      { idleTimeout: '60s', absoluteTimeout: '1h', expected: 60_000 },
    ] as const
    for (const { expected, ...timeouts } of cases) {
      const sessions = h.sessions(timeouts)
      const keys = createKeyScheme(h.prefix())
      // without a user (create-plain), with one (create), and after a write
      const plain = await sessions.create({ n: 1 })
      const bound = await sessions.create({ n: 2 }, { userId: 'ida' })
      await sessions.set(bound.id, { n: 3 })
      for (const s of [plain, bound]) {
        expect(s.expiresAt - s.createdAt).toBe(expected)
        const ttl = await h.store().pttl(keys.session(s.id).record)
        expect(ttl).toBeGreaterThan(expected - 10_000)
        expect(ttl).toBeLessThanOrEqual(expected)
      }
    }
  })

  it('absolute timeout: a session without a user, read with a plain GET, ends with its key', async () => {
    // touchAfter 1: reads never extend it, so the key's own TTL is what ends it
    const sessions = h.sessions({ absoluteTimeout: '400ms', idleTimeout: '1h', touchAfter: 1 })
    const s = await sessions.create({ n: 1 })
    expect(await sessions.get(s.id)).not.toBeNull()
    await eventually(
      'the session reached its absolute deadline',
      async () => (await sessions.get(s.id)) === null,
    )
  })

  it('absolute timeout: a session in constant use still ends', async () => {
    const sessions = h.sessions({ absoluteTimeout: '600ms', idleTimeout: '1h', touchAfter: 0 })
    const s = await sessions.create({ busy: true })
    expect(s.absoluteExpiresAt - s.createdAt).toBe(600)
    expect(s.expiresAt).toBe(s.absoluteExpiresAt)
    let touches = 0
    await eventually('the session reached its absolute deadline', async () => {
      const touched = await sessions.touch(s.id)
      if (touched) {
        touches++
        expect(touched.expiresAt).toBeLessThanOrEqual(s.absoluteExpiresAt)
      }
      return touched === null
    })
    expect(touches).toBeGreaterThan(0)
    expect(await sessions.get(s.id)).toBeNull()
    expect(await sessions.count()).toBe(0)
  })
})

describe('deadlines, exactly (memory store, a hand-driven clock)', () => {
  let clock = 1_800_000_000_000
  const store = createMemoryStore({ now: () => clock })
  const options = { idleTimeout: '10s', absoluteTimeout: '60s', touchAfter: 0.5 } as const

  it('idle: alive until the last millisecond, extended only after half the idle timeout', async () => {
    const sessions = createSessions(store, { ...options, prefix: 'idle:' })
    const t0 = clock
    const s = await sessions.create({})
    expect(s.expiresAt).toBe(t0 + 10_000)
    clock = t0 + 4_999
    expect(await sessions.touch(s.id)).toMatchObject({ expiresAt: t0 + 10_000 })
    clock = t0 + 5_000
    expect(await sessions.touch(s.id)).toMatchObject({ expiresAt: t0 + 15_000 })
    clock = t0 + 14_999
    expect(await sessions.count()).toBe(1) // count() reads without extending
    clock = t0 + 15_000
    expect(await sessions.count()).toBe(0)
    expect(await sessions.get(s.id)).toBeNull()
  })

  it('absolute: however often touched, the session ends at createdAt + absoluteTimeout', async () => {
    const sessions = createSessions(store, { ...options, prefix: 'absolute:' })
    const t0 = clock
    const s = await sessions.create({})
    for (let at = t0 + 5_000; at < t0 + 60_000; at += 5_000) {
      clock = at
      expect(await sessions.touch(s.id)).toMatchObject({ expiresAt: Math.min(at + 10_000, t0 + 60_000) })
    }
    clock = t0 + 59_999
    const rotated = await sessions.rotate(s.id)
    expect(rotated).toMatchObject({ absoluteExpiresAt: t0 + 60_000, expiresAt: t0 + 60_000 })
    clock = t0 + 60_000
    expect(await sessions.get(rotated!.id)).toBeNull()
  })
})
