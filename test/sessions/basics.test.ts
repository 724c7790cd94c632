/**
 * The single-session API on every store: create, get, set, update, touch, destroy, count; what
 * Redis holds (hashes, never ids); bad input and bad options as typed errors that name the fix.
 */
import { describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { createSessions } from '../../src/sessions/index.js'
import { createMemoryStore } from '../../src/stores/index.js'
import { storeMatrix } from '../support/stores.js'
import { keysUnder, useSessions } from './helpers.js'

describe.each(storeMatrix())('sessions on $name', (storeCase) => {
  const h = useSessions(storeCase)

  it('creates sessions with 192-bit base64url ids and reads them back', async () => {
    const sessions = h.sessions()
    const data = {
      user: 'ada',
      at: new Date(1_000),
      bytes: Buffer.from([0, 255]),
      nested: { list: [1, 'two'] },
    }
    const created = await sessions.create(data)
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(created.version).toBe(1)
    expect(created.expiresAt).toBeGreaterThan(created.createdAt)
    expect(created.absoluteExpiresAt).toBeGreaterThanOrEqual(created.expiresAt)
    const read = await sessions.get(created.id)
    expect(read).toEqual({ ...created, data })
    const ids = new Set(
      await Promise.all(Array.from({ length: 50 }, async () => (await sessions.create({})).id)),
    )
    expect(ids.size).toBe(50)
  })

  it('stores only hashes: no key or index reveals a session id or a user id', async () => {
    const sessions = h.sessions()
    const a = await sessions.create({ n: 1 }, { userId: 'user-7@example.com' })
    const b = await sessions.create({ n: 2 })
    const keys = await keysUnder(h.store(), h.prefix())
    expect(keys.length).toBeGreaterThanOrEqual(4) // 2 records, the group indexes, the user's index
    const everything = [...keys]
    for (const key of keys) {
      const type = await h.store().type(key)
      if (type === 'zset') everything.push(...(await h.store().zrange(key, 0, -1)))
      if (type === 'string') everything.push((await h.store().get(key))!)
    }
    const dump = everything.join('\n')
    for (const secret of [a.id, b.id, 'user-7']) expect(dump).not.toContain(secret)
  })

  it('set replaces the data and bumps the version; update merges; a missing session gives null', async () => {
    const sessions = h.sessions<{ a?: number; b?: number }>()
    const s = await sessions.create({ a: 1 })
    const written = await sessions.set(s.id, { b: 2 })
    expect(written).toMatchObject({ id: s.id, data: { b: 2 }, version: 2, createdAt: s.createdAt })
    const merged = await sessions.update(s.id, { a: 3 })
    expect(merged?.data).toEqual({ a: 3, b: 2 })
    expect(merged?.version).toBe(3)
    expect((await sessions.update(s.id, (d) => ({ ...d, b: (d.b ?? 0) + 1 })))?.data).toEqual({ a: 3, b: 3 })
    expect(await sessions.get(s.id)).toMatchObject({ data: { a: 3, b: 3 }, version: 4 })
    expect(await sessions.set('A'.repeat(32), { a: 1 })).toBeNull()
    expect(await sessions.update('A'.repeat(32), { a: 1 })).toBeNull()
    expect(await sessions.get('A'.repeat(32))).toBeNull()
  })

  it('destroy ends a session once; touch and count see it go', async () => {
    const sessions = h.sessions()
    const before = await sessions.count()
    const s = await sessions.create({})
    expect(await sessions.count()).toBe(before + 1)
    expect(await sessions.touch(s.id)).toMatchObject({ absoluteExpiresAt: s.absoluteExpiresAt })
    expect(await sessions.destroy(s.id)).toBe(true)
    expect(await sessions.destroy(s.id)).toBe(false)
    expect(await sessions.get(s.id)).toBeNull()
    expect(await sessions.touch(s.id)).toBeNull()
    expect(await sessions.count()).toBe(before)
    expect(sessions.stats()).toMatchObject({ created: 1, destroyed: 1 })
  })

  it('count() reads the indexes of every group: many sessions, users and none', async () => {
    const sessions = h.sessions()
    const made = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        sessions.create({ i }, i % 3 === 0 ? { userId: `u${i % 7}` } : {}),
      ),
    )
    expect(await sessions.count()).toBe(120)
    await Promise.all(made.slice(0, 20).map((s) => sessions.destroy(s.id)))
    expect(await sessions.count()).toBe(100)
  })

  it('bad input fails with a RedisKitError that names the fix, before anything is written', async () => {
    const sessions = h.sessions()
    const cases: [() => Promise<unknown>, string, RegExp][] = [
      [() => sessions.get(42 as never), 'INVALID_ARGUMENT', /session id must be a non-empty string/],
      [() => sessions.get(''), 'INVALID_ARGUMENT', /pass the id that create\(\) or rotate\(\) returned/],
      [() => sessions.create('text' as never), 'INVALID_ARGUMENT', /must be a plain object/],
      [() => sessions.create([1] as never), 'INVALID_ARGUMENT', /must be a plain object/],
      [() => sessions.create({ n: Number.NaN }), 'INVALID_ARGUMENT', /JSON would turn it into null/],
      [() => sessions.create({ m: new Map() }), 'INVALID_ARGUMENT', /convert it to an array/],
      [() => sessions.create({}, { ttl: -1 }), 'INVALID_ARGUMENT', /ttl must be a number of seconds/],
      [() => sessions.create({}, { ttl: '5 parsecs' as never }), 'INVALID_ARGUMENT', /'250ms', '30s'/],
      [
        () => sessions.create({}, { ttl: 1e20 }),
        'INVALID_ARGUMENT',
        /ttl must be at most 9007199254740991 ms/,
      ],
      [
        () => sessions.create({}, { userId: 7 as never }),
        'INVALID_ARGUMENT',
        /convert numeric ids with String/,
      ],
      [() => sessions.set('x', {}, { version: 0 }), 'INVALID_ARGUMENT', /version must be a positive integer/],
      [
        () => sessions.update('x', 5 as never),
        'INVALID_ARGUMENT',
        /patch must be an object to merge or a function/,
      ],
      [() => sessions.listForUser(''), 'INVALID_ARGUMENT', /userId must be a non-empty string/],
      [() => sessions.destroyAllForUser('u', { except: 3 as never }), 'INVALID_ARGUMENT', /except must be/],
      [() => sessions.create({ big: 'x'.repeat(300_000) }), 'VALUE_TOO_LARGE', /raise maxBytes/],
    ]
    for (const [call, code, message] of cases) {
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(isKitError(err, code as never), `${message}: ${String(err)}`).toBe(true)
      expect((err as Error).message).toMatch(message)
    }
    expect(await sessions.count()).toBe(0)
  })
})

