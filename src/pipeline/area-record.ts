import { EXIT, FootprintError } from '../errors.js';
import { evaluatePlan } from '../plan/evaluate.js';
import { buildProblem } from '../plan/problem.js';
import { DEFAULT_RESTARTS } from '../search/index.js';
import { subsetWorkspace } from './subset.js';
import type { NestedAreaResult, PlanOutcome, Workspace } from './types.js';

/**
 * One nesting area's finished result as a record that can be written down and read back: what a
 * resumed run (pipeline/resume.ts) keeps as it goes, and what a shard (pipeline/shard.ts) hands to
 * `footprint merge`. Everything the outputs need is here — the plan of each of the area's units and
 * how the area's search ended — so the whole plan is put together from records by one function
 * (assembleNested) whether the areas were searched in this run, an earlier interrupted one, or on
 * other machines: the files are then the same bytes.
 */
export interface AreaRecord {
  code: string;
  /** Footprints asked for (null when no k fits). */
  k: number | null;
  status: 'optimal' | 'heuristic' | null;
  objective: number | null;
  bound: number | null;
  gap: number | null;
  seed: number;
  timeLimitHit: boolean;
  elapsedMs: number;
  failure: { reason: string; exitCode: number } | null;
  /** Footprint (0…k−1, numbered by first unit) of each of the area's units in ascending unit order; null without a plan. */
  plan: number[] | null;
}

/** What an area is before its search: see pipeline/nest.ts nestingAreas. */
export interface AreaShape {
  code: string;
  name: string;
  /** Unit indices of the whole workspace, ascending. */
  units: number[];
  population: number;
  k: number | null;
  kSource: NestedAreaResult['kSource'];
}

/** A record read from a file, checked against the area it claims to be (a shape mismatch means other inputs). */
export function checkRecord(record: unknown, area: AreaShape): AreaRecord | null {
  const r = record as Partial<AreaRecord> | null;
  if (!r || typeof r !== 'object' || r.code !== area.code || r.k !== area.k) return null;
  if (r.plan !== null && (!Array.isArray(r.plan) || r.plan.length !== area.units.length || r.plan.some((f) => !Number.isInteger(f) || f < 0 || f >= (area.k ?? 0)))) return null;
  if (r.plan === null && (r.failure === null || typeof r.failure !== 'object')) return null;
  return r as AreaRecord;
}

export interface NestedRunParts {
  workspace: Workspace;
  areas: AreaShape[];
  records: AreaRecord[];
  /** Wall time of the search (areas overlap in time); not written to any file. */
  searchMs: number;
  /** Worker threads the search ran on (0: this thread, or nothing to search); not written to any file. */
  workers: number;
}

/** Each area's result as reports show it (footprint indices filled in by assembleNested). */
export function areaResults({ areas, records }: Pick<NestedRunParts, 'areas' | 'records'>): NestedAreaResult[] {
  return areas.map((area, i): NestedAreaResult => {
    const r = records[i];
    return {
      code: area.code,
      name: area.name,
      units: area.units.length,
      population: area.population,
      k: area.k,
      kSource: area.kSource,
      failure: r.failure,
      footprints: [],
      status: r.status,
      objective: r.objective,
      bound: r.bound,
      gap: r.gap,
      seed: r.seed,
      elapsedMs: r.elapsedMs,
      timeLimitHit: r.timeLimitHit,
    };
  });
}

/**
 * The whole plan from the areas' records (in area order): footprints numbered area by area
 * (`<area>-F<i>`), evaluated as one plan at unit level. Throws (exit 3 or 4) when no area has a plan.
 */
export function assembleNested({ workspace: whole, areas, records, searchMs }: NestedRunParts): { outcome: PlanOutcome; results: NestedAreaResult[] } {
  const config = whole.config;
  const results = areaResults({ areas, records });
  const solved = areas.flatMap((area, i) => (records[i].plan === null ? [] : [{ area, plan: records[i].plan!, result: results[i] }]));
  if (solved.length === 0) {
    const reasons = results.map((r) => `${r.code} ${r.name}: ${r.failure?.reason}`).join('; ');
    const allInfeasible = results.every((r) => r.failure?.exitCode === EXIT.infeasible);
    throw new FootprintError(`no area of "${config.within}" has a plan: ${reasons}`, { exitCode: allInfeasible ? EXIT.infeasible : EXIT.noPlan });
  }
  const allSolved = solved.reduce((n, s) => n + s.area.units.length, 0) === whole.units.areas.length;
  const units = solved.flatMap((s) => s.area.units).sort((a, b) => a - b);
  const workspace = allSolved ? { ...whole } : subsetWorkspace(whole, units);
  const position = new Map<number, number>();
  units.forEach((u, i) => position.set(u, i));
  const assignment = new Int32Array(units.length);
  const footprintIds: string[] = [];
  for (const { area, plan, result } of solved) {
    const offset = footprintIds.length;
    for (let f = 0; f < area.k!; f++) {
      footprintIds.push(nestedFootprintId(area.code, f));
      result.footprints.push(offset + f);
    }
    area.units.forEach((u, i) => (assignment[position.get(u)!] = offset + plan[i]));
  }
  const k = footprintIds.length;
  workspace.config = { ...config, k, locked: {} };
  const populations = new Array<number>(k).fill(0);
  assignment.forEach((f, u) => (populations[f] += workspace.populations[u]));
  // Evaluated at unit level: a kept-whole group that crosses an area boundary is cut by nesting.
  const problem = buildProblem({
    unitIds: workspace.units.areas.map((a) => a.id),
    population: workspace.populations,
    adjacency: workspace.adjacency,
    layers: workspace.layers.map((l) => ({ crosswalk: l.crosswalk, weight: l.weight })),
    k,
    min: workspace.config.min,
    max: workspace.config.max,
    compactnessWeight: workspace.config.compactness,
  });
  const ev = evaluatePlan(problem, Int32Array.from(problem.nodeOfUnit, (_, u) => assignment[u]));
  const areaRuns = results.filter((r) => r.failure === null);
  const outcome: PlanOutcome = {
    workspace,
    assignment,
    footprintIds,
    populations,
    objective: {
      total: ev.objective,
      terms: workspace.layers.map((l, i) => ({ layer: l.name, weight: l.weight, value: ev.splits[i] })),
      compactness: { weight: workspace.config.compactness, value: ev.compactness },
    },
    // A service area crossing an area boundary couples the areas' terms, so optimal areas prove
    // nothing about the whole unless there is only one.
    status: areaRuns.length === 1 && results.length === 1 && areaRuns[0].status === 'optimal' ? 'optimal' : 'heuristic',
    bound: null,
    search: {
      // No thread count here: the files must not depend on the machine, or on how many shards ran.
      method: `nested in ${config.within}: one search per area (${areaRuns.length} of ${results.length} with a plan${provenText(areaRuns)}), all areas' restarts on one pool of worker threads with one deadline for the run`,
      seed: config.seed,
      restarts: config.restarts ?? DEFAULT_RESTARTS,
      // The areas overlap in time: the search's wall time, not the sum of the areas'.
      elapsedMs: searchMs,
      timeLimitHit: areaRuns.some((r) => r.timeLimitHit),
    },
    nesting: { layer: config.within!, areas: results },
  };
  return { outcome, results };
}

export function nestedFootprintId(code: string, f: number): string {
  return `${code}-F${f + 1}`;
}

function provenText(runs: NestedAreaResult[]): string {
  const proven = runs.filter((r) => r.status === 'optimal').length;
  return proven > 0 ? `, ${proven} proven optimal` : '';
}
