/**
 * The "How it compares" table of bench/run-all.ts: each bench records its headline rows with
 * `compare` (bench/harness.ts) as JSON lines in the file named by BENCH_SUMMARY; run-all gives
 * every bench its own file, reads them back here and writes one markdown table near the top of
 * the report and, on its own, beside it (bench/summary.md), to paste into README.md unchanged.
 * `npm run bench -- --summary-only bench/report.md` prints the table of an existing report.
 */
import { existsSync, readFileSync } from 'node:fs'
import { cpus, release, totalmem, type } from 'node:os'
import { basename, dirname, join } from 'node:path'
import type { Comparison } from './harness.js'

export const HEADING = '## How it compares'

/** Order of the table (the README's order of the primitives); other benches follow. */
const ORDER = ['cache.ts', 'llm-cache.ts', 'rate-limit.ts', 'sessions.ts', 'realtime.ts', 'store.ts']
const rank = (file: string) => (ORDER.includes(file) ? ORDER.indexOf(file) : ORDER.length)

/** A recorded row, its figures as compare formatted them. */
export interface SummaryRow extends Required<Omit<Comparison, 'ours' | 'theirs'>> {
  ours: string
  theirs: string
  /** bench/<file> that recorded it. */
  bench: string
}

export interface BenchOutcome {
  file: string
  status: string
  rows: SummaryRow[]
}

/** Where the table is written on its own: bench/report.md → bench/summary.md, x.md → x.summary.md. */
export function summaryPath(report: string): string {
  const name = basename(report)
  return join(
    dirname(report),
    name === 'report.md' ? 'summary.md' : `${name.replace(/\.md$/, '')}.summary.md`,
  )
}

/** The rows a bench recorded (malformed lines are skipped). */
export function readRows(file: string, bench: string): SummaryRow[] {
  if (!existsSync(file)) return []
  const rows: SummaryRow[] = []
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue
    try {
      const r = JSON.parse(line) as Partial<Comparison>
      if (typeof r.area !== 'string' || typeof r.case !== 'string' || typeof r.peer !== 'string') continue
      rows.push({
        bench,
        area: r.area,
        case: r.case,
        ours: String(r.ours ?? ''),
        peer: r.peer,
        theirs: String(r.theirs ?? ''),
        ratio: String(r.ratio ?? ''),
      })
    } catch {}
  }
  return rows
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/**
 * The summary: one paragraph naming the run and the machine, the table (area and case written
 * once for consecutive rows that share them), and which benches gave no rows or did not finish.
 */
export function summaryBody(
  outcomes: BenchOutcome[],
  redis: string,
  generated: Date,
  command: string,
): string {
  const cpu = cpus()
  const machine = `${cpu[0]?.model.trim() ?? 'unknown CPU'} (${cpu.length} logical cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB), ${type()} ${release()}, Node ${process.version}, ${redis}`
  const lines = [
    `Every figure was measured by \`${command}\` on ${generated.toISOString().slice(0, 10)}, in one run on one machine: ${machine}. Each bench ran in its own process against the same Redis; the peers were configured as their docs recommend. Ratios are redis-kit ÷ peer on ops/s (above 1: redis-kit is faster) unless the row says otherwise; where a bench runs its variants in turn over several repetitions (rate limit, sessions), ops/s are the median repetition's and the ratio is the median of the ratios within each repetition; the full tables are in the benchmark report (bench/report.md).`,
    '',
    '| area | what is measured | redis-kit | peer (named) | ratio or figure |',
    '|---|---|---|---|---|',
  ]
  let last: SummaryRow | undefined
  const ordered = [...outcomes].sort((a, b) => rank(a.file) - rank(b.file))
  for (const r of ordered.flatMap((o) => o.rows)) {
    const sameArea = last?.area === r.area
    const sameCase = sameArea && last?.case === r.case
    lines.push(
      `| ${sameArea ? '' : cell(r.area)} | ${sameCase ? '' : cell(r.case)} | ${cell(r.ours)} | ${cell(r.peer)}: ${cell(r.theirs)} | ${cell(r.ratio)} |`,
    )
    last = r
  }
  const missing = outcomes.filter((o) => o.status !== 'ok' || o.rows.length === 0)
  const notes = missing.map((o) =>
    o.status !== 'ok' ? `bench/${o.file} ${o.status} (its rows, if any, are partial)` : `bench/${o.file}`,
  )
  if (notes.length > 0)
    lines.push('', `_Not in the table (no headline rows, or did not finish): ${notes.join(', ')}._`)
  return lines.join('\n')
}

/** The summary of a report written by run-all (the text under HEADING), or undefined. */
export function extractSummary(report: string): string | undefined {
  const start = report.indexOf(`\n${HEADING}\n`)
  if (start < 0) return undefined
  const body = report.slice(start + HEADING.length + 2)
  const end = body.search(/^## /m)
  return (end < 0 ? body : body.slice(0, end)).trim()
}
