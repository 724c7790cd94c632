/**
 * Security properties on every store: encryption at rest (fresh IV per write, the id bound as
 * associated data, key rotation), tampered and foreign records rejected without being parsed,
 * schema validation on write and read, and no prototype pollution from stored data.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { isKitError } from '../../src/errors.js'
import { createKeyScheme } from '../../src/sessions/keys.js'
import type { RejectReason } from '../../src/sessions/payload.js'
import { formatRecord, parseRecord } from '../../src/sessions/record.js'
import { storeMatrix } from '../support/stores.js'
import { useSessions } from './helpers.js'

const k1 = { id: 'k1', key: randomBytes(32) }
const k2 = { id: 'k2', key: randomBytes(32).toString('base64') }

/** Replaces one character of `text` at `index` by another base64url character. */
function flip(text: string, index: number): string {
  const c = text[index]!
  return text.slice(0, index) + (c === 'A' ? 'B' : 'A') + text.slice(index + 1)
}

describe.each(storeMatrix())('session security on $name', (storeCase) => {
  const h = useSessions(storeCase)
  const recordOf = (prefix: string, id: string) => createKeyScheme(prefix).session(id).record
  /** The payload part of a stored record. */
  const payloadOf = async (key: string) => parseRecord(await h.store().get(key))!.d
  /** Rewrites the payload part of a stored record, keeping the rest and the TTL. */
  const setPayload = async (key: string, d: string) => {
    const rec = parseRecord(await h.store().get(key))!
    await h.store().set(key, formatRecord({ ...rec, d }), { keepTtl: true })
  }

  it('encrypts at rest with a fresh IV per write; the stored form reveals nothing', async () => {
    const sessions = h.sessions({ encryption: { keys: [k1] } })
    const s = await sessions.create({ secret: 'hunter2-value' })
    const key = recordOf(h.prefix(), s.id)
    const first = await payloadOf(key)
    expect(first).toMatch(/^g1\.k1\.[\w-]{22}\.[\w-]{16}\.[\w-]+$/)
    expect(first).not.toContain('hunter2')
    await sessions.set(s.id, { secret: 'hunter2-value' })
    const second = await payloadOf(key)
    expect(second.split('.')[3]).not.toBe(first.split('.')[3]) // another IV
    expect(second.split('.')[4]).not.toBe(first.split('.')[4])
    expect(await sessions.get(s.id)).toMatchObject({ data: { secret: 'hunter2-value' }, version: 2 })
  })

  it('rejects a record with a flipped byte — in the ciphertext, the tag, the IV, the salt, the key id', async () => {
    const sessions = h.sessions({ encryption: { keys: [k1] } })
    const reasons: RejectReason[] = []
    sessions.on('rejected', ({ reason }) => reasons.push(reason))
    const s = await sessions.create({ role: 'user' })
    const key = recordOf(h.prefix(), s.id)
    const original = await payloadOf(key)
    const [version, keyId, salt, iv, body] = original.split('.') as [string, string, string, string, string]
    const tampered = [
      [version, keyId, salt, iv, flip(body, 3)], // ciphertext
      [version, keyId, salt, iv, flip(body, body.length - 2)], // tag
      [version, keyId, salt, flip(iv, 0), body],
      [version, keyId, flip(salt, 5), iv, body],
      [version, keyId, salt, iv, body.slice(0, -1)], // truncated: not canonical base64url
      [version, 'k9', salt, iv, body],
    ]
    for (const parts of tampered) {
      await setPayload(key, parts.join('.'))
      expect(await sessions.get(s.id)).toBeNull()
    }
    expect(reasons).toEqual(['tampered', 'tampered', 'tampered', 'tampered', 'tampered', 'unknown-key'])
    expect(sessions.stats().rejected).toBe(6)
    await setPayload(key, original)
    expect(await sessions.get(s.id)).toMatchObject({ data: { role: 'user' } })
    // a flipped byte in the record's bookkeeping: the record no longer counts as a session
    await h.store().set(key, `x${(await h.store().get(key))!.slice(1)}`, { keepTtl: true })
    expect(await sessions.get(s.id)).toBeNull()
  })

  it("rejects a foreign record: another session's ciphertext copied under this session", async () => {
    const sessions = h.sessions({ encryption: { keys: [k1] } })
    const reasons: RejectReason[] = []
    sessions.on('rejected', ({ reason }) => reasons.push(reason))
    const admin = await sessions.create({ role: 'admin' })
    const mine = await sessions.create({ role: 'user' })
    const adminPayload = await payloadOf(recordOf(h.prefix(), admin.id))
    await setPayload(recordOf(h.prefix(), mine.id), adminPayload)
    expect(await sessions.get(mine.id)).toBeNull()
    expect(reasons).toEqual(['tampered'])
    expect(await sessions.get(admin.id)).toMatchObject({ data: { role: 'admin' } })
  })

  it('rotates keys: the first key encrypts, any configured key decrypts, a removed key cannot', async () => {
    const before = h.sessions({ encryption: { keys: [k1] } })
    const prefix = h.prefix()
    const old = await before.create({ n: 1 }, { userId: 'kim' })
    const during = h.sessions({ prefix, encryption: { keys: [k2, k1] } })
    expect(await during.get(old.id)).toMatchObject({ data: { n: 1 } })
    const rewritten = await during.update(old.id, { n: 2 })
    expect((await payloadOf(recordOf(prefix, old.id))).startsWith('g1.k2.')).toBe(true)
    const fresh = await during.create({ n: 3 })
    const after = h.sessions({ prefix, encryption: { keys: [k2] } })
    expect(await after.get(rewritten!.id)).toMatchObject({ data: { n: 2 } })
    expect(await after.get(fresh.id)).toMatchObject({ data: { n: 3 } })
    const untouched = await before.create({ n: 4 })
    const reasons: RejectReason[] = []
    after.on('rejected', ({ reason }) => reasons.push(reason))
    expect(await after.get(untouched.id)).toBeNull()
    expect(reasons).toEqual(['unknown-key'])
  })

  it('encrypted sessions rotate, move to a user and list: the new id opens its record', async () => {
    const sessions = h.sessions({ encryption: { keys: [k1] } })
    const s = await sessions.create({ cart: 2 })
    const rotated = await sessions.rotate(s.id)
    expect(await sessions.get(rotated!.id)).toMatchObject({ data: { cart: 2 }, version: 2 })
    const bound = await sessions.rotate(rotated!.id, { userId: 'lee' })
    expect(await sessions.get(bound!.id)).toMatchObject({ data: { cart: 2 } })
    expect((await sessions.listForUser('lee')).map((x) => x.data)).toEqual([{ cart: 2 }])
    expect(await sessions.get(s.id)).toBeNull()
    expect(await sessions.get(rotated!.id)).toBeNull()
  })

  it('plaintext records are refused once encryption is on, unless acceptPlaintext', async () => {
    const plain = h.sessions()
    const prefix = h.prefix()
    const s = await plain.create({ n: 1 })
    const strict = h.sessions({ prefix, encryption: { keys: [k1] } })
    expect(await strict.get(s.id)).toBeNull()
    expect(strict.stats().rejected).toBe(1)
    const migrating = h.sessions({ prefix, encryption: { keys: [k1], acceptPlaintext: true } })
    expect(await migrating.get(s.id)).toMatchObject({ data: { n: 1 } })
    await migrating.update(s.id, { n: 2 })
    expect(await strict.get(s.id)).toMatchObject({ data: { n: 2 } }) // written encrypted
  })

  it('an unreadable plaintext record reads as absent instead of throwing', async () => {
    const sessions = h.sessions()
    const reasons: RejectReason[] = []
    sessions.on('rejected', ({ reason }) => reasons.push(reason))
    const s = await sessions.create({ n: 1 })
    await setPayload(recordOf(h.prefix(), s.id), '{"n": 1')
    expect(await sessions.get(s.id)).toBeNull()
    await setPayload(recordOf(h.prefix(), s.id), '[1,2]')
    expect(await sessions.get(s.id)).toBeNull()
    expect(reasons).toEqual(['malformed', 'malformed'])
  })

  it('validates data with a zod schema on write (typed error) and on read (rejected)', async () => {
    const schema = z.object({ userId: z.string(), visits: z.number().int().default(0) })
    const sessions = h.sessions({ schema })
    const s = await sessions.create({ userId: 'u1' } as never)
    expect(s.data).toEqual({ userId: 'u1', visits: 0 })
    expect(await sessions.get(s.id)).toMatchObject({ data: { userId: 'u1', visits: 0 } })
    const err = await sessions.set(s.id, { userId: 5, visits: 'x' } as never).catch((e: unknown) => e)
    expect(isKitError(err, 'INVALID_ARGUMENT')).toBe(true)
    expect((err as Error).message).toMatch(/does not match the sessions schema: userId: .*; visits: /)
    const loose = h.sessions({ prefix: h.prefix() })
    const bad = await loose.create({ userId: 42 })
    expect(await sessions.get(bad.id)).toBeNull()
    expect(sessions.stats().rejected).toBe(1)
  })

  it('stored data cannot pollute prototypes', async () => {
    const sessions = h.sessions()
    const hostile = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "ok": 1}',
    )
    const s = await sessions.create(hostile)
    const read = await sessions.get(s.id)
    expect(read!.data).toEqual({ ok: 1 })
    expect(Object.hasOwn(read!.data, '__proto__')).toBe(false)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    const merged = await sessions.update(s.id, JSON.parse('{"__proto__": {"polluted": true}}'))
    expect(merged!.data).toEqual({ ok: 1 })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
