import { describe, expect, it } from 'vitest'
import { configFromEnv } from '../../src/internal/env.js'

describe('configFromEnv', () => {
  it('configures no Redis when nothing is set (blank counts as unset)', () => {
    expect(configFromEnv({})).toEqual({})
    expect(configFromEnv({ REDIS_URL: '  ', REDIS_HOST: '' })).toEqual({})
  })

  it('reads REDIS_URL (rediss:// included), with REDIS_PASSWORD and REDIS_DB on top', () => {
    expect(
      configFromEnv({ REDIS_URL: 'rediss://default:pw@cache:6380', REDIS_DB: '2', REDIS_PASSWORD: 'x' }),
    ).toEqual({
      redis: { url: 'rediss://default:pw@cache:6380', db: 2, password: 'x' },
    })
  })

  it('reads REDIS_HOST / REDIS_PORT / REDIS_TLS and the key prefix', () => {
    expect(
      configFromEnv({
        REDIS_HOST: 'localhost',
        REDIS_PORT: '6380',
        REDIS_TLS: 'true',
        REDIS_KEY_PREFIX: 'nubi:',
      }),
    ).toEqual({ redis: { host: 'localhost', port: 6380, tls: true }, prefix: 'nubi:' })
    expect(configFromEnv({ REDIS_PORT: '6390' }).redis).toEqual({ host: '127.0.0.1', port: 6390 })
  })

  it.each([
    [{ REDIS_PORT: 'abc' }, /REDIS_PORT must be a whole number/],
    [{ REDIS_PORT: '70000' }, /REDIS_PORT must be a whole number from 1 to 65535/],
    [{ REDIS_HOST: 'h', REDIS_DB: '-1' }, /REDIS_DB must be a whole number/],
    [{ REDIS_HOST: 'h', REDIS_TLS: 'maybe' }, /REDIS_TLS must be true\/false/],
  ])('names the bad variable: %j', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(message)
  })
})
