#!/usr/bin/env bash
# gofmt and go vet for the Go test host (e2e/*/go.mod): part of `npm run lint`.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for mod in e2e/*/go.mod; do
  [ -f "$mod" ] || continue
  dir="$(dirname "$mod")"
  unformatted="$(cd "$dir" && gofmt -l .)"
  if [ -n "$unformatted" ]; then
    echo "gofmt: these files in $dir need formatting (gofmt -w):" >&2
    echo "$unformatted" >&2
    status=1
  fi
  (cd "$dir" && go vet ./...) || status=1
done
exit "$status"
