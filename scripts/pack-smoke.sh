#!/usr/bin/env bash
# Packaging smoke test: what a council's repository gets from `npm install footprint`.
# Pack the package, install the tarball into an empty project, and run the installed CLI:
# its help, and one real check of a plan against the bundled example.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "packed $tarball"
# Only the built library, CLI and docs ship: no fixtures, tests or sources.
listing="$(tar -tzf "$work/$tarball")"
if echo "$listing" | grep -E '^package/(fixtures|tests|src|bench)/' >/dev/null; then
  echo "pack-smoke: the tarball contains fixtures, tests, sources or benchmarks:" >&2
  echo "$listing" | grep -E '^package/(fixtures|tests|src|bench)/' >&2
  exit 1
fi

mkdir -p "$work/council"
cd "$work/council"
npm init -y >/dev/null
npm install --no-audit --no-fund --prefer-offline "$work/$tarball" >/dev/null
npx --no-install footprint --version
npx --no-install footprint check --help >/dev/null
# A real check: the example's committed plan against its units and wards.
npx --no-install footprint check "$root/fixtures/example/plan/assignment.csv" \
  --units "$root/fixtures/example/units.geojson" \
  --layer wards="$root/fixtures/example/wards.geojson" \
  --k 5 --min 30000 --max 55000 --format text
echo "pack-smoke: ok"
