/**
 * The cross-process single flight with two real processes (child_process + tsx): 2 × 250
 * concurrent getOrSet on one cold key run the loader once in total, and every caller of both
 * processes gets the same value.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { clusterNodes, redisUrl } from '../support/env.js'
import { deletePrefix, storeMatrix } from '../support/stores.js'

const WORKER = fileURLToPath(new URL('./fixtures/stampede-worker.ts', import.meta.url))

interface Worker {
  child: ChildProcess
  line(): Promise<string>
}

function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout! })
  const queue: string[] = []
  const waiting: ((line: string) => void)[] = []
  lines.on('line', (line) => {
    const next = waiting.shift()
    if (next) next(line)
    else queue.push(line)
  })
  return {
    child,
    line: () =>
      new Promise<string>((resolve, reject) => {
        const queued = queue.shift()
        if (queued !== undefined) return resolve(queued)
        waiting.push(resolve)
        child.once('exit', (code) => reject(new Error(`worker exited (${code}) before answering`)))
      }),
  }
}

describe.each(storeMatrix(['redis', 'cluster', 'failover']))('two real processes on $name', (c) => {
  const workers: Worker[] = []
  afterEach(() => {
    for (const w of workers.splice(0)) if (w.child.exitCode === null) w.child.kill('SIGKILL')
  })

  it('run the loader once in total for 500 concurrent callers', { timeout: 60_000 }, async () => {
    const prefix = `test:processes:${randomBytes(5).toString('hex')}:`
    const env = {
      STORE_KIND: c.name,
      REDIS_URL: redisUrl(),
      CLUSTER_NODES: c.name === 'cluster' ? JSON.stringify(clusterNodes()) : '[]',
      PREFIX: prefix,
      KEY: 'cold',
      COUNTER: `${prefix}loader-calls`,
      CALLERS: '250',
    }
    workers.push(startWorker(env), startWorker(env))
    expect(await Promise.all(workers.map((w) => w.line()))).toEqual(['ready', 'ready'])
    for (const w of workers) w.child.stdin!.write('go\n')
    const results = (await Promise.all(workers.map((w) => w.line()))).map(
      (line) => JSON.parse(line) as { values: string[]; loads: number; leaseWaits: number },
    )
    const store = c.create()
    try {
      expect(await store.get(`${prefix}loader-calls`)).toBe('1')
      expect(results.map((r) => r.loads).sort()).toEqual([0, 1])
      expect(results.map((r) => r.leaseWaits).sort()).toEqual([0, 1])
      expect(new Set(results.flatMap((r) => r.values)).size).toBe(1)
    } finally {
      await store.del([`${prefix}loader-calls`])
      await deletePrefix(store, prefix)
      await store.close()
    }
  })
})
