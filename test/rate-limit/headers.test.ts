/** rateLimitHeaders: the IETF RateLimit fields (draft-7 and draft-8), legacy X-RateLimit-*, Retry-After. */
import { describe, expect, it } from 'vitest'
import { isKitError } from '../../src/errors.js'
import { type RateLimitResult, rateLimitHeaders } from '../../src/rate-limit/index.js'

const allowed: RateLimitResult = {
  allowed: true,
  limit: 60,
  remaining: 59,
  resetAt: 1_700_000_060_000,
  resetAfter: 60,
  retryAfter: 0,
  window: 60,
  policy: '60-per-60s',
  reason: 'ok',
  source: 'store',
}
const denied: RateLimitResult = { ...allowed, allowed: false, remaining: 0, retryAfter: 7, reason: 'limit' }
const multi: RateLimitResult = {
  ...denied,
  policy: 'second',
  limit: 10,
  window: 1,
  policies: [
    { ...denied, policy: 'second', limit: 10, window: 1, resetAfter: 1 },
    { ...allowed, policy: 'day "all"', limit: 1000, window: 86_400, remaining: 400, resetAfter: 86_000 },
  ],
}

describe('rateLimitHeaders', () => {
  it('draft-8 (the default): named policies as structured fields', () => {
    const h = rateLimitHeaders(allowed)
    expect(h.get('RateLimit-Policy')).toBe('"60-per-60s";q=60;w=60')
    expect(h.get('RateLimit')).toBe('"60-per-60s";r=59;t=60')
    expect(h.has('Retry-After')).toBe(false)
    expect(h.has('X-RateLimit-Limit')).toBe(false)
  })

  it('draft-8 with a partition key sends it hashed, never as given', () => {
    const h = rateLimitHeaders(allowed, { partitionKey: '203.0.113.7' })
    expect(h.get('RateLimit-Policy')).toMatch(/^"60-per-60s";q=60;w=60;pk=:[A-Za-z0-9+/]{16}:$/)
    expect(h.get('RateLimit-Policy')).not.toContain('203.0.113.7')
  })

  it('draft-7: one combined field and the policy list', () => {
    const h = rateLimitHeaders(denied, { standard: 'draft-7' })
    expect(h.get('RateLimit')).toBe('limit=60, remaining=0, reset=60')
    expect(h.get('RateLimit-Policy')).toBe('60;w=60')
    expect(h.get('Retry-After')).toBe('7')
  })

  it('checkAll results list every policy; strings are escaped', () => {
    const h8 = rateLimitHeaders(multi)
    expect(h8.get('RateLimit-Policy')).toBe('"second";q=10;w=1, "day \\"all\\"";q=1000;w=86400')
    expect(h8.get('RateLimit')).toBe('"second";r=0;t=1, "day \\"all\\"";r=400;t=86000')
    const h7 = rateLimitHeaders(multi, { standard: 'draft-7' })
    expect(h7.get('RateLimit-Policy')).toBe('10;w=1, 1000;w=86400')
    expect(h7.get('RateLimit')).toBe('limit=10, remaining=0, reset=60')
  })

  it('legacy X-RateLimit-* (reset in epoch seconds), alone or with a standard, into given Headers', () => {
    const headers = new Headers({ 'content-type': 'text/plain' })
    const h = rateLimitHeaders(denied, { standard: false, legacy: true, headers })
    expect(h).toBe(headers)
    expect(Object.fromEntries(h)).toEqual({
      'content-type': 'text/plain',
      'retry-after': '7',
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '1700000060',
    })
  })

  it('sub-second windows are announced as 1 s; bad input is refused', () => {
    expect(rateLimitHeaders({ ...allowed, window: 0.5 }).get('RateLimit-Policy')).toContain(';w=1')
    expect(() => rateLimitHeaders(allowed, { standard: 'draft-6' as never })).toThrow(/draft-7/)
    let error: unknown
    try {
      rateLimitHeaders({} as RateLimitResult)
    } catch (err) {
      error = err
    }
    expect(isKitError(error, 'INVALID_ARGUMENT')).toBe(true)
  })
})
