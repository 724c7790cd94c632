import { defineConfig } from 'tsup'

/** One entry per public subpath; package.json's `exports` must list exactly these. */
export const entries = {
  index: 'src/index.ts',
  'stores/index': 'src/stores/index.ts',
  'testing/index': 'src/testing/index.ts',
  'sse/index': 'src/sse/index.ts',
  'pubsub/index': 'src/pubsub/index.ts',
  'streams/index': 'src/streams/index.ts',
  'sessions/index': 'src/sessions/index.ts',
  'rate-limit/index': 'src/rate-limit/index.ts',
  'bitmaps/index': 'src/bitmaps/index.ts',
  'hyperloglog/index': 'src/hyperloglog/index.ts',
  'sorted-sets/index': 'src/sorted-sets/index.ts',
  'analytics/index': 'src/analytics/index.ts',
  'cache/index': 'src/cache/index.ts',
  'smart-cache/index': 'src/smart-cache/index.ts',
  // the `redis-kit` command (package.json `bin`, not an export)
  'cli/index': 'src/cli/index.ts',
  'llm-cache/index': 'src/llm-cache/index.ts',
}

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  // p-retry is ESM-only: bundle it so the CommonJS build never require()s an ES module
  noExternal: ['p-retry'],
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: 'node20',
  outDir: 'dist',
})
