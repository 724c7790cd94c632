/**
 * `redis-kit doctor` run as a process (the TypeScript entry through tsx) against redis-servers
 * of its own: a healthy one, one started with --maxmemory-policy allkeys-lru, a
 * password-protected one, and an address where nothing listens.
 */
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit } from '../../src/kit.js'
import { pickPort, releasePort } from '../support/ports.js'
import { type RedisServer, startRedisServer } from '../support/redis.js'
import { redisCommand } from '../support/resp.js'
import { runCli, statuses } from './run-cli.js'

const PASSWORD = 'doctor-s3cret-pw'

let healthy: RedisServer
let lru: RedisServer
let secured: RedisServer

beforeAll(async () => {
  ;[healthy, lru, secured] = await Promise.all([
    startRedisServer(),
    startRedisServer({ args: ['--maxmemory-policy', 'allkeys-lru'] }),
    startRedisServer(),
  ])
  // set after the start: startRedisServer waits for an unauthenticated PING to answer
  await redisCommand(secured.port, ['CONFIG', 'SET', 'requirepass', PASSWORD])
})

afterAll(async () => {
  await Promise.all([healthy?.stop(), lru?.stop(), secured?.stop()])
})

describe('redis-kit doctor on a healthy server', () => {
  it('passes every check but persistence (test servers keep no data) and exits 0', async () => {
    const run = await runCli(['doctor', '--url', healthy.url])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const s = statuses(run.stdout)
    expect(s).toMatchObject({
      connection: 'PASS',
      server: 'PASS',
      memory: 'PASS',
      persistence: 'WARN',
      permissions: 'PASS',
      scripts: 'PASS',
      keyspace: 'PASS',
    })
    expect(s.latency).not.toBe('FAIL') // PASS or WARN on a busy machine
    expect(run.stdout).toMatch(/server {6}Redis \d+\.\d+\.\d+, standalone/)
    expect(run.stdout).toMatch(/no failures, \d+ warnings?, \d+ passed/)
    expect(run.stdout).not.toContain('\u001b[') // not a TTY: no colour
  })

  it('--json prints one object, with the keyspace per primitive under the prefix', async () => {
    const prefix = `doctor-json-${Date.now()}:`
    const kit = createKit({ redis: healthy.url, prefix, failover: false })
    await kit.sessions.create({ user: 'ada' })
    await kit.rateLimit.check('ip:1', 10, 60)
    await kit.cache.set('page', { html: 'x' })
    await kit.close()
    const run = await runCli(['doctor', '--json', '--prefix', prefix], { REDIS_URL: healthy.url })
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout)
    expect(report).toMatchObject({ ok: true, mode: 'standalone', prefix, source: 'REDIS_URL' })
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual([
      'connection',
      'server',
      'latency',
      'memory',
      'persistence',
      'acl',
      'scripts',
      'keyspace',
    ])
    const keyspace = report.checks.find((c: { id: string }) => c.id === 'keyspace')
    expect(Object.keys(keyspace.data.primitives).sort()).toEqual(['cache', 'rateLimit', 'sessions'])
    expect(keyspace.data.primitives.sessions.keys).toBeGreaterThanOrEqual(1)
  })

  it('colours on request (FORCE_COLOR) unless NO_COLOR is set', async () => {
    const coloured = await runCli(['doctor', '--url', healthy.url], { FORCE_COLOR: '1' })
    expect(coloured.stdout).toContain('\u001b[32mPASS\u001b[39m')
    const plain = await runCli(['doctor', '--url', healthy.url], { FORCE_COLOR: '1', NO_COLOR: '1' })
    expect(plain.stdout).not.toContain('\u001b[')
  })
})

describe('redis-kit doctor on an allkeys-lru server', () => {
  it('warns while maxmemory is 0 and fails once a limit makes Redis evict', async () => {
    const unlimited = await runCli(['doctor', '--url', lru.url])
    expect(unlimited.code).toBe(0)
    expect(statuses(unlimited.stdout).memory).toBe('WARN')
    expect(unlimited.stdout).toContain('maxmemory-policy allkeys-lru')

    await redisCommand(lru.port, ['CONFIG', 'SET', 'maxmemory', '64mb'])
    const limited = await runCli(['doctor', '--url', lru.url])
    expect(limited.code).toBe(1)
    expect(statuses(limited.stdout).memory).toBe('FAIL')
    expect(limited.stdout).toContain('sessions, rate-limit counters and streams')
    expect(limited.stdout).toMatch(/1 failure, /)
  })
})

