/**
 * Benchmark instances at borough scale for the proof benchmark (bench/bound.ts, issue 16): synthetic
 * boroughs with Oldham's proportions, and the real Oldham LSOA instance when its data is beside the
 * repository. Both go through the real pipeline (loading, overlay, crosswalk with slivers under 1%
 * dropped, adjacency, buildProblem), so each Problem is exactly what `footprint optimise` searches.
 *
 *   npx tsx bench/boroughs.ts [--units 60,100,142] [--seed 1]
 * prints each instance's size, bounds, how its two layers cross, and the heuristic's plan.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateBorough } from '../fixtures/generator/borough.js';
import { largestArea } from '../src/align/largest.js';
import type { Crosswalk } from '../src/align/types.js';
import { stringifyFeatureCollection } from '../src/geometry/rfc7946.js';
import { problemFromWorkspace } from '../src/pipeline/optimise.js';
import { buildWorkspace } from '../src/pipeline/workspace.js';
import type { Workspace } from '../src/pipeline/types.js';
import type { Problem } from '../src/plan/problem.js';
import type { RunConfig } from '../src/scenario/config.js';
import { optimise } from '../src/search/optimise.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OLDHAM_DATA = resolve(root, '..', 'shared', 'data', 'oldham');

/**
 * Oldham's proportions: 142 LSOAs of about 1,700 residents, 20 wards (one per 7.1 LSOAs), 35 MSOAs
 * (one per 4.06 LSOAs); five footprints of 30,000–55,000 around a mean of 48,400.
 */
const RESIDENTS_PER_UNIT = 1_700;
const UNITS_PER_WARD = 7.1;
const UNITS_PER_MSOA = 4.06;
/** The default borough has about 15.7 atoms per unit; keep unit shapes alike at every size. */
const ATOMS_PER_UNIT = 15.5;
const K = 5;
const MIN_SHARE = 0.62;
const MAX_SHARE = 1.14;

/** The run configuration of bench/optimise.ts (`configFor`): weights 1, no compactness, slivers < 1% dropped. */
function runConfig(units: RunConfig['units'], layers: Array<{ name: string; file: string; id?: string }>, min: number, max: number): RunConfig {
  return {
    units,
    layers: layers.map((l) => ({ ...l, weight: 1, keepWhole: false })),
    k: K,
    min,
    max,
    compactness: 0,
    locked: {},
    seed: 1,
    timeLimit: 600,
    connectIslands: 'none',
    sliverTolerance: 0.01,
    evidence: { mean: [], exclude: [], points: {} },
  };
}

export interface BoroughInstance {
  name: string;
  problem: Problem;
  workspace: Workspace;
}

const round100 = (value: number) => Math.round(value / 100) * 100;

/**
 * A synthetic borough of about `units` units (the generator grows exactly that many) with wards and
 * an MSOA-like layer that nests the units but not the wards, through the real pipeline.
 */
