/**
 * Benchmark of input at scale (not a timed test): a generated grid of 200,000 square units and a
 * 100-area layer over it, through `validate`, `score` and `score --out`, each as the built CLI in
 * its own process. Checks that size never overflows the stack and reports wall time and exit code.
 *
 *   npx tsx bench/input.ts [--features 200000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const n = Number(args[args.indexOf('--features') + 1]) || 200_000;
const dir = mkdtempSync(join(tmpdir(), 'footprint-bench-input-'));

const nx = 500;
const ny = Math.ceil(n / nx);
const d = 0.001;
const r = (v: number) => Math.round(v * 1e6) / 1e6;
const square = (x: number, y: number, w: number, h: number) => [[[r(x), r(y)], [r(x + w), r(y)], [r(x + w), r(y + h)], [r(x), r(y + h)], [r(x), r(y)]]];
const units: string[] = [];
for (let i = 0; i < n; i++) {
  const geometry = { type: 'Polygon', coordinates: square(-2.3 + (i % nx) * d, 53.3 + Math.floor(i / nx) * d, d, d) };
  units.push(JSON.stringify({ type: 'Feature', properties: { code: `U${i}`, population: 100 }, geometry }));
}
writeFileSync(join(dir, 'units.geojson'), `{"type":"FeatureCollection","features":[\n${units.join(',\n')}\n]}\n`);
const areas: string[] = [];
for (let j = 0; j < 10; j++) {
  for (let i = 0; i < 10; i++) {
    const geometry = { type: 'Polygon', coordinates: square(-2.3 + (i * nx * d) / 10, 53.3 + (j * ny * d) / 10, (nx * d) / 10, (ny * d) / 10) };
    areas.push(JSON.stringify({ type: 'Feature', properties: { code: `A${j * 10 + i}` }, geometry }));
  }
}
writeFileSync(join(dir, 'areas.geojson'), `{"type":"FeatureCollection","features":[\n${areas.join(',\n')}\n]}\n`);

const cli = resolve(root, 'bin', 'footprint.js');
const runs: Array<[string, string[]]> = [
  ['validate', ['validate', 'units.geojson', '--quiet']],
  ['score', ['score', '--units', 'units.geojson', '--layer', 'a=areas.geojson', '--quiet']],
  ['score --out', ['score', '--units', 'units.geojson', '--layer', 'a=areas.geojson', '--quiet', '--out', 'out']],
];
console.log(`${n.toLocaleString('en-GB')} unit features (${(units.join(',\n').length / 2 ** 20).toFixed(0)} MB of GeoJSON), 100 areas`);
for (const [name, argv] of runs) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, ...argv], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const problem = result.status === 0 || result.status === 1 ? '' : `: ${result.stderr.split('\n')[0]}`;
  console.log(`${name.padEnd(12)} exit ${result.status}  ${seconds.toFixed(1)} s${problem}`);
}
rmSync(dir, { recursive: true, force: true });
