/** The command line of `redis-kit`: parsed by hand (no dependency), bad input → UsageError. */

export const USAGE = `Usage: redis-kit doctor [options]

Checks the Redis that createKit() would use (same configuration: --url, else REDIS_URL, else
REDIS_HOST / REDIS_PORT / REDIS_PASSWORD / REDIS_DB / REDIS_TLS; prefix from --prefix, else
REDIS_KEY_PREFIX, else 'kit:') and reports pass / warn / fail. Exits 1 when a check fails.

Options:
  --url <url>        redis:// or rediss:// URL (overrides REDIS_URL)
  --prefix <prefix>  the kit's key prefix (overrides REDIS_KEY_PREFIX)
  --cluster          the application configures the kit for Redis Cluster
  --max-keys <n>     most keys the keyspace scan visits (default 100000)
  --json             print one JSON object instead of text
  -h, --help         show this help`

export class UsageError extends Error {}

export interface CliArgs {
  command: 'doctor' | 'help'
  url?: string
  prefix?: string
  cluster: boolean
  json: boolean
  maxKeys?: number
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { command: 'help', cluster: false, json: false }
  const rest = [...argv]
  const first = rest.shift()
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') return args
  if (first !== 'doctor') throw new UsageError(`unknown command ${JSON.stringify(first)}`)
  args.command = 'doctor'
  while (rest.length > 0) {
    const raw = rest.shift()!
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1
    const flag = eq === -1 ? raw : raw.slice(0, eq)
    const value = () => {
      const v = eq === -1 ? rest.shift() : raw.slice(eq + 1)
      if (v === undefined || v === '' || (eq === -1 && v.startsWith('--')))
        throw new UsageError(`${flag} needs a value`)
      return v
    }
    switch (flag) {
      case '--url':
        args.url = value()
        break
      case '--prefix':
        args.prefix = value()
        break
      case '--max-keys': {
        const v = value()
        const n = Number(v)
        if (!/^\d+$/.test(v) || n < 1) throw new UsageError(`--max-keys must be a positive whole number`)
        args.maxKeys = n
        break
      }
      case '--cluster':
        args.cluster = true
        break
      case '--json':
        args.json = true
        break
      case '-h':
      case '--help':
        args.command = 'help'
        return args
      default:
        throw new UsageError(`unknown option ${JSON.stringify(flag)}`)
    }
  }
  return args
}
