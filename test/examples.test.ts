/**
 * Every file in examples/ runs to completion as a user would run it (`npx tsx examples/x.ts`),
 * (servers with --check) on the embedded memory store (no Redis configured): an example that throws or hangs fails here.
 */
import { execFile } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = join(import.meta.dirname, '..')
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts'))
/** Servers take --check: start, talk to themselves, exit. */
const ARGS: Record<string, string[]> = { 'sse-server.ts': ['--check'] }
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REDIS_')))

describe('examples', () => {
  it.each(examples)('examples/%s runs on the memory store', async (file) => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join('examples', file), ...(ARGS[file] ?? [])],
      {
        cwd: root,
        env,
        timeout: 30_000,
      },
    )
    expect(stdout.length).toBeGreaterThan(0)
  })
})
