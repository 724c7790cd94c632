/**
 * The LLM cache example and the seeds' recipes (memory analysis, context building, image cache)
 * run to completion on Redis too (test/examples.test.ts runs every example on the memory store).
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { redisUrl } from '../support/env.js'

const run = promisify(execFile)
const root = join(import.meta.dirname, '..', '..')
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REDIS_')))

describe('LLM cache examples on Redis', () => {
  it.each(['llm-cache.ts', 'memory-analysis.ts', 'context-building.ts', 'image-cache.ts'])(
    'examples/%s runs on Redis',
    async (file) => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', join('examples', file)], {
        cwd: root,
        env: { ...env, REDIS_URL: redisUrl() },
        timeout: 30_000,
      })
      expect(stdout).toMatch(/on redis/)
    },
    40_000,
  )
})
