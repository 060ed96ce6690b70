#!/usr/bin/env bash
# The whole test suite, as README and CI run it: static checks, unit tests, the build, then end-to-end
# tests against real peers (Grafana's Go plugin client, moto server, chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-test-deps.sh
npm run --silent typecheck
npm run --silent lint
npx jest --selectProjects frontend backend
npm run --silent build
export SIGIL_VENV="$PWD/.venv"
for mod in e2e/*/go.mod; do
  [ -f "$mod" ] || continue
  (cd "$(dirname "$mod")" && go test -count=1 ./...)
done
npx jest --selectProjects e2e --runInBand
