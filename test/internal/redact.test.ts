import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createKit } from '../../src/index.js'
import { redact, redactOptions } from '../../src/internal/redact.js'
import { createRedisStore } from '../../src/stores/redis.js'
import { redisUrl } from '../support/env.js'

describe('credentials never leak', () => {
  it('redacts passwords in URLs anywhere in a text', () => {
    expect(redact('connect redis://user:s3cret@host:6379/0 failed')).toBe(
      'connect redis://user:***@host:6379/0 failed',
    )
    expect(redact('rediss://:s3cret@host')).toBe('rediss://:***@host')
    expect(redact('rediss://token@host')).not.toContain('token')
  })

  it('redacts secret fields of option objects', () => {
    expect(redactOptions({ url: 'redis://:pw@h', password: 'pw', nested: { token: 't' } })).toEqual({
      url: 'redis://:***@h',
      password: '***',
      nested: { token: '***' },
    })
  })

  it('keeps the password out of util.inspect, JSON and toString of stores and kits', async () => {
    const url = new URL(redisUrl())
    url.password = 'hunter2-secret'
    const store = createRedisStore({ url: url.toString() })
    const kit = createKit({ store })
    for (const text of [
      inspect(store, { depth: 10 }),
      inspect(kit, { depth: 10 }),
      JSON.stringify(store),
      String(store),
    ]) {
      expect(text).not.toContain('hunter2-secret')
    }
    expect(String(store)).toMatch(/^RedisStore \{ standalone /)
    await store.close()
  })

  it('keeps it out of option errors', () => {
    expect(() => createKit({ redis: 'http://user:hunter2-secret@host' })).toThrow()
    try {
      createKit({ redis: 'http://user:hunter2-secret@host' })
    } catch (err) {
      expect(String(err)).not.toContain('hunter2-secret')
      expect((err as { code: string }).code).toBe('INVALID_OPTIONS')
    }
  })
})
