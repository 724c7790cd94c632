// Completes package-lock.json with the other platforms' optional binaries (esbuild, rollup,
// biome, …). The registry this project's machines use serves only the packages that install
// here, so `npm install` writes a lock without them, and `npm ci` then refuses that lock
// ("Missing: @esbuild/darwin-arm64@ from lock file"). Each missing optional package gets an
// entry with its version and `optional: true`; where it cannot be fetched, npm skips it, as it
// does for any optional dependency. Run after every `npm install` that changes the lock:
//   node scripts/complete-lockfile.mjs           (fixes the lock)
//   node scripts/complete-lockfile.mjs --check   (fails if it needs fixing; part of npm run lint)
// A path argument names another lock (the example apps'): node scripts/complete-lockfile.mjs x/package-lock.json
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

const given = process.argv.slice(2).find((arg) => !arg.startsWith('--'))
const path = given ? resolve(given) : new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(path, 'utf8'))
const packages = lock.packages
let added = 0
for (const [location, meta] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ''}node_modules/${name}`
    if (packages[nested] || packages[`node_modules/${name}`]) continue
    const version = String(range).replace(/^[\^~=]/, '')
    packages[`node_modules/${name}`] = { version, dev: meta.dev, optional: true }
    if (!meta.dev) delete packages[`node_modules/${name}`].dev
    added++
  }
}
if (process.argv.includes('--check')) {
  if (added > 0) {
    console.error(
      `${given ?? 'package-lock.json'} lacks ${added} optional platform entries: run node scripts/complete-lockfile.mjs${given ? ` ${given}` : ''}`,
    )
    process.exit(1)
  }
  process.exit(0)
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
)
lock.packages = sorted
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`)
console.log(`complete-lockfile: added ${added} optional platform entries`)
