/**
 * `npm run bench` — runs every bench entry in bench/ (found by discoverBenches: files no other
 * bench file imports), each in its own child process with a time bound, all on one Redis
 * (REDIS_URL, or a redis-server started for the run), shows progress on stderr, and writes one
 * markdown report (bench/report.md by default) with the machine, the date, the command and each
 * bench's tables, headed by one "How it compares" table gathered from the rows each bench recorded
 * with `compare` (harness.ts), also written alone beside the report (bench/summary.md) for the
 * README. Exits 1 when a bench failed or timed out (the report is written anyway).
 *
 *   npm run bench                         every bench, 600 s bound each
 *   npm run bench -- cache store --timeout 300 --out /tmp/x.md   (table alone in /tmp/x.summary.md)
 *   npm run bench -- --summary-only bench/report.md                   prints that report's table
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startRedisServer } from '../test/support/redis.js'
import {
  describeMachine,
  describeRedis,
  discoverBenches,
  parseRunAllArgs,
  seconds,
} from './run-all-discover.js'
import {
  extractSummary,
  HEADING,
  readRows,
  type SummaryRow,
  summaryBody,
  summaryPath,
} from './run-all-summary.js'

interface Result {
  file: string
  status: 'ok' | 'failed' | 'timed out'
  ms: number
  code: number | null
  stdout: string
  stderr: string
  /** Its "How it compares" rows (see compare in harness.ts). */
  rows: SummaryRow[]
}

const BENCH_DIR = dirname(fileURLToPath(import.meta.url))
const ROOT = dirname(BENCH_DIR)
const TAIL_LINES = 30
/** Runs a bench and ends its process once the bench is done (see run-one.ts). */
const RUN_ONE = fileURLToPath(new URL('./run-one.ts', import.meta.url))

const progress = (line: string) => process.stderr.write(`${line}\n`)

/** Runs one bench with tsx in its own process group; kills the group at the time bound. */
function runBench(file: string, url: string, timeoutMs: number, label: string): Promise<Result> {
  const started = performance.now()
  const summary = join(summaryDir, `${file}.jsonl`)
  rmSync(summary, { force: true }) // a bench named twice on the command line: this run's rows only
  const child = spawn(process.execPath, ['--import', 'tsx', RUN_ONE, join(BENCH_DIR, file)], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: url, NO_COLOR: '1', BENCH_SUMMARY: summary },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: workers and proxies it spawned die with it
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal)
    } catch {}
  }
  let timedOut = false
  const bound = setTimeout(() => {
    timedOut = true
    signalGroup('SIGTERM')
    setTimeout(() => signalGroup('SIGKILL'), 5000).unref()
  }, timeoutMs)
  const ticker = setInterval(() => {
    const lines = stdout.split('\n').length - 1
    progress(`  ${label} ${file}: ${seconds(performance.now() - started)} elapsed, ${lines} lines of output`)
  }, 15_000)
  const onExit = () => signalGroup('SIGKILL')
  process.once('exit', onExit)
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(bound)
      clearInterval(ticker)
      process.off('exit', onExit)
      const ms = performance.now() - started
      const status = timedOut ? 'timed out' : code === 0 ? 'ok' : 'failed'
      resolve({ file, status, ms, code, stdout, stderr, rows: readRows(summary, file) })
    })
    child.on('error', (err) => {
      stderr += `${err.message}\n`
    })
  })
}

