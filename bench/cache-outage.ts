/**
 * The "Redis is down" rows of bench/cache.ts: each library talks to Redis through a fault proxy
 * (test/support/fault-proxy.ts); a key is set and read (so it is in the L1), then the proxy
 * resets every connection and refuses new ones. Four calls run concurrently — get of the
 * L1-resident key, get of an absent key, set, getOrSet of a missing key — twice, each bounded by
 * a 3 s guard; then Redis comes back and the resident key is read again.
 */
import { startFaultProxy } from '../test/support/fault-proxy.js'
import { LIBS, type LibName, makeLib } from './cache-libs.js'
import { compare } from './harness.js'

const GUARD_MS = 3000
const value = { id: 42, name: 'bench', tags: ['a', 'b', 'c'] }

interface Timed {
  ms: number
  outcome: string
}

async function timed(call: () => Promise<unknown>): Promise<Timed> {
  const started = performance.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  const guard = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('hang'), GUARD_MS)
  })
  const outcome = await Promise.race([
    call().then(
      (v) => (v === undefined ? 'undefined' : v === true || v === false ? String(v) : 'value'),
      (err: Error) => `throws ${err.name}`,
    ),
    guard,
  ])
  clearTimeout(timer)
  return { ms: performance.now() - started, outcome }
}

const show = (t: Timed) =>
  t.outcome === 'hang' ? `> ${GUARD_MS} ms (hang)` : `${t.outcome}, ${t.ms.toFixed(0)} ms`

async function round(lib: ReturnType<typeof makeLib>, n: number): Promise<Timed[]> {
  return Promise.all([
    timed(() => lib.get('resident')),
    timed(() => lib.get(`absent-${n}`)),
    timed(() => lib.set(`new-${n}`, value, 60_000)),
    timed(() => lib.getOrSet(`miss-${n}`, async () => value, 60_000)),
  ])
}

export async function outageRows(url: string, prefix: string): Promise<string> {
  const target = new URL(url)
  const lines = [
    '### Calls while Redis is down (4 concurrent calls per round; guard 3 s)',
    '',
    '| library | get (L1-resident) | get (absent) | set | getOrSet (miss) | max, 1st round | max, 2nd round | get after Redis is back |',
    '|---|---|---|---|---|---|---|---|',
  ]
  const rows = new Map<LibName, OutageRow>()
  for (const name of LIBS) {
    rows.set(name, await outageRow(name, target, `${prefix}outage:${name}:`))
    lines.push(rows.get(name)!.line)
  }
  const ours = rows.get('redis-kit')!
  for (const [name, theirs] of rows) {
    if (name === 'redis-kit') continue
    compare({
      area: 'cache',
      case: 'Redis down: slowest of get (cached), get, set, getOrSet called together',
      ours: ours.max,
      peer: name,
      theirs: theirs.max,
      ratio: `calls hung > ${GUARD_MS / 1000} s: ${ours.hung} vs ${theirs.hung} of 8`,
    })
  }
  return lines.join('\n')
}

interface OutageRow {
  line: string
  /** The slowest call of both rounds. */
  max: string
  /** Calls (of 8) that did not answer within the guard. */
  hung: number
}

async function outageRow(name: LibName, target: URL, prefix: string): Promise<OutageRow> {
  const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port || 6379) })
  const lib = makeLib(name, { url: proxy.url, prefix })
  try {
    await lib.ready()
    await lib.set('resident', value, 60_000)
    await lib.get('resident')
    proxy.refuse(true)
    proxy.cut('rst')
    const first = await round(lib, 1)
    await new Promise((resolve) => setTimeout(resolve, 500))
    const second = await round(lib, 2)
    proxy.refuse(false)
    proxy.pass()
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const after = await timed(() => lib.get('resident'))
    const max = (ts: Timed[]) =>
      ts.some((t) => t.outcome === 'hang')
        ? `> ${GUARD_MS} ms`
        : `${Math.max(...ts.map((t) => t.ms)).toFixed(0)} ms`
    const line = `| ${name} | ${first.map(show).join(' | ')} | ${max(first)} | ${max(second)} | ${show(after)} |`
    const hung = [...first, ...second].filter((t) => t.outcome === 'hang').length
    return { line, max: max([...first, ...second]), hung }
  } finally {
    await Promise.race([lib.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, GUARD_MS))])
    await proxy.stop()
  }
}
