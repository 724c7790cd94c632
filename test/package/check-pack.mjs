// Package hygiene of the built package (run after `npm run build`; part of npm run test:package):
//   1. `npm pack --dry-run` holds dist/**, README.md, CHANGELOG.md, LICENSE, package.json — nothing else;
//   2. the bundled ESM size of each subpath (esbuild, dependencies external), printed as a table;
//   3. bundling `redis-kit/rate-limit` pulls in no other primitive: each primitive's factory name
//      (the string it gives parseOptions, which minifiers keep) must be absent from the bundle —
//      and present in that primitive's own bundle, so that a marker that stopped working fails here.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('../../', import.meta.url))
const pkg = JSON.parse(readFileSync(new URL('package.json', `file://${root}`), 'utf8'))
assert.ok(existsSync(`${root}dist/index.js`), 'dist/ is missing: run npm run build first')

// 1. what npm would publish
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const packed = JSON.parse(
  execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
)
const files = packed[0].files.map((f) => f.path).sort()
const ALLOWED_TOP = new Set(['README.md', 'CHANGELOG.md', 'LICENSE', 'package.json'])
const stray = files.filter((f) => !f.startsWith('dist/') && !ALLOWED_TOP.has(f))
assert.deepEqual(
  stray,
  [],
  `npm pack holds files outside dist/, README, CHANGELOG, LICENSE: ${stray.join(', ')}`,
)
for (const required of [...ALLOWED_TOP, 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts'])
  assert.ok(files.includes(required), `npm pack must hold ${required}`)
for (const bin of Object.values(pkg.bin ?? {})) {
  const file = bin.replace(/^\.\//, '')
  assert.ok(files.includes(file), `npm pack must hold the bin ${file}`)
  assert.ok(
    readFileSync(`${root}${file}`, 'utf8').startsWith('#!/usr/bin/env node'),
    `${file} needs a shebang`,
  )
  const help = execFileSync(process.execPath, [`${root}${file}`, '--help'], { encoding: 'utf8' })
  assert.match(help, /Usage: redis-kit doctor/, `${file} --help prints the usage`)
}
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`
console.log(
  `ok npm pack: ${files.length} files, ${kb(packed[0].size)} packed, ${kb(packed[0].unpackedSize)} unpacked`,
)

// 2. bundled size per subpath
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]
const subpaths = Object.keys(pkg.exports).filter((s) => s !== './package.json')
const idOf = (subpath) => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`)

async function bundle(contents, minify = true) {
  const result = await build({
    stdin: { contents, resolveDir: root, sourcefile: 'entry.mjs', loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify,
    treeShaking: true,
    external,
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0].text
}

const rows = []
const bundles = {}
for (const subpath of subpaths) {
  const id = idOf(subpath)
  const full = await bundle(`export * from '${id}'`, false)
  const min = await bundle(`export * from '${id}'`)
  bundles[subpath] = min
  rows.push([id, kb(Buffer.byteLength(full)), kb(Buffer.byteLength(min)), kb(gzipSync(min).length)])
}
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 14))
const line = (cells) =>
  `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`
console.log(
  `\nbundled ESM size per subpath (esbuild, export *, dependencies external: ${external.join(', ')})\n`,
)
console.log(line(['subpath', 'bundled', 'minified', 'min + gzip']))
console.log(
  `|${widths.map((w, i) => (i === 0 ? '-' : '').padEnd(w + 1, '-') + (i === 0 ? '-' : ':')).join('|')}|`,
)
for (const row of rows) console.log(line(row))

// 3. rate-limit alone
const MARKERS = {
  './cache': 'createCache',
  './sessions': 'createSessions',
  './streams': 'createStreams',
  './pubsub': 'createPubSub',
  './analytics': 'createAnalytics',
  './sorted-sets': 'createSortedSets',
  './hyperloglog': 'createHyperLogLog',
  './bitmaps': 'createBitmaps',
  './sse': 'createSse',
  './llm-cache': 'createLLMCache',
}
const used = await bundle(
  `import { createRateLimit } from '${pkg.name}/rate-limit'\nconsole.log(createRateLimit)`,
)
assert.ok(used.includes('createRateLimit'), 'the rate-limit bundle holds createRateLimit')
const checked = []
for (const [subpath, marker] of Object.entries(MARKERS)) {
  if (!bundles[subpath]) continue // a subpath this version does not have
  assert.ok(
    bundles[subpath].includes(`"${marker}"`),
    `marker "${marker}" no longer found in ${idOf(subpath)}`,
  )
  assert.ok(
    !used.includes(`"${marker}"`),
    `importing ${pkg.name}/rate-limit pulls in ${idOf(subpath)} ("${marker}")`,
  )
  checked.push(subpath.slice(2))
}
assert.ok(checked.length >= 3, 'at least cache, sessions and streams are checked')
console.log(
  `\nok ${pkg.name}/rate-limit bundles to ${kb(Buffer.byteLength(used))} minified and holds none of: ${checked.join(', ')}`,
)
