// Imports (ESM) and requires (CJS) every subpath of the built package by its public name, checks
// the names each one exports, that the exports map and the tsup entries agree, and that importing
// connects nothing and starts no timer. Run after `npm run build` (CI does: npm run test:package).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
const require = createRequire(import.meta.url)

const expected = {
  '.': [
    'createKit',
    'RedisKitError',
    'isKitError',
    'createMemoryStore',
    'createRedisStore',
    'defineScript',
    'configFromEnv',
    'escapeGlob',
  ],
  './stores': ['createMemoryStore', 'createRedisStore', 'defineScript'],
  './testing': ['storeConformance'],
  './analytics': ['createAnalytics'],
  './cache': ['createCache'],
  './smart-cache': ['createSmartCache', 'glob'],
  './llm-cache': ['createLLMCache', 'withLLMDelegates'],
  './sorted-sets': ['createSortedSets'],
  './hyperloglog': ['createHyperLogLog'],
  './bitmaps': ['createBitmaps', 'rolloutPosition'],
  './rate-limit': ['createRateLimit', 'rateLimitHeaders', 'clientIdentifier'],
  './sessions': ['createSessions'],
  './streams': ['createStreams'],
  './pubsub': ['createPubSub'],
  './sse': ['createSse', 'frame', 'comment', 'retry', 'toRequest'],
}

const tsup = readFileSync(new URL('../../tsup.config.ts', import.meta.url), 'utf8')
const allEntries = [...tsup.matchAll(/^\s+'?([\w/-]+)'?: 'src\//gm)].map((m) => m[1])
// entries behind package.json `bin` are commands, not exports
const binEntries = Object.values(pkg.bin ?? {}).map((file) =>
  file.replace(/^\.\/dist\//, '').replace(/\.js$/, ''),
)
for (const bin of binEntries) assert.ok(allEntries.includes(bin), `bin ${bin} needs a tsup entry`)
const entryNames = allEntries.filter((name) => !binEntries.includes(name))
const subpaths = Object.keys(pkg.exports).filter((s) => s !== './package.json')
assert.deepEqual(
  subpaths.map((s) => (s === '.' ? 'index' : `${s.slice(2)}/index`)).sort(),
  entryNames.sort(),
  'package.json exports and tsup entries must list the same subpaths',
)
assert.deepEqual(subpaths.sort(), Object.keys(expected).sort(), 'every subpath needs an expectation here')

const before = new Set(process.getActiveResourcesInfo())
for (const subpath of subpaths) {
  const id = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`
  const esm = await import(id)
  const cjs = require(id)
  for (const name of expected[subpath]) {
    assert.equal(typeof esm[name], 'function', `${id} (ESM) exports ${name}`)
    assert.equal(typeof cjs[name], 'function', `${id} (CJS) exports ${name}`)
  }
  console.log(`ok ${id}: ${Object.keys(esm).length} names (ESM and CJS)`)
}
const started = process.getActiveResourcesInfo().filter((r) => !before.has(r) && r !== 'TTYWrap')
assert.deepEqual(started, [], 'importing the package must start no timer and open no socket')

// The CJS and ESM copies of the error class are told apart by isKitError, not instanceof.
const esmRoot = await import(pkg.name)
const cjsRoot = require(pkg.name)
assert.ok(cjsRoot.isKitError(new esmRoot.RedisKitError('INVALID_ARGUMENT', 'x')))
console.log('ok exports map, entries, no side effects on import')
