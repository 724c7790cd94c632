import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One standalone redis-server and one 6-node cluster for the whole run (see test/support).
    globalSetup: ['test/support/global-setup.ts'],
    // Child processes isolate crashes and signal handling; two workers fit a 2-core machine
    // that also runs the seven redis-server processes.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
  },
})