describe('createSessions options', () => {
  const store = createMemoryStore()
  it.each([
    [{ idleTimeout: 0 }, /idleTimeout: must be at least 1 ms/],
    [{ absoluteTimeout: 1e16 }, /absoluteTimeout: must be at most 9007199254740991 ms/],
    [{ absoluteTimeout: 'forever' }, /absoluteTimeout: must be a number of seconds/],
    [{ touchAfter: 2 }, /touchAfter/],
    [{ prefix: 'a*' }, /prefix: must not contain/],
    [{ encryption: { keys: [] } }, /encryption.keys: needs at least one key/],
    [{ encryption: { keys: [{ id: 'k1', key: 'short' }] } }, /openssl rand -base64 32/],
    [{ encryption: { keys: [{ id: 'a.b', key: Buffer.alloc(32) }] } }, /letters, digits/],
    [{ schema: { parse: () => 1 } }, /Standard Schema/],
    [{ unknown: 1 }, /Unrecognized key/i],
  ])('%j is refused with INVALID_OPTIONS', (options, message) => {
    let err: unknown
    try {
      createSessions(store, options as never)
    } catch (e) {
      err = e
    }
    expect(isKitError(err, 'INVALID_OPTIONS')).toBe(true)
    expect((err as Error).message).toMatch(message)
  })
})
