/**
 * Runs one bench entry for bench/run-all.ts: `node --import tsx bench/run-one.ts bench/<file>.ts`.
 * The bench runs as it would alone (its top-level code, to the end of its `finally`); once that
 * is done, the process gets a few seconds to exit by itself and is then ended, with a note on
 * stderr naming what was left open (a client still reconnecting, a server not closed). A bench
 * that never finishes is bounded by run-all.ts's time limit instead.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const GRACE_MS = 5000

const file = process.argv[2]
if (!file) {
  process.stderr.write('usage: node --import tsx bench/run-one.ts <bench file>\n')
  process.exit(2)
}

await import(pathToFileURL(resolve(file)).href)

const grace = setTimeout(() => {
  const open = process.getActiveResourcesInfo() // this timer, running, is no longer listed
  process.stderr.write(
    `run-one: ${file} finished but left ${open.length} handles open (${[...new Set(open)].join(', ')}); exiting\n`,
  )
  process.exit(process.exitCode ?? 0)
}, GRACE_MS)
grace.unref()
