/**
 * GIS formats in and Board outputs out (issue 27): the time to load Oldham's 142 LSOAs from the
 * GeoJSON against the same layer as a Shapefile, a GeoPackage layer and a MapInfo TAB through GDAL
 * (ogr2ogr spawned, GeoJSON on its stdout), and the time to build report.html, evidence.xlsx,
 * footprints.gpkg and report.pdf for the Oldham plan. Median of RUNS loads each.
 * Needs ../shared/data/oldham and gdal-bin (and chromium for the PDF line).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLayer } from '../src/layers/load.js';
import { readScenario } from '../src/scenario/read.js';
import { configFromScenario } from '../src/scenario/config.js';
import { runOptimise } from '../src/pipeline/optimise.js';
import { writePlanOutputs } from '../src/report/write-plan.js';
import { reportHtml } from '../src/report/html.js';
import { compositionSheet, evidenceSheet, workbookBytes } from '../src/report/xlsx.js';
import { geopackageBytes } from '../src/report/gpkg.js';
import { findChromium, printPdf } from '../src/report/pdf.js';
import type { OutputWriter } from '../src/io/output-folder.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const oldham = resolve(root, '..', 'shared', 'data', 'oldham');
const RUNS = 7;

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(fn: () => unknown | Promise<unknown>, runs = RUNS): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const dir = mkdtempSync(join(tmpdir(), 'footprint-bench-formats-'));
try {
  const lsoa = join(oldham, 'lsoa.geojson');
  const convert = (args: string[]) => {
    const r = spawnSync('ogr2ogr', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ogr2ogr ${args.join(' ')}: ${r.stderr}`);
  };
  convert(['-f', 'ESRI Shapefile', join(dir, 'lsoa.shp'), lsoa]);
  convert(['-f', 'GPKG', join(dir, 'council.gpkg'), lsoa, '-nln', 'lsoa']);
  convert(['-f', 'MapInfo File', join(dir, 'lsoa.tab'), lsoa]);
  convert(['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:27700', join(dir, 'lsoa_bng.shp'), lsoa]);
  console.log(`load Oldham's 142 LSOAs (loadLayer), median of ${RUNS}`);
  for (const [label, source] of [
    ['GeoJSON (read as text)', lsoa],
    ['Shapefile via GDAL', join(dir, 'lsoa.shp')],
    ['Shapefile in BNG via GDAL (reprojected)', join(dir, 'lsoa_bng.shp')],
    ['GeoPackage layer via GDAL', `${join(dir, 'council.gpkg')}#lsoa`],
    ['MapInfo TAB via GDAL', join(dir, 'lsoa.tab')],
  ] as const) {
    console.log(`  ${label.padEnd(42)} ${(await timed(() => loadLayer(source))).toFixed(0)} ms`);
  }

  const loaded = readScenario(join(root, 'examples', 'oldham', 'scenario.yaml'));
  const config = configFromScenario(loaded.scenario, loaded.resolvePath);
  const { outcome } = await runOptimise(config, {});
  const sink: OutputWriter = { write: (path) => path };
  const written = writePlanOutputs(outcome, sink, { title: 'Oldham' });
  const { markdown, maps, details, layers } = written.content;
  console.log(`\nOldham plan outputs, median of ${RUNS} (3 for the PDF)`);
  console.log(`  report.html (marked)                       ${(await timed(() => reportHtml(markdown, { title: 'Oldham', images: maps }))).toFixed(0)} ms`);
  console.log(`  evidence.xlsx (exceljs, loaded once)       ${(await timed(() => workbookBytes([evidenceSheet(details.evidence), compositionSheet(details.evidence)]))).toFixed(0)} ms`);
  console.log(`  footprints.gpkg (one ogr2ogr, ${layers.length} layers)     ${(await timed(() => geopackageBytes(layers))).toFixed(0)} ms`);
  let chromium: string | null = null;
  try {
    chromium = findChromium();
  } catch {
    chromium = null;
  }
  if (chromium) {
    const html = reportHtml(markdown, { title: 'Oldham', images: maps });
    console.log(`  report.pdf (headless Chromium)             ${(await timed(() => printPdf(html, chromium!), 3)).toFixed(0)} ms`);
  } else console.log('  report.pdf: no chromium here; skipped');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
