/**
 * Search quality and speed of `footprint optimise` (a benchmark, not a test): objective reached
 * against time on the real Oldham LSOAs (k = 5, 30,000–55,000, S(wards|F) + S(msoa|F), weights 1,
 * slivers < 1% dropped, no compactness), the proven optimum with the 20 wards as units, and the
 * bundled example. Runs the compiled library (dist/) so restarts use worker threads.
 *
 *   npx tsx bench/optimise.ts [--seeds 5] [--long-seconds 300] [--bound-nodes 1000]
 *
 * --long-seconds 0 skips the long run, --bound-nodes 0 the lower bound.
 */
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Library = typeof import('../src/index.js');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const oldham = resolve(root, '..', 'shared', 'data', 'oldham');
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  if (!args.includes(name)) return fallback;
  const value = Number(args[args.indexOf(name) + 1]);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`bench/optimise.ts: ${name} takes a number, 0 or more (got ${args[args.indexOf(name) + 1] ?? 'nothing'})`);
    process.exit(2);
  }
  return value;
};
const seeds = option('--seeds', 5);
const longSeconds = option('--long-seconds', 60);
const boundNodes = option('--bound-nodes', 1000);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(): Promise<void> {
  const dist = resolve(root, 'dist', 'index.js');
  if (!existsSync(dist)) throw new Error('dist/ is missing: run npm run build first (npm run bench does)');
  const lib = (await import(pathToFileURL(dist).href)) as Library;
  console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`);

  const configFor = (units: string, layers: Array<[string, string]>, seed: number, timeLimit: number, restarts: number) => {
    const base = { units: { file: units }, layers: layers.map(([name, file]) => ({ name, file, weight: 1, keepWhole: false })), k: 5, min: 30_000, max: 55_000, compactness: 0, locked: {}, seed, timeLimit, restarts, connectIslands: 'none' as const, sliverTolerance: 0.01, evidence: { mean: [], exclude: [], points: {} } };
    return base;
  };

  const example = resolve(root, 'fixtures', 'example');
  {
    const t = performance.now();
    const { outcome } = await lib.runOptimise(
      configFor(resolve(example, 'units.geojson'), [['wards', resolve(example, 'wards.geojson')], ['gp', resolve(example, 'gp.geojson')], ['police', resolve(example, 'police.geojson')], ['districts', resolve(example, 'districts.geojson')]], 1, 60, 16),
    );
    console.log(`example (140 units, 4 layers, 16 restarts): objective ${outcome.objective.total.toFixed(4)} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }

  if (!existsSync(resolve(oldham, 'lsoa.geojson'))) {
    console.log(`real Oldham data not found at ${oldham}: skipping the Oldham benchmarks`);
    return;
  }

  // Ward level: 20 wards as units (populations: the ONS best fit carried in wards.geojson).
  {
    const times: number[] = [];
    let last = '';
    for (let run = 0; run < 5; run++) {
      const t = performance.now();
      const { outcome, result } = await lib.runOptimise(configFor(resolve(oldham, 'wards.geojson'), [['wards', resolve(oldham, 'wards.geojson')], ['msoa', resolve(oldham, 'msoa.geojson')]], 1, 20, 2), { iterations: 20_000 });
      times.push((performance.now() - t) / 1000);
      last = `${result.status}, objective ${outcome.objective.total.toFixed(4)} (S(wards) ${outcome.objective.terms[0].value.toFixed(4)}, S(msoa) ${outcome.objective.terms[1].value.toFixed(4)}), exact search ${result.exact.ms.toFixed(0)} ms over ${result.exact.leaves} complete plans, populations ${outcome.populations.map((p) => Math.round(p)).join(', ')}`;
    }
    console.log(`ward level (20 units): ${last}; whole run median ${median(times).toFixed(2)} s of 5 (incl. loading and overlay)`);
  }

  // LSOA level: best objective within a time budget, several seeds; then a long run.
  const layers: Array<[string, string]> = [['wards', resolve(oldham, 'wards.geojson')], ['msoa', resolve(oldham, 'msoa.geojson')]];
  const lsoa = resolve(oldham, 'lsoa.geojson');
  const budgets = [5, 10, 20];
  const rows: string[] = [];
  const bests = new Map<number, number[]>();
  for (const budget of budgets) {
    const values: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const { outcome, result, problem } = await lib.runOptimise(configFor(lsoa, layers, seed, budget, 10_000));
      const findings = lib.checkPlan(problem, result.assignment);
      if (findings.length > 0) throw new Error(`seed ${seed}: plan breaks constraints: ${findings.map((f) => f.message).join('; ')}`);
      values.push(outcome.objective.total);
      if (budget === 20 && seed === 1) {
        rows.push(`  seed 1, 20 s: S(wards) ${outcome.objective.terms[0].value.toFixed(4)}, S(msoa) ${outcome.objective.terms[1].value.toFixed(4)}, populations ${outcome.populations.map((p) => Math.round(p)).join(', ')}, ${result.restarts.length} restarts`);
      }
    }
    bests.set(budget, values);
    console.log(`LSOA level (142 units), ${budget} s: objective per seed ${values.map((v) => v.toFixed(4)).join(', ')}; median ${median(values).toFixed(4)}, worst ${Math.max(...values).toFixed(4)}; every plan contiguous and within bounds`);
  }
  rows.forEach((r) => console.log(r));
  if (longSeconds > 0) {
    const { outcome, result } = await lib.runOptimise(configFor(lsoa, layers, 1, longSeconds, 100_000));
    const tenWorst = Math.max(...(bests.get(10) ?? [Infinity]));
    const gap = (tenWorst - outcome.objective.total) / outcome.objective.total;
    console.log(`LSOA level, ${longSeconds} s run (${result.restarts.length} restarts): objective ${outcome.objective.total.toFixed(4)}; the worst 10 s run is ${(gap * 100).toFixed(2)}% above it (target ≤ 0.5%)`);
  }
  if (boundNodes > 0) {
    // A proven lower bound at LSOA level (HiGHS on the problem without contiguity, warm-started).
    const t = performance.now();
    const { outcome, result } = await lib.runOptimise({ ...configFor(lsoa, layers, 1, 3_600, 16), boundNodes });
    const r = result.relaxation;
    console.log(`LSOA level, lower bound: ${r.bound?.toFixed(4)} after ${r.nodes} branch-and-bound nodes in ${(r.ms / 1000).toFixed(0)} s (whole run ${((performance.now() - t) / 1000).toFixed(0)} s); the plan (${outcome.objective.total.toFixed(4)}) is at most ${(outcome.objective.total - (r.bound ?? 0)).toFixed(4)} above the optimum`);
  }
  console.log('best known before footprint (../shared/docs/benchmarks.md): 0.0760');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