export function syntheticBorough(units: number, seed = 1): BoroughInstance {
  if (!Number.isInteger(units) || units < 10) throw new Error(`a synthetic borough needs at least 10 units, got ${units}`);
  const borough = generateBorough({
    seed,
    units,
    atoms: Math.round(units * ATOMS_PER_UNIT),
    wards: Math.round(units / UNITS_PER_WARD),
    msoa: Math.round(units / UNITS_PER_MSOA),
    population: units * RESIDENTS_PER_UNIT,
  });
  const mean = (units * RESIDENTS_PER_UNIT) / K;
  // The loaders read files, so the layers pass through a scratch folder that is removed at once.
  const dir = mkdtempSync(join(tmpdir(), 'footprint-borough-'));
  try {
    const file = (name: string, collection: Parameters<typeof stringifyFeatureCollection>[0]) => {
      const path = join(dir, `${name}.geojson`);
      writeFileSync(path, stringifyFeatureCollection(collection));
      return path;
    };
    const config = runConfig(
      { file: file('units', borough.units), id: 'code', population: 'population' },
      [
        { name: 'wards', file: file('wards', borough.wards), id: 'code' },
        { name: 'msoa', file: file('msoa', borough.msoa), id: 'code' },
      ],
      round100(MIN_SHARE * mean),
      round100(MAX_SHARE * mean),
    );
    const workspace = buildWorkspace(config);
    return { name: `borough ${units} (seed ${seed})`, problem: problemFromWorkspace(workspace), workspace };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function syntheticBoroughProblem(units: number, seed = 1): Problem {
  return syntheticBorough(units, seed).problem;
}

/** The real Oldham LSOA instance of bench/optimise.ts, or null (with a message on stderr) when its data is absent. */
export function oldhamInstance(data = OLDHAM_DATA): BoroughInstance | null {
  const lsoa = resolve(data, 'lsoa.geojson');
  if (!existsSync(lsoa) || !existsSync(resolve(data, 'wards.geojson')) || !existsSync(resolve(data, 'msoa.geojson'))) {
    console.error(`Oldham data not found at ${data} (lsoa.geojson, wards.geojson, msoa.geojson): skipping the Oldham instance`);
    return null;
  }
  const config = runConfig(
    { file: lsoa },
    [
      { name: 'wards', file: resolve(data, 'wards.geojson') },
      { name: 'msoa', file: resolve(data, 'msoa.geojson') },
    ],
    30_000,
    55_000,
  );
  const workspace = buildWorkspace(config);
  return { name: 'Oldham LSOAs', problem: problemFromWorkspace(workspace), workspace };
}

export function oldhamProblem(data = OLDHAM_DATA): Problem | null {
  return oldhamInstance(data)?.problem ?? null;
}

export interface Crossing {
  /** Areas of the first layer whose units lie in two or more areas of the second (by each unit's largest piece). */
  firstSplit: number;
  firstAreas: number;
  /** And the other way round. */
  secondSplit: number;
  secondAreas: number;
}

/** How two layers of a workspace cut across each other, seen through the units. */
export function crossing(a: Crosswalk, b: Crosswalk): Crossing {
  const holders = (x: Crosswalk, y: Crosswalk) => {
    const seen = x.areaIds.map(() => new Set<number>());
    for (let u = 0; u < x.unitIds.length; u++) {
      const ax = largestArea(x, u);
      const ay = largestArea(y, u);
      if (ax >= 0 && ay >= 0) seen[ax].add(ay);
    }
    return seen.filter((s) => s.size > 1).length;
  };
  return { firstSplit: holders(a, b), firstAreas: a.areaIds.length, secondSplit: holders(b, a), secondAreas: b.areaIds.length };
}

/** One line saying what an instance is: sizes, bounds, and how its layers cross. */
export function describe(instance: BoroughInstance): string {
  const { problem, workspace } = instance;
  const total = problem.population.reduce((s, p) => s + p, 0);
  const [first, second] = workspace.layers;
  const c = crossing(first.crosswalk, second.crosswalk);
  return (
    `${instance.name}: ${problem.unitIds.length} units, ${problem.n} nodes, ${total.toLocaleString('en-GB')} residents, k ${problem.k}, ` +
    `${problem.min.toLocaleString('en-GB')}–${problem.max.toLocaleString('en-GB')}; ` +
    `${c.firstSplit} of ${c.firstAreas} ${first.name} split by ${second.name}, ${c.secondSplit} of ${c.secondAreas} ${second.name} split by ${first.name}`
  );
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
  const sizes = arg('--units', '60,100,142').split(',').map(Number);
  const seed = Number(arg('--seed', '1'));
  const instances: BoroughInstance[] = sizes.map((units) => syntheticBorough(units, seed));
  const oldham = oldhamInstance();
  if (oldham) instances.push(oldham);
  for (const instance of instances) {
    console.log(describe(instance));
    const t = performance.now();
    const plan = await optimise(instance.problem, { seed: 1, workers: 1, exact: false });
    console.log(`  heuristic (16 restarts): objective ${plan.evaluation.objective.toFixed(4)} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
