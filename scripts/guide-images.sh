#!/usr/bin/env bash
# Regenerates the maps shown in docs/guide.md by running the guide's own commands on the bundled
# example (after `npm ci`), so the pictures in the guide are what the tool really draws.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
fp="node bin/footprint.js"
$fp score --units fixtures/example/units.geojson --layer wards=fixtures/example/wards.geojson \
  --layer gp=fixtures/example/gp.geojson --layer police=fixtures/example/police.geojson \
  --layer districts=fixtures/example/districts.geojson --out "$out/score" --quiet > /dev/null
$fp optimise fixtures/example/scenario.yaml --out "$out/a" --quiet > /dev/null
$fp optimise fixtures/example/scenario.yaml --keep-whole wards --out "$out/b" --quiet > /dev/null
$fp compare "$out/a/assignment.csv" "$out/b/assignment.csv" --scenario fixtures/example/scenario.yaml --out "$out/compare" --quiet > /dev/null
mkdir -p docs/images
cp "$out/score/layers.svg" docs/images/layers.svg
cp "$out/a/footprints.svg" docs/images/footprints.svg
cp "$out/a/split-gp.svg" docs/images/split-gp.svg
cp "$out/compare/changes-1.svg" docs/images/changes.svg
echo "wrote docs/images/{layers,footprints,split-gp,changes}.svg"
