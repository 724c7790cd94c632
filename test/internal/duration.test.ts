import { describe, expect, it } from 'vitest'
import { toMs, toPositiveMs } from '../../src/internal/duration.js'

describe('durations', () => {
  it.each([
    [1, 1000],
    [0.25, 250],
    [0, 0],
    ['250ms', 250],
    ['30s', 30_000],
    ['30m', 1_800_000],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['1d', 86_400_000],
    ['10 s', 10_000],
  ] as const)('%s → %i ms', (input, ms) => {
    expect(toMs(input)).toBe(ms)
  })

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '5', '5 minutes', '-1s', '', 'h'])(
    'refuses %s',
    (bad) => {
      expect(() => toMs(bad as never, 'ttl')).toThrow(/ttl must be a number of seconds/)
    },
  )

  it('refuses a zero TTL where one is required', () => {
    expect(() => toPositiveMs(0)).toThrow(/ttl must be/)
    expect(toPositiveMs('1ms')).toBe(1)
  })
})