describe('redis-kit doctor on an unreachable address', () => {
  it('fails fast with a non-zero exit', async () => {
    const port = await pickPort()
    releasePort(port)
    const run = await runCli(['doctor', '--url', `redis://127.0.0.1:${port}`])
    expect(run.code).toBe(1)
    expect(statuses(run.stdout)).toEqual({ connection: 'FAIL' })
    expect(run.stdout).toMatch(/cannot connect: .*ECONNREFUSED/)
    expect(run.ms).toBeLessThan(8000) // process start-up included; the connect itself fails at once
    const json = await runCli(['doctor', '--json', '--url', `redis://127.0.0.1:${port}`])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, summary: { fail: 1 } })
  })
})

describe('redis-kit doctor on a password-protected server', () => {
  const urlWith = (password: string) => `redis://:${password}@127.0.0.1:${secured.port}`

  it('connects with the password from the URL or REDIS_PASSWORD and never prints it', async () => {
    const runs = await Promise.all([
      runCli(['doctor', '--url', urlWith(PASSWORD)]),
      runCli(['doctor', '--json'], { REDIS_URL: urlWith(PASSWORD) }),
      runCli(['doctor'], {
        REDIS_HOST: '127.0.0.1',
        REDIS_PORT: String(secured.port),
        REDIS_PASSWORD: PASSWORD,
      }),
    ])
    for (const run of runs) {
      expect(run.code).toBe(0)
      expect(run.stdout + run.stderr).not.toContain(PASSWORD)
    }
    expect(statuses(runs[0]!.stdout).connection).toBe('PASS')
    expect(JSON.parse(runs[1]!.stdout).ok).toBe(true)
  })

  it('reports a wrong or missing password as a failure, printing neither password', async () => {
    const wrong = 'not-the-right-one'
    const runs = await Promise.all([
      runCli(['doctor', '--url', urlWith(wrong)]),
      runCli(['doctor', '--url', secured.url]),
    ])
    for (const run of runs) {
      expect(run.code).toBe(1)
      expect(statuses(run.stdout).connection).toBe('FAIL')
      expect(run.stdout + run.stderr).not.toContain(wrong)
      expect(run.stdout + run.stderr).not.toContain(PASSWORD)
    }
    expect(runs[0]!.stdout).toContain('WRONGPASS')
  })

  it('with a restricted ACL user: a probe instead of ACL DRYRUN, and denied keys fail', async () => {
    const admin = new Redis(urlWith(PASSWORD))
    try {
      await admin.call('ACL', 'SETUSER', 'app', 'on', '>app-pw-123', '~kit:*', '&*', '+@all', '-@dangerous')
      await admin.call('ACL', 'SETUSER', 'elsewhere', 'on', '>else-pw-123', '~other:*', '&*', '+@all')
    } finally {
      admin.disconnect()
    }
    const app = await runCli(['doctor', '--url', `redis://app:app-pw-123@127.0.0.1:${secured.port}`])
    expect(app.code).toBe(0)
    expect(statuses(app.stdout)).toMatchObject({ permissions: 'WARN', memory: 'WARN', scripts: 'PASS' })
    expect(app.stdout).toContain("user 'app' may run SET, GET, EVAL, PUBLISH and DEL")
    expect(app.stdout + app.stderr).not.toContain('app-pw-123')

    const elsewhere = await runCli([
      'doctor',
      '--url',
      `redis://elsewhere:else-pw-123@127.0.0.1:${secured.port}`,
    ])
    expect(elsewhere.code).toBe(1)
    expect(statuses(elsewhere.stdout).permissions).toBe('FAIL')
    expect(elsewhere.stdout).toMatch(/user 'elsewhere' may not run \d+ of the \d+ commands/)
    expect(elsewhere.stdout).toContain("no permissions to access the 'kit:doctor' key")
  })
})

describe('redis-kit command line', () => {
  it('refuses bad input with the usage (exit 2) and reports a missing configuration (exit 1)', async () => {
    const [bad, none, badUrl, help] = await Promise.all([
      runCli(['doctor', '--bogus']),
      runCli(['doctor']),
      runCli(['doctor', '--url', 'http://:pw-in-url@example.com']),
      runCli(['--help']),
    ])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('unknown option "--bogus"')
    expect(bad.stderr).toContain('Usage: redis-kit doctor')
    expect(none.code).toBe(1)
    expect(none.stdout).toContain('no Redis configured')
    expect(badUrl.code).toBe(1)
    expect(badUrl.stdout).toMatch(/FAIL {2}config/)
    expect(badUrl.stdout + badUrl.stderr).not.toContain('pw-in-url')
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--json')
  })
})
