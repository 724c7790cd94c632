#!/usr/bin/env bash
# CI for examples/elizaos: the redis-kit plugin for ElizaOS agents, tested on a real AgentRuntime
# of @elizaos/core against a real redis-server (each test file starts its own on a free loopback
# port and stops it by PID). Run it after the root's `npm ci && npm run build`: the example
# imports redis-kit by name from the root's dist/ ("redis-kit": "file:../..").
set -euo pipefail
cd "$(dirname "$0")"
started=$SECONDS

if [ ! -f ../../dist/index.js ]; then
  echo "examples/elizaos: ../../dist is missing; run 'npm ci && npm run build' at the repository root first" >&2
  exit 1
fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "examples/elizaos: redis-server is not on the PATH (Debian/Ubuntu: apt-get install redis-server)" >&2
  exit 1
fi

# The lock must list every platform's optional binaries for `npm ci` on other machines
node ../../scripts/complete-lockfile.mjs --check package-lock.json

timeout --kill-after=10s 180s npm ci --no-audit --no-fund
timeout --kill-after=10s 120s npx tsc --noEmit -p .
timeout --kill-after=10s 180s npx vitest run

echo "examples/elizaos: passed in $((SECONDS - started)) s"
