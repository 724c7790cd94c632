/**
 * `redis-kit doctor`: connects as createKit would and runs every check, each bounded (the
 * store's command timeout, a bounded SCAN), collecting pass / warn / fail results. A check
 * that throws becomes a failed result; a connection failure ends the run at once.
 */
import { redact } from '../internal/redact.js'
import type { CheckResult, Status } from './check.js'
import { aclCheck, scriptsCheck } from './checks-access.js'
import { latencyCheck, memoryCheck, persistenceCheck, serverCheck } from './checks-server.js'
import { ConfigProblem, connect, isConnectionError, type Target } from './connect.js'
import { keyspaceCheck } from './keyspace.js'

export interface DoctorOptions {
  url?: string
  prefix?: string
  /** The application configures the kit for Redis Cluster. */
  cluster?: boolean
  env?: Readonly<Record<string, string | undefined>>
  /** Bounds of the keyspace scan. */
  maxKeys?: number
}

export interface DoctorReport {
  ok: boolean
  /** host:port (never credentials), or null when nothing was reached. */
  target: string | null
  /** Where the configuration came from: --url, REDIS_URL, REDIS_HOST/REDIS_PORT. */
  source: string | null
  prefix: string | null
  mode: 'standalone' | 'cluster' | null
  checks: CheckResult[]
  summary: Record<Status, number>
  durationMs: number
}

function summarize(checks: CheckResult[], started: number, target?: Target): DoctorReport {
  const summary: Record<Status, number> = { pass: 0, warn: 0, fail: 0 }
  for (const check of checks) summary[check.status]++
  const report: DoctorReport = {
    ok: summary.fail === 0,
    target: target?.address ?? null,
    source: target?.source ?? null,
    prefix: target?.prefix ?? null,
    mode: target ? (target.info?.redis_mode === 'cluster' ? 'cluster' : 'standalone') : null,
    checks,
    summary,
    durationMs: Math.round(performance.now() - started),
  }
  return report
}

/** Replaces every secret in every string of the report (a last line of defence). */
function scrub<T>(value: T, secrets: readonly string[]): T {
  const clean = (s: string) => secrets.reduce((out, secret) => out.split(secret).join('***'), redact(s))
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return clean(v)
    if (Array.isArray(v)) return v.map(walk)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
    return v
  }
  return walk(value) as T
}

/** An error's message without the kit's `[redis-kit]` tags. */
const messageOf = (err: unknown) =>
  (err instanceof Error ? err.message : String(err)).replace(/\[redis-kit\] /g, '')

const failed = (id: string, err: unknown): CheckResult => ({ id, status: 'fail', message: messageOf(err) })

export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const started = performance.now()
  const env = options.env ?? process.env
  const secrets = [options.url ? /^[a-z]+:\/\/[^:@/]*:([^@/]+)@/i.exec(options.url)?.[1] : undefined]
    .concat(env.REDIS_PASSWORD?.trim(), /:\/\/[^:@/]*:([^@/]+)@/.exec(env.REDIS_URL ?? '')?.[1])
    .filter((s): s is string => typeof s === 'string' && s.length >= 3)
  const checks: CheckResult[] = []
  let target: Target
  try {
    target = await connect({ url: options.url, prefix: options.prefix, env })
  } catch (err) {
    if (err instanceof ConfigProblem) checks.push(failed('config', err))
    else checks.push({ ...failed('connection', err), message: `cannot connect: ${messageOf(err)}` })
    return scrub(summarize(checks, started), secrets)
  }
  secrets.push(...target.secrets.filter((s) => s.length >= 3))
  try {
    const address = `${target.address} (from ${target.source}), prefix '${target.prefix}'`
    checks.push({ id: 'connection', status: 'pass', message: `connected to ${address}` })
    const run = async (id: string, check: () => Promise<CheckResult>): Promise<CheckResult | undefined> => {
      try {
        const result = await check()
        checks.push(result)
        return result
      } catch (err) {
        checks.push(failed(id, err))
        if (isConnectionError(err)) throw err
        return undefined
      }
    }
    await run('server', () => serverCheck(target, options.cluster === true))
    await run('latency', () => latencyCheck(target))
    // the keyspace runs before the memory check (an evicting policy matters less for caches
    // alone) but is listed last
    let cacheOnly = false
    const keyspace = await keyspaceCheck(target, { maxKeys: options.maxKeys }).then(
      (k) => {
        cacheOnly = k.cacheOnly
        return k.result
      },
      (err: unknown) => {
        if (!isConnectionError(err)) return failed('keyspace', err)
        checks.push(failed('keyspace', err))
        throw err
      },
    )
    await run('memory', () => memoryCheck(target, cacheOnly))
    await run('persistence', () => persistenceCheck(target))
    await run('acl', () => aclCheck(target))
    await run('scripts', () => scriptsCheck(target))
    checks.push(keyspace)
  } catch {
    // a connection error mid-run: recorded by run(); the remaining checks are skipped
  } finally {
    await target.close()
  }
  return scrub(summarize(checks, started, target), secrets)
}
