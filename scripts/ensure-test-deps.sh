#!/usr/bin/env bash
# Installs what the tests need beyond npm packages, idempotently: what the build needs
# (scripts/ensure-build-deps.sh), a Python venv with moto (PyPI), and the Go modules of the Go test host.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-build-deps.sh
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import moto, botocore' 2>/dev/null; then
  echo "ensure-test-deps: creating .venv with moto"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r e2e/requirements.txt
fi

for mod in e2e/*/go.mod; do
  [ -f "$mod" ] || continue
  (cd "$(dirname "$mod")" && go mod download)
done
