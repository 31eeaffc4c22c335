/**
 * Benchmark of `footprint explore` (not a timed test): the Oldham real-data scenario end to end
 * through the compiled CLI (Node start, loading, listing every plan, writing every plan's outputs),
 * with and without alternatives, and the list of every plan alone (search/enumerate).
 *
 *   npx tsx bench/explore.ts [--runs 3] [--skip-build]
 *
 * Target: the Oldham explore (wards kept whole) within 10 minutes with every point proven.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { problemFromWorkspace } from '../src/pipeline/optimise.js';
import { buildWorkspace } from '../src/pipeline/workspace.js';
import { configFromScenario } from '../src/scenario/config.js';
import { readScenario } from '../src/scenario/read.js';
import { enumeratePlans } from '../src/search/enumerate/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const scenario = resolve(root, 'examples', 'oldham', 'scenario.yaml');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;

if (!existsSync(resolve(root, '..', 'shared', 'data', 'oldham', 'lsoa.geojson'))) {
  console.log('explore: the Oldham data is not beside the repository; nothing to time');
  process.exit(0);
}
if (!args.includes('--skip-build')) {
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) {
    console.error(build.stdout, build.stderr);
    process.exit(1);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out = mkdtempSync(join(tmpdir(), 'footprint-bench-explore-'));
try {
  for (const [name, extra] of [
    ['explore --between gp_clusters,police', []],
    ['… --alternatives 3 --within 10%', ['--alternatives', '3', '--within', '10%']],
  ] as const) {
    const seconds: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [resolve(root, 'bin', 'footprint.js'), 'explore', scenario, '--between', 'gp_clusters,police', ...extra, '--out', join(out, 'run'), '--quiet'], { cwd: root, encoding: 'utf8' });
      if (r.status !== 0) {
        console.error(`${name} failed (exit ${r.status}):\n${r.stderr}`);
        process.exit(1);
      }
      seconds.push((performance.now() - t0) / 1000);
    }
    console.log(`${name}: ${median(seconds).toFixed(2)} s median of ${runs} (${Math.min(...seconds).toFixed(2)}–${Math.max(...seconds).toFixed(2)} s)`);
  }
  const loaded = readScenario(scenario);
  const problem = problemFromWorkspace(buildWorkspace(configFromScenario(loaded.scenario, loaded.resolvePath)));
  const ms: number[] = [];
  let plans = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    plans = enumeratePlans(problem).count;
    ms.push(performance.now() - t0);
  }
  console.log(`enumeratePlans (Oldham, ${problem.n} nodes, k ${problem.k}): ${plans} plans, ${median(ms).toFixed(0)} ms median of ${runs}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
