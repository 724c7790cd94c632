import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { NextConfig } from 'next'

const here = dirname(fileURLToPath(import.meta.url))
// redis-kit is linked from the repository root (file:../..): Turbopack and output tracing must see it.
const repositoryRoot = join(here, '..', '..')

const nextConfig: NextConfig = {
  cacheComponents: true, // 'use cache' + cacheTag, served by cacheHandlers.default
  partialPrefetching: true,
  cacheHandler: join(here, 'cache-handlers', 'incremental.mjs'),
  cacheHandlers: { default: join(here, 'cache-handlers', 'use-cache.mjs') },
  cacheMaxMemorySize: 0, // no per-process copy in front of Redis: every instance sees one cache
  serverExternalPackages: ['redis-kit', 'ioredis'],
  outputFileTracingRoot: repositoryRoot,
  turbopack: { root: repositoryRoot },
  poweredByHeader: false,
}

export default nextConfig
