#!/usr/bin/env bash
# Installs what `npm run build` needs beyond npm packages, idempotently: gcc and the aarch64 cross gcc with
# its static libc (the Linux launchers), zip (the release archive), the arm64 architecture in dpkg (so
# `apt-get download` finds the arm64 libc6, libstdc++6, libgcc-s1 the build bundles), qemu-user-static and
# chromium (the build runs the arm64 executable; the tests drive the editors), and rcodesign from the crate
# apple-codesign (ad-hoc signing of the macOS executables; compiles for several minutes the first time).
set -euo pipefail
cd "$(dirname "$0")/.."

update=0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  if [ "$(id -u)" = 0 ]; then
    echo "ensure-test-deps: adding the arm64 architecture to dpkg (for the bundled arm64 libraries)"
    dpkg --add-architecture arm64
    update=1
  else
    echo "ensure-test-deps: run \`dpkg --add-architecture arm64 && apt-get update\` as root" >&2
    exit 1
  fi
fi

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/gcc ] || missing+=(gcc)
[ -x /usr/bin/aarch64-linux-gnu-gcc ] || missing+=(gcc-aarch64-linux-gnu)
[ -f /usr/aarch64-linux-gnu/lib/libc.a ] || missing+=(libc6-dev-arm64-cross)
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || missing+=(libc6-dev)
[ -x /usr/bin/zip ] || missing+=(zip)
[ -x /usr/bin/zipinfo ] || missing+=(unzip)
[ -x /usr/bin/qemu-aarch64-static ] || missing+=(qemu-user-static)
if [ ${#missing[@]} -gt 0 ] || [ $update = 1 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "ensure-test-deps: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    [ ${#missing[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "ensure-test-deps: missing Debian packages: ${missing[*]} (install them with apt-get as root)" >&2
    exit 1
  fi
fi

rcodesign="${CARGO_HOME:-$HOME/.cargo}/bin/rcodesign"
if [ ! -x "$rcodesign" ] && ! command -v rcodesign >/dev/null; then
  command -v cargo >/dev/null || { echo "ensure-test-deps: cargo is missing (needed to install rcodesign)" >&2; exit 1; }
  echo "ensure-test-deps: cargo install apple-codesign (rcodesign; several minutes)"
  cargo install --quiet apple-codesign --version 0.29.0 --locked
fi

