import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file starts its own redis-server on a free loopback port and stops it by PID.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
    env: {
      // ElizaOS warns when secrets are read without a salt, and logs at info level by default.
      SECRET_SALT: 'redis-kit-example-tests',
      LOG_LEVEL: 'error',
    },
  },
})
