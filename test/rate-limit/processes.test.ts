/**
 * Exactness across processes: 3 child processes (worker.ts, run with tsx) with 167 callers each
 * — 501 concurrent callers — share one sliding-window limit on the test Redis (standalone,
 * cluster, and through a FailoverStore) for 2.5 windows. Whatever the interleaving, the
 * admissions they report never exceed the limit in any window. (The memory store lives in one
 * process: check.test.ts runs its 500 concurrent callers there.)
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { clusterNodes, redisUrl } from '../support/env.js'
import { storeMatrix, testPrefix } from '../support/stores.js'
import { maxInAnyWindow } from './helpers.js'

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url))
const LIMIT = 25
const WINDOW_SECONDS = 1

interface Report {
  admitted: number[]
  calls: number
  errors: number
  sources: string[]
}

function startWorker(config: object): { child: ChildProcess; ready: Promise<void>; report: Promise<Report> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, RL_CONFIG: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout! })
  let onReady!: () => void
  const ready = new Promise<void>((resolve) => {
    onReady = resolve
  })
  const report = new Promise<Report>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line === 'ready') onReady()
      else if (line.startsWith('{')) resolve(JSON.parse(line) as Report)
    })
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before reporting`)))
  })
  return { child, ready, report }
}

describe.each(storeMatrix(['redis', 'cluster', 'failover']))('3 processes on $name', ({ name }) => {
  const children: ChildProcess[] = []
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
  })

  it('501 concurrent callers never get more than the limit in any window', async () => {
    const config = {
      store: name,
      url: redisUrl(),
      cluster: name === 'cluster' ? clusterNodes() : [],
      prefix: testPrefix('rl-proc'),
      callers: 167,
      durationMs: 2500,
      limit: LIMIT,
      windowSeconds: WINDOW_SECONDS,
    }
    const workers = Array.from({ length: 3 }, () => startWorker(config))
    children.push(...workers.map((w) => w.child))
    await Promise.all(workers.map((w) => w.ready))
    for (const w of workers) w.child.stdin!.write('go\n')
    const reports = await Promise.all(workers.map((w) => w.report))

    const admitted = reports.flatMap((r) => r.admitted)
    expect(reports.map((r) => r.errors)).toEqual([0, 0, 0])
    expect(new Set(reports.flatMap((r) => r.sources))).toEqual(new Set(['store']))
    // all three took part (who wins each freed unit is a race: no share is promised)
    expect(reports.every((r) => r.calls > 100)).toBe(true)
    expect(maxInAnyWindow(admitted, WINDOW_SECONDS * 1000)).toBeLessThanOrEqual(LIMIT)
    // 2.5 windows of pressure: the window slid and admitted again (at least two windows' worth)
    expect(admitted.length).toBeGreaterThanOrEqual(2 * LIMIT)
    expect(reports.reduce((n, r) => n + r.calls, 0)).toBeGreaterThan(10 * admitted.length)
  }, 60_000)
})
