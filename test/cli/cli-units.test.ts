/** The pieces of the CLI that need no Redis: arguments, colour, the command samples, key names. */
import { describe, expect, it } from 'vitest'
import { parseArgs, UsageError } from '../../src/cli/args.js'
import { hasSample, kitCommands, redisCommandOf, sampleArgv } from '../../src/cli/commands.js'
import { primitiveOf } from '../../src/cli/keyspace.js'
import { useColor } from '../../src/cli/output.js'
import { COMMANDS } from '../../src/stores/commands.js'

describe('command samples for ACL DRYRUN', () => {
  it('cover every command of the store table (a new command needs a sample)', () => {
    const missing = kitCommands().filter((c) => !hasSample(c))
    expect(missing).toEqual([])
    expect(redisCommandOf('xgroupCreateConsumer')).toBe('xgroup createconsumer')
    expect(redisCommandOf('mgetBuffer')).toBe('mget')
    expect(redisCommandOf('zrangeWithScores')).toBe('zrange')
    expect(redisCommandOf('xpendingRange')).toBe('xpending')
    expect(kitCommands().length).toBeGreaterThan(new Set(Object.keys(COMMANDS)).size / 2)
  })

  it('put keys and channels under the prefix', () => {
    expect(sampleArgv('xreadgroup', 'app:')).toEqual([
      'xreadgroup',
      'GROUP',
      'g',
      'c',
      'STREAMS',
      'app:doctor',
      '>',
    ])
    expect(sampleArgv('publish', 'app:')).toEqual(['publish', 'app:pubsub:doctor', 'm'])
    expect(sampleArgv('ping', 'app:')).toEqual(['ping'])
  })
})

describe('parseArgs', () => {
  it('reads the options, with a value after a space or an =', () => {
    expect(parseArgs(['doctor', '--url', 'redis://h:1', '--prefix=app:', '--json', '--cluster'])).toEqual({
      command: 'doctor',
      url: 'redis://h:1',
      prefix: 'app:',
      json: true,
      cluster: true,
    })
    expect(parseArgs([]).command).toBe('help')
    expect(parseArgs(['doctor', '--help']).command).toBe('help')
    expect(parseArgs(['doctor', '--max-keys', '500']).maxKeys).toBe(500)
  })

  it('refuses what it does not know, and options without values', () => {
    expect(() => parseArgs(['cure'])).toThrow(UsageError)
    expect(() => parseArgs(['doctor', '--url'])).toThrow('--url needs a value')
    expect(() => parseArgs(['doctor', '--url', '--json'])).toThrow('--url needs a value')
    expect(() => parseArgs(['doctor', '--max-keys', '-1'])).toThrow('positive whole number')
    expect(() => parseArgs(['doctor', 'extra'])).toThrow('unknown option "extra"')
  })
})

describe('useColor', () => {
  it('colours a TTY unless NO_COLOR (non-empty) or TERM=dumb; FORCE_COLOR forces it', () => {
    expect(useColor({ isTTY: true, env: {} })).toBe(true)
    expect(useColor({ isTTY: false, env: {} })).toBe(false)
    expect(useColor({ isTTY: true, env: { NO_COLOR: '1' } })).toBe(false)
    expect(useColor({ isTTY: true, env: { NO_COLOR: '' } })).toBe(true)
    expect(useColor({ isTTY: true, env: { TERM: 'dumb' } })).toBe(false)
    expect(useColor({ isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true)
    expect(useColor({ isTTY: true, env: { FORCE_COLOR: '0' } })).toBe(false)
    expect(useColor({ isTTY: false, env: { FORCE_COLOR: '1', NO_COLOR: 'x' } })).toBe(false)
  })
})

describe('primitiveOf', () => {
  it('names the primitive from the module segment after the prefix', () => {
    expect(primitiveOf('kit:', 'kit:sessions:abc')).toBe('sessions')
    expect(primitiveOf('kit:', 'kit:rate-limit:{x}:1')).toBe('rateLimit')
    expect(primitiveOf('kit:', 'kit:trending:t')).toBe('sortedSets')
    expect(primitiveOf('kit:', 'kit:ops')).toBe('failover journal')
    expect(primitiveOf('kit:', 'kit:mystery:1')).toBe('other')
  })
})
