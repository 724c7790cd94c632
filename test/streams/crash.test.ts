/**
 * A consumer killed mid-way (SIGKILL of a child process) on a real Redis and a cluster: another
 * consumer takes over what it left pending. Every entry is handled, none is lost, an entry the
 * dead consumer acknowledged is never handled again, none is acknowledged twice, and a poison
 * entry is dead-lettered after 4 deliveries counted across both processes.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { createStreams } from '../../src/streams/index.js'
import { clusterNodes, redisUrl } from '../support/env.js'
import { deletePrefix, storeMatrix, testPrefix } from '../support/stores.js'

const FIXTURE = fileURLToPath(new URL('./fixtures/consumer-child.ts', import.meta.url))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) if (await check()) return
  throw new Error(`timed out waiting for ${what}`)
}

function readLog(path: string): Record<'start' | 'done' | 'acked', Set<string>> {
  const out = { start: new Set<string>(), done: new Set<string>(), acked: new Set<string>() }
  let text = ''
  try {
    text = readFileSync(path, 'utf8')
  } catch {}
  for (const line of text.split('\n')) {
    const [kind, id] = line.split(' ')
    if (id && (kind === 'start' || kind === 'done' || kind === 'acked')) out[kind].add(id)
  }
  return out
}

describe.each(storeMatrix(['redis', 'cluster']))('a consumer killed mid-way on $name', ({ name, create }) => {
  let child: ChildProcess | undefined
  const dir = mkdtempSync(join(tmpdir(), 'redis-kit-crash-'))
  afterEach(() => {
    child?.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })

  it('its entries are taken over: all handled, none acknowledged twice, poison dead-lettered after 4', async () => {
    const store = create()
    const prefix = testPrefix('crash')
    const key = `${prefix}streams:work`
    const streams = createStreams(store, { prefix, maxLen: false, block: '1s' })
    const ids: string[] = []
    for (let i = 0; i < 40; i++)
      ids.push(await streams.append('work', i === 5 ? 'poison' : i === 10 ? 'stall' : `job-${i}`))
    const [poison, stall] = [ids[5]!, ids[10]!]
    const log = join(dir, 'child.log')
    const config =
      name === 'cluster' ? { cluster: clusterNodes(), prefix, log } : { url: redisUrl(), prefix, log }
    child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, JSON.stringify(config)], {
      stdio: 'inherit',
    })
    await until(
      () => readLog(log).start.has(stall) && readLog(log).acked.size >= 5,
      'the child to be mid-way',
    )
    child.kill('SIGKILL')
    await once(child, 'exit')
    const dead = readLog(log)
    const left = await store.xpendingRange(key, 'workers', '-', '+', 100, { consumer: 'doomed' })
    expect(left.map((p) => p.id)).toContain(stall)

    const handled: string[] = []
    const acked: string[] = []
    const survivor = streams.consume<string>(
      'work',
      'workers',
      (item) => {
        if (item.data === 'poison') throw new Error('poison')
        handled.push(item.id)
      },
      { consumer: 'survivor', concurrency: 4, claimIdle: '300ms', retryDelay: '20ms', maxDeliveries: 4 },
    )
    survivor.on('acked', ({ id }) => acked.push(id))
    await until(
      async () => survivor.stats().deadLettered === 1 && (await store.xpending(key, 'workers')).count === 0,
      'every entry acknowledged',
    )
    await survivor.stop()

    const jobs = ids.filter((id) => id !== poison)
    expect(jobs.filter((id) => !dead.done.has(id) && !handled.includes(id))).toEqual([]) // none lost
    expect(handled.filter((id) => dead.acked.has(id))).toEqual([]) // acknowledged: never handled again
    expect(acked.filter((id) => dead.acked.has(id))).toEqual([]) // never acknowledged twice
    expect(new Set(acked).size).toBe(acked.length)
    expect(jobs.filter((id) => !acked.includes(id) && !dead.done.has(id))).toEqual([])
    expect(handled).toContain(stall)
    expect(survivor.stats().claimed).toBeGreaterThanOrEqual(left.length)
    const letters = await store.xrange(`${prefix}streams:work:dead`, '-', '+')
    expect(letters.map((l) => [l.fields.id, l.fields.deliveries])).toEqual([[poison, '4']])
    await streams.close()
    await deletePrefix(store, prefix)
    await store.close()
  }, 40_000)
})
