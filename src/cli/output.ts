/**
 * The doctor's text output: one line per check with its status, further lines indented, and a
 * summary. Coloured only on a TTY, never when NO_COLOR is set (https://no-color.org), always
 * when FORCE_COLOR is set to anything but 0.
 */
import type { Status } from './check.js'
import type { DoctorReport } from './doctor.js'

export interface ColorContext {
  isTTY: boolean
  env: Readonly<Record<string, string | undefined>>
}

export function useColor({ isTTY, env }: ColorContext): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0'
  return isTTY && env.TERM !== 'dumb'
}

const CODES: Record<Status | 'dim' | 'bold', [number, number]> = {
  pass: [32, 39],
  warn: [33, 39],
  fail: [31, 39],
  dim: [2, 22],
  bold: [1, 22],
}

const LABEL: Record<Status, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' }

const TITLES: Record<string, string> = {
  config: 'config',
  connection: 'connection',
  server: 'server',
  latency: 'latency',
  memory: 'memory',
  persistence: 'persistence',
  acl: 'permissions',
  scripts: 'scripts',
  keyspace: 'keyspace',
}

export function formatText(report: DoctorReport, color: boolean): string {
  const paint = (style: keyof typeof CODES, text: string) =>
    color ? `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m` : text
  const lines = [paint('bold', 'redis-kit doctor'), '']
  for (const check of report.checks) {
    const title = (TITLES[check.id] ?? check.id).padEnd(12)
    lines.push(`  ${paint(check.status, LABEL[check.status])}  ${title}${check.message}`)
    for (const detail of check.details ?? [])
      lines.push(`        ${' '.repeat(12)}${paint('dim', `- ${detail}`)}`)
  }
  const { pass, warn, fail } = report.summary
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  const verdict = fail > 0 ? paint('fail', plural(fail, 'failure')) : paint('pass', 'no failures')
  lines.push('', `${verdict}, ${plural(warn, 'warning')}, ${pass} passed (${report.durationMs} ms)`)
  return `${lines.join('\n')}\n`
}

export function formatJson(report: DoctorReport): string {
  return `${JSON.stringify(report)}\n`
}
