/**
 * Session ids: the group an id names is its last byte (read from its characters without decoding
 * it), the "may have a user" bit is the first character's low bit, and ids in any other format
 * get a group from their SHA-256; the stored name of an id is the base64url of its SHA-256's
 * first 16 bytes.
 */
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { groupOfId, hashId, ID_BYTES, mayHaveUser, newSessionId } from '../../src/sessions/ids.js'

describe('session ids', () => {
  it("an id's group is its last byte, for any 24 bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: ID_BYTES, maxLength: ID_BYTES }), (bytes) => {
        const id = Buffer.from(bytes).toString('base64url')
        expect(groupOfId(id)).toBe(bytes[ID_BYTES - 1])
      }),
      { numRuns: 2000, seed: 20261123 },
    )
  })

  it('new ids carry the group and the user mark they were issued with', () => {
    for (let group = 0; group < 256; group++) {
      for (const user of [true, false]) {
        const id = newSessionId(group, user)
        expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/)
        expect(groupOfId(id)).toBe(group)
        expect(mayHaveUser(id)).toBe(user)
        expect(Buffer.from(id, 'base64url')[ID_BYTES - 1]).toBe(group)
      }
    }
  })

  it('4 first characters in 64 mark an id that may have a user; ids of another length never do', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const marked = [...alphabet].filter((c) => mayHaveUser(c + 'A'.repeat(31)))
    expect(marked).toEqual(['P', 'f', 'v', '_'])
    for (let i = 0; i < 500; i++) {
      expect(marked).toContain(newSessionId(undefined, true)[0])
      expect(marked).not.toContain(newSessionId(undefined, false)[0])
    }
    for (const id of ['P', '_'.repeat(31), '_'.repeat(33), `_${'A'.repeat(35)}`])
      expect(mayHaveUser(id)).toBe(false)
  })

  it('an id in another format takes its group from its SHA-256', () => {
    for (const id of ['short', 'x'.repeat(33), 'has spaces in it and is 32 chars', 'é'.repeat(32)]) {
      expect(groupOfId(id)).toBe(createHash('sha256').update(id).digest()[31])
    }
  })

  it("an id's stored name is the base64url of the first 16 bytes of its SHA-256, for any id", () => {
    const expected = (id: string) =>
      createHash('sha256').update(id).digest().subarray(0, 16).toString('base64url')
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.base64String()), (id) => {
        expect(hashId(id)).toBe(expected(id))
      }),
      { numRuns: 3000, seed: 20261124 },
    )
    // every value of the 22nd character's top 2 bits, on ids in our format
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const id = newSessionId(undefined, i % 2 === 0)
      expect(hashId(id)).toBe(expected(id))
      seen.add(hashId(id)[21]!)
    }
    expect([...seen].sort()).toEqual(['A', 'Q', 'g', 'w'])
  })
})