function section(r: Result, timeoutS: number): string {
  const lines = [`## bench/${r.file}`, '']
  const status =
    r.status === 'ok'
      ? `ran in ${seconds(r.ms)}`
      : r.status === 'timed out'
        ? `**timed out** after ${timeoutS} s (output so far below)`
        : `**failed** (exit ${r.code}) after ${seconds(r.ms)}`
  // run-one.ts ended a bench that finished but would not exit: say so, it is the bench's bug
  const leftOpen = /run-one: .* left (\d+ handles open \([^)]*\))/.exec(r.stderr)?.[1]
  const note = leftOpen ? `; its process did not exit by itself (${leftOpen}) and was ended` : ''
  lines.push(`_${status}${note}_`, '')
  if (r.stdout.trim()) lines.push(r.stdout.trim(), '')
  if (r.status !== 'ok') {
    const tail = r.stderr.trim().split('\n').slice(-TAIL_LINES).join('\n')
    lines.push('stderr (last lines):', '', '```text', tail || '(empty)', '```', '')
  }
  return lines.join('\n')
}

const known = discoverBenches(BENCH_DIR)
let args: ReturnType<typeof parseRunAllArgs>
try {
  args = parseRunAllArgs(process.argv.slice(2), known)
} catch (err) {
  progress((err as Error).message)
  process.exit(2)
}
if (args.summaryOnly !== undefined) {
  let summary: string | undefined
  try {
    summary = extractSummary(readFileSync(args.summaryOnly, 'utf8'))
  } catch (err) {
    progress((err as Error).message)
  }
  if (summary === undefined) progress(`no "${HEADING.slice(3)}" table in ${args.summaryOnly}`)
  else process.stdout.write(`${summary}\n`)
  process.exit(summary === undefined ? 1 : 0)
}
const selected = args.only.length > 0 ? args.only : known
const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
  ' ',
)

// Ctrl-C: exit through process.exit, so that the 'exit' hooks kill the running bench's process
// group and the redis-server started here
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    progress(`interrupted (${signal}): no report written`)
    process.exit(130)
  })

const server = process.env.REDIS_URL ? undefined : await startRedisServer()
const url = process.env.REDIS_URL ?? server!.url
const results: Result[] = []
const startedAt = new Date()
const summaryDir = mkdtempSync(join(tmpdir(), 'redis-kit-bench-'))
try {
  const redis = await describeRedis(url)
  progress(
    `redis-kit bench: ${selected.length} benches (${selected.join(', ')}), ${args.timeoutS} s bound each`,
  )
  progress(`  ${redis}${server ? ' (started for this run)' : ' (REDIS_URL)'}`)
  for (const [i, file] of selected.entries()) {
    const label = `[${i + 1}/${selected.length}]`
    progress(`${label} ${file} …`)
    const r = await runBench(file, url, args.timeoutS * 1000, label)
    results.push(r)
    progress(`${label} ${file}: ${r.status} in ${seconds(r.ms)}`)
  }
  const ok = results.filter((r) => r.status === 'ok').length
  const summary = summaryBody(results, redis, startedAt, command)
  const report = [
    '# redis-kit benchmark report',
    '',
    `Generated ${startedAt.toISOString()} by \`${command}\` (total ${seconds(Date.now() - startedAt.getTime())}; ${ok} of ${results.length} benches ok). Every bench ran in its own process, one after another, against the same Redis; ratios compare figures from the same run on the same machine.`,
    '',
    '## Machine',
    '',
    ...describeMachine(redis),
    '',
    HEADING,
    '',
    summary,
    '',
    '## Summary',
    '',
    '| bench | status | time |',
    '|---|---|---|',
    ...results.map(
      (r) =>
        `| [bench/${r.file}](#bench${r.file.replace(/[^\w-]/g, '').toLowerCase()}) | ${r.status} | ${seconds(r.ms)} |`,
    ),
    '',
    ...results.map((r) => section(r, args.timeoutS)),
  ].join('\n')
  const out = resolve(args.out)
  writeFileSync(out, report)
  writeFileSync(summaryPath(out), `${summary}\n`)
  progress(
    `wrote ${relative(process.cwd(), out)} (${ok}/${results.length} ok) and its table alone in ${relative(process.cwd(), summaryPath(out))}`,
  )
  process.exitCode = ok === results.length ? 0 : 1
} finally {
  rmSync(summaryDir, { recursive: true, force: true })
  await server?.stop()
}
