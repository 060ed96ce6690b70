#!/usr/bin/env bash
# Installs what the tests need beyond npm packages, idempotently: a Python venv with moto (PyPI),
# Debian's chromium (for the browser tests), and the Go modules of the Go test hosts.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import moto, botocore' 2>/dev/null; then
  echo "ensure-test-deps: creating .venv with moto"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r e2e/requirements.txt
fi

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "ensure-test-deps: installing Debian's chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "ensure-test-deps: /usr/bin/chromium is missing; install Debian's chromium package (sudo apt-get install chromium)" >&2
    exit 1
  fi
fi

# qemu user emulation and the arm64 C libraries let the build and the Go host run the arm64 executable.
if [ ! -x /usr/bin/qemu-aarch64-static ] || [ ! -d /usr/aarch64-linux-gnu/lib ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "ensure-test-deps: installing qemu-user-static and the arm64 cross C libraries"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross >/dev/null
  else
    echo "ensure-test-deps: no qemu-user-static: the arm64 executable will not be exercised" >&2
  fi
fi

for mod in e2e/*/go.mod; do
  [ -f "$mod" ] || continue
  (cd "$(dirname "$mod")" && go mod download)
done
