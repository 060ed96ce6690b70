#!/usr/bin/env bash
# Installs what the tests need beyond npm packages, idempotently: a Python venv with moto (PyPI); Debian's
# chromium (browser tests), qemu-user-static and the arm64 C libraries (to run the arm64 executable); and the
# Go modules of the Go test host.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import moto, botocore' 2>/dev/null; then
  echo "ensure-test-deps: creating .venv with moto"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r e2e/requirements.txt
fi

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/qemu-aarch64-static ] || missing+=(qemu-user-static)
[ -d /usr/aarch64-linux-gnu/lib ] || missing+=(libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "ensure-test-deps: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "ensure-test-deps: missing Debian packages: ${missing[*]} (install them with apt-get as root)" >&2
    exit 1
  fi
fi

for mod in e2e/*/go.mod; do
  [ -f "$mod" ] || continue
  (cd "$(dirname "$mod")" && go mod download)
done
