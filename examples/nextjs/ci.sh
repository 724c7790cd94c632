#!/usr/bin/env bash
# CI for examples/nextjs. Run AFTER the root's `npm ci && npm run build` (redis-kit is linked from
# the repository root, file:../.., and its dist/ must exist). Installs Debian's chromium when
# missing, checks the example's lock, installs it (npm ci), runs `next build` (which type-checks), then the
# end-to-end tests: a redis-server and `next start` on free 127.0.0.1 ports, driven by
# playwright-core + chromium. Exits non-zero on any failure; every step is bounded in time.
set -euo pipefail
cd "$(dirname "$0")"
started=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$1" "$(($(date +%s) - started))"; }

export NEXT_TELEMETRY_DISABLED=1
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ ! -f ../../dist/index.js ]; then
  echo "examples/nextjs/ci.sh: ../../dist is missing; run 'npm ci && npm run build' at the repository root first" >&2
  exit 1
fi
for tool in redis-server node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "examples/nextjs/ci.sh: $tool is not on PATH" >&2; exit 1; }
done

if [ ! -x "$CHROMIUM_PATH" ]; then
  step "installing Debian's chromium"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  timeout 60s $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive timeout 240s $SUDO apt-get install -y chromium
fi
"$CHROMIUM_PATH" --version 2>/dev/null | tail -n 1

step "checking the lock (every platform's optional binaries, for npm ci elsewhere)"
node ../../scripts/complete-lockfile.mjs --check package-lock.json

step "npm ci"
timeout 180s npm ci --no-audit --no-fund

step "next build"
rm -rf .next
timeout 300s node_modules/.bin/next build

step "end-to-end tests (redis-server + next start + chromium)"
rm -rf test-results
timeout --kill-after=10s 240s node --test --test-reporter=spec test/e2e.test.mjs

step "done: screenshot in examples/nextjs/test-results/live-update.png"
