#!/usr/bin/env node
/**
 * The `redis-kit` command (package.json `bin`). One command for now:
 *   npx redis-kit doctor [--url …] [--prefix …] [--cluster] [--json]
 * Exit codes: 0 no failure (warnings allowed), 1 a check failed, 2 bad command line.
 */
import { redact } from '../internal/redact.js'
import { parseArgs, USAGE, UsageError } from './args.js'
import { runDoctor } from './doctor.js'
import { formatJson, formatText, useColor } from './output.js'

async function main(argv: readonly string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>
  try {
    args = parseArgs(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`redis-kit: ${redact(err.message)}\n\n${USAGE}\n`)
    return 2
  }
  if (args.command === 'help') {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const report = await runDoctor({
    url: args.url,
    prefix: args.prefix,
    cluster: args.cluster,
    maxKeys: args.maxKeys,
  })
  const color = useColor({ isTTY: process.stdout.isTTY === true, env: process.env })
  process.stdout.write(args.json ? formatJson(report) : formatText(report, color))
  return report.ok ? 0 : 1
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`redis-kit: ${redact(err instanceof Error ? err.message : String(err))}\n`)
    process.exit(1)
  },
)
