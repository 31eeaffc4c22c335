/**
 * Region scale (a benchmark, not a test): time and peak memory of `footprint optimise` on the
 * synthetic city region (fixtures/generator/region.ts: 10 boroughs, about 1,700 units, 2.87 million
 * residents), nested in the boroughs (k auto) and flat (k 70), and the nested run's time against
 * the number of boroughs at a fixed number of units per borough. Each run is the real CLI in its own
 * process, so its peak RSS (getrusage of the child) is its own, worker threads included.
 *
 *   npx tsx bench/region.ts [--time-limit 90] [--skip-flat] [--scaling]
 */
import { timedNode, type TimedRun } from './timed.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { regionScenario, writeRegion } from '../fixtures/region.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const timeLimit = option('--time-limit', 90);

/** The CLI's optimise in its own process, timed, with its peak RSS. */
function optimise(scenario: string, out: string, extra: string[] = []): TimedRun {
  return timedNode([resolve(root, 'bin', 'footprint.js'), 'optimise', scenario, '--out', out, '--quiet', ...extra]);
}

const mib = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(0)} MiB`);

function main(): void {
  console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; time limit ${timeLimit} s`);
  const dir = mkdtempSync(join(tmpdir(), 'footprint-bench-region-'));
  try {
    const t = performance.now();
    const region = writeRegion(join(dir, 'region'));
    console.log(`region: ${region.units.features.length} units, ${region.boroughs.features.length} boroughs, generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    writeFileSync(join(dir, 'region', 'nested.yaml'), regionScenario({ nested: true, timeLimit }));
    writeFileSync(join(dir, 'region', 'flat.yaml'), regionScenario({ nested: false, timeLimit }));
    const nested = optimise(join(dir, 'region', 'nested.yaml'), join(dir, 'out-nested'), ['--json']);
    const summary = JSON.parse(nested.stdout) as { objective: number; areas: Array<{ code: string; k: number; elapsedMs: number; status: string }> };
    console.log(`nested (k auto per borough, ${summary.areas.reduce((s, a) => s + a.k, 0)} footprints): ${nested.seconds.toFixed(1)} s, peak RSS ${mib(nested.rssMiB)}, objective ${summary.objective.toFixed(4)}, exit ${nested.code}`);
    console.log(`  per area: ${summary.areas.map((a) => `${a.code} k ${a.k} ${(a.elapsedMs / 1000).toFixed(1)} s`).join('; ')}`);
    if (!args.includes('--skip-flat')) {
      const flat = optimise(join(dir, 'region', 'flat.yaml'), join(dir, 'out-flat'), ['--json']);
      const s = JSON.parse(flat.stdout) as { objective: number; elapsedMs: number };
      console.log(`flat (k 70): ${flat.seconds.toFixed(1)} s, peak RSS ${mib(flat.rssMiB)}, objective ${s.objective.toFixed(4)}, search ${(s.elapsedMs / 1000).toFixed(1)} s, exit ${flat.code}`);
    }
    if (args.includes('--scaling')) {
      // Fixed units per borough: time should grow no faster than the number of boroughs.
      for (const boroughs of [2, 4, 8]) {
        const sub = join(dir, `scale-${boroughs}`);
        writeRegion(sub, { boroughs, units: 170 * boroughs, population: 287_000 * boroughs });
        writeFileSync(join(sub, 'nested.yaml'), regionScenario({ nested: true, timeLimit: 12 * boroughs }));
        const r = optimise(join(sub, 'nested.yaml'), join(sub, 'out'));
        console.log(`scaling: ${boroughs} boroughs (${170 * boroughs} units): ${r.seconds.toFixed(1)} s (${(r.seconds / boroughs).toFixed(1)} s per borough), peak RSS ${mib(r.rssMiB)}, exit ${r.code}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
