import fc from 'fast-check'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { createKeyBuilder, escapeGlob, hashTag } from '../../src/internal/keys.js'
import { keySlot, sameSlot } from '../../src/internal/slot.js'
import { clusterNodes } from '../support/env.js'

describe('keys', () => {
  it('escapes every glob character', () => {
    expect(escapeGlob('user:*?[a-z]\\')).toBe('user:\\*\\?\\[a-z\\]\\\\')
    expect(escapeGlob('plain:key')).toBe('plain:key')
  })

  it('builds prefixed module keys and escaped patterns', () => {
    const keys = createKeyBuilder('app*:', 'cache')
    expect(keys.key('user', '42')).toBe('app*:cache:user:42')
    expect(keys.pattern('*')).toBe('app\\*:cache:*')
  })

  it('refuses braces inside a hash tag', () => {
    expect(hashTag('user:1')).toBe('{user:1}')
    expect(() => hashTag('a}b')).toThrow(/may not contain/)
  })
})

describe('keySlot agrees with Redis Cluster (CLUSTER KEYSLOT)', () => {
  const node = new Redis(clusterNodes()[0]!.port, clusterNodes()[0]!.host)
  afterAll(() => node.disconnect())

  it('for plain keys, hash tags, empty tags, unicode and binary-looking keys', async () => {
    const keys = [
      'a',
      'user:1',
      '{user:1}:a',
      'x{user:1}y',
      '{}',
      '{}a',
      'a{}b{c}',
      '{a',
      'é😀',
      '',
      'foo{bar}{zap}',
      'é{user:1}',
      '{user:1}é',
      '{é}x',
      'x{é😀}y',
      'é{}{a}',
      '{\u007f}',
      '{\u0080}',
      'ü:{a}:ß',
    ]
    for (let i = 0; i < 200; i++) keys.push(`k:${i}:${Math.random().toString(36)}`)
    for (const key of keys) {
      expect(keySlot(key), key).toBe(Number(await node.call('cluster', 'keyslot', key)))
    }
  })
})

describe('keySlot', () => {
  it('hashes a string exactly as its UTF-8 bytes, with or without tags and non-ASCII text', () => {
    const part = fc.string({
      unit: fc.constantFrom('a', 'z', '0', ':', '{', '}', 'é', '😀', '\u007f', '\u0080'),
    })
    fc.assert(
      fc.property(fc.array(part, { maxLength: 4 }), (parts) => {
        const key = parts.join('')
        expect(keySlot(key)).toBe(keySlot(Buffer.from(key)))
      }),
      { numRuns: 2000, seed: 20261123 },
    )
  })
})

describe('sameSlot', () => {
  it('is true for keys sharing a tag, false across slots', () => {
    expect(sameSlot(['{u:1}:a', 'x:{u:1}', '{u:1}'])).toBe(true)
    expect(sameSlot(['a', 'b'])).toBe(false) // slots 15495 and 3300
    expect(sameSlot(['{u:1}', '{u:1}:a', 'b'])).toBe(false)
    expect(sameSlot(['a'])).toBe(true)
  })
})
