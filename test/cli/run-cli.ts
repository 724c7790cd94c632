/** Runs the `redis-kit` CLI from its TypeScript entry (tsx, no build) and collects its output. */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ENTRY = fileURLToPath(new URL('../../src/cli/index.ts', import.meta.url))

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
  /** Wall time of the whole process, start-up included. */
  ms: number
}

/** Configuration variables of the kit, removed so that only what a test passes is seen. */
const KIT_ENV = /^(REDIS_|NO_COLOR$|FORCE_COLOR$)/

export function runCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 15_000,
): Promise<CliRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !KIT_ENV.test(k)))
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString()
  })
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString()
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, ms: performance.now() - started })
    })
  })
}

/** The status of each check in a text report: { server: 'PASS', memory: 'WARN', … }. */
export function statuses(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of text.matchAll(/^ {2}(PASS|WARN|FAIL) {2}(\S+)/gm)) out[m[2]!] = m[1]!
  return out
}
