/**
 * Benchmark of `footprint score` (not a timed test): end to end, including Node start, on the
 * bundled example and on the real Oldham data; with --england, then the generated England-scale
 * crosswalk (bench/england.ts, which `npm run bench` runs on its own).
 *
 *   npx tsx bench/score.ts [--runs 5] [--skip-build] [--england]
 *
 * Targets: Oldham end to end under 3 s; England-scale crosswalk under 60 s and 2 GiB on 2 cores.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const oldham = resolve(root, '..', 'shared', 'data', 'oldham');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function machine(): string {
  const list = cpus();
  return `${list[0]?.model ?? 'unknown CPU'} × ${list.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()}, Node ${process.version}`;
}

if (!args.includes('--skip-build')) {
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  // Others' work in progress can fail to typecheck while still emitting JavaScript: go on if
  // the files this benchmark runs were written.
  if (build.status !== 0) {
    if (!existsSync(resolve(root, 'dist', 'cli', 'score.js'))) {
      console.error(build.stdout, build.stderr);
      process.exit(1);
    }
    console.warn('note: the build reported type errors (in files under work); timing the JavaScript it emitted');
  }
}

/**
 * The command line to time. `bin/footprint.js score` once the command is registered; until then
 * the same compiled command through the same program builder, so the figures are comparable.
 */
function scoreInvocation(): string[] {
  const help = spawnSync(process.execPath, [resolve(root, 'bin', 'footprint.js'), 'score', '--help'], { cwd: root, encoding: 'utf8' });
  if (help.status === 0 && /--units/.test(help.stdout)) return [resolve(root, 'bin', 'footprint.js'), 'score'];
  console.warn('note: "score" is not registered in bin/footprint.js yet; timing dist/cli/score.js through buildProgram');
  const script =
    "import { buildProgram } from './dist/cli/main.js'; import { scoreCommand } from './dist/cli/score.js'; import { processIo } from './dist/cli/io.js';" +
    " await buildProgram(processIo(), [scoreCommand]).parseAsync(['score', ...process.argv.slice(1)], { from: 'user' });";
  return ['--input-type=module', '-e', script, '--'];
}

interface Timing {
  name: string;
  medianS: number;
  minS: number;
  maxS: number;
}

function time(name: string, prefix: string[], argv: string[]): Timing {
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [...prefix, ...argv, '--quiet'], { cwd: root, encoding: 'utf8' });
    const t1 = performance.now();
    if (r.status !== 0) {
      console.error(`${name} failed (exit ${r.status}):\n${r.stderr}`);
      process.exit(1);
    }
    seconds.push((t1 - t0) / 1000);
  }
  return { name, medianS: median(seconds), minS: Math.min(...seconds), maxS: Math.max(...seconds) };
}

console.log(`machine: ${machine()}`);
const prefix = scoreInvocation();
const timings: Timing[] = [];
const example = (f: string) => resolve(root, 'fixtures', 'example', `${f}.geojson`);
if (existsSync(example('units'))) {
  timings.push(
    time('bundled example (140 units; wards, gp, police, districts)', prefix, [
      '--units', example('units'),
      '--layer', `wards=${example('wards')}`,
      '--layer', `gp=${example('gp')}`,
      '--layer', `police=${example('police')}`,
      '--layer', `districts=${example('districts')}`,
    ]),
  );
} else console.warn('note: fixtures/example not found; skipping');
if (existsSync(resolve(oldham, 'lsoa.geojson'))) {
  timings.push(
    time('Oldham (142 LSOAs; wards, wards_2022, msoa)', prefix, [
      '--units', resolve(oldham, 'lsoa.geojson'),
      '--layer', `wards=${resolve(oldham, 'wards.geojson')}`,
      '--layer', `wards_2022=${resolve(oldham, 'wards_2022.geojson')}`,
      '--layer', `msoa=${resolve(oldham, 'msoa.geojson')}`,
    ]),
  );
} else console.warn(`note: Oldham data not found at ${oldham}; skipping`);

for (const t of timings) {
  console.log(`${t.name}: end to end ${t.medianS.toFixed(2)} s median of ${runs} (${t.minS.toFixed(2)}–${t.maxS.toFixed(2)} s), including Node start`);
}

if (args.includes('--england')) {
  // In a fresh process, so its peak memory is its own.
  const r = spawnSync(process.execPath, ['--import', 'tsx', resolve(root, 'bench', 'england.ts')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout);
  if (r.status !== 0) process.exit(r.status ?? 1);
}
