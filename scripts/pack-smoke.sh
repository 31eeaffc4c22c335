#!/usr/bin/env bash
# Packaging smoke test: what a council's repository gets from `npm install footprint-align`.
# Pack the package, install the tarball into an empty project, and run the installed CLI: its help
# and version, then the bundled example end to end (optimise, check, workshop), then the README's
# library example as written.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "packed $tarball"
# Only the built library, its page script, the CLI, docs and the bundled example ship: no tests,
# sources, benchmarks or other fixtures.
listing="$(tar -tzf "$work/$tarball")"
unwanted='^package/(fixtures/(?!example/)|tests/|src/|bench/)'
if echo "$listing" | grep -P "$unwanted" >/dev/null; then
  echo "pack-smoke: the tarball contains tests, sources, benchmarks or fixtures other than the example:" >&2
  echo "$listing" | grep -P "$unwanted" >&2
  exit 1
fi
for needed in package/dist/workshop/bundle.js package/fixtures/example/scenario.yaml package/bin/footprint.js; do
  echo "$listing" | grep -qx "$needed" || { echo "pack-smoke: $needed is missing from the tarball" >&2; exit 1; }
done

mkdir -p "$work/council"
cd "$work/council"
npm init -y >/dev/null
npm install --no-audit --no-fund --prefer-offline "$work/$tarball" >/dev/null
npx --no-install footprint --version
npx --no-install footprint --help >/dev/null
npx --no-install footprint check --help >/dev/null
example=node_modules/footprint-align/fixtures/example
# The bundled example, as the README runs it, writing into this project rather than node_modules.
npx --no-install footprint optimise "$example/scenario.yaml" --out example-out --time-limit 10 --quiet
npx --no-install footprint check example-out/assignment.csv --scenario "$example/scenario.yaml" --format text
# The Board paper and workbook: marked and exceljs resolve from the installed package.
test -s example-out/report.html
test -s example-out/evidence.xlsx
npx --no-install footprint workshop example-out --scenario "$example/scenario.yaml"
test -s example-out/workshop.html
# The committed plan of the example against its units and wards, from flags alone.
npx --no-install footprint check "$example/plan/assignment.csv" \
  --units "$example/units.geojson" --layer wards="$example/wards.geojson" \
  --k 5 --min 30000 --max 55000 --format text >/dev/null
# The README's library example, exactly as written there (the first ```js block under "## Library"),
# so the README and the package cannot drift apart.
awk '/^## Library/ { lib = 1; next } lib && /^## / { exit } lib && /^```js/ { code = 1; next } code && /^```/ { exit } code { print }' \
  "$root/README.md" > example.mjs
test -s example.mjs || { echo "pack-smoke: no \`\`\`js block under ## Library in README.md" >&2; exit 1; }
grep -q "from 'footprint-align'" example.mjs || { echo "pack-smoke: the README's library example does not import from 'footprint-align'" >&2; exit 1; }
node example.mjs
echo "pack-smoke: ok"
