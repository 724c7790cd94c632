/**
 * Helpers of bench/run-all.ts: which bench/*.ts files are entries, the command line, and the
 * machine the report describes. Not a bench entry itself (run-all.ts imports it).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { cpus, freemem, release, totalmem, type } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'

/** Files that are never entries, whatever imports them. */
const NEVER = new Set(['harness.ts', 'run-all.ts'])

/**
 * The entries of `dir`: every .ts file that no other bench file imports or spawns (those are
 * parts of an entry: cache-libs.ts, cache-rows.ts, sse-clients.ts …), minus workers and helpers.
 */
export function discoverBenches(dir: string): string[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
  const referenced = new Set<string>()
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8')
    for (const m of text.matchAll(/['"]\.\/([\w.-]+)\.(?:js|ts|mjs)['"]/g)) {
      if (`${m[1]}.ts` !== file) referenced.add(`${m[1]}.ts`)
    }
  }
  return files.filter((f) => !NEVER.has(f) && !referenced.has(f) && !/-(worker|helpers?)\.ts$/.test(f))
}

export interface RunAllArgs {
  /** Only these entries (file names with or without .ts); all when empty. */
  only: string[]
  /** Time bound of each bench, in seconds. */
  timeoutS: number
  out: string
  /** Print the "How it compares" table of this existing report and exit (nothing is run). */
  summaryOnly?: string
}

const USAGE = [
  'usage: npm run bench -- [name …] [--timeout <seconds per bench, default 600>] [--out <file, default bench/report.md>]',
  '       npm run bench -- --summary-only <report.md>   print the "How it compares" table of a report',
].join('\n')

/** Parses the command line; throws an Error with the usage on bad input. */
export function parseRunAllArgs(argv: readonly string[], known: readonly string[]): RunAllArgs {
  const args: RunAllArgs = { only: [], timeoutS: 600, out: 'bench/report.md' }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--help' || arg === '-h') throw new Error(USAGE)
    if (arg === '--timeout' || arg === '--out' || arg === '--summary-only') {
      const value = argv[++i]
      if (value === undefined) throw new Error(`${arg} needs a value\n${USAGE}`)
      if (arg === '--out') args.out = value
      else if (arg === '--summary-only') args.summaryOnly = value
      else {
        const n = Number(value)
        if (!Number.isFinite(n) || n <= 0) throw new Error(`--timeout must be a positive number of seconds`)
        args.timeoutS = n
      }
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}\n${USAGE}`)
    else {
      const name = arg.replace(/^bench\//, '').replace(/\.ts$/, '')
      if (!known.includes(`${name}.ts`))
        throw new Error(`no bench named ${JSON.stringify(arg)}; the benches are: ${known.join(', ')}`)
      args.only.push(`${name}.ts`)
    }
  }
  return args
}

/** Redis version and mode of `url` (INFO server), or why it could not be read. */
export async function describeRedis(url: string): Promise<string> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000 })
  client.on('error', () => {})
  try {
    await client.connect()
    const info = await client.info('server')
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim()
    return `Redis ${field('redis_version') ?? 'unknown'} (${field('redis_mode') ?? 'standalone'}, ${field('os') ?? 'unknown OS'}), on loopback`
  } catch (err) {
    return `Redis at an unreadable address (${(err as Error).message})`
  } finally {
    client.disconnect()
  }
}

const GiB = 1024 ** 3

/** The machine, as markdown list items. */
export function describeMachine(redis: string): string[] {
  const cpu = cpus()
  return [
    `- CPU: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} logical cores`,
    `- Memory: ${(totalmem() / GiB).toFixed(1)} GiB (${(freemem() / GiB).toFixed(1)} GiB free at the start)`,
    `- OS: ${type()} ${release()} (${process.arch})`,
    `- Node: ${process.version}`,
    `- ${redis}`,
  ]
}

/** Formats ms as "12.3 s" or "2 min 05 s". */
export function seconds(ms: number): string {
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  return `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, '0')} s`
}
