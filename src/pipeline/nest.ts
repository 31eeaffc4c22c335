import { availableParallelism } from 'node:os';
import { homeAreas } from '../align/source/derived.js';
import { EXIT, FootprintError } from '../errors.js';
import { evaluatePlan } from '../plan/evaluate.js';
import { buildProblem, unitAssignment, type Problem } from '../plan/problem.js';
import { DEFAULT_RESTARTS, optimise, RestartPool, type OptimiseProgress } from '../search/index.js';
import type { RunConfig } from '../scenario/config.js';
import { canonicalLabels, problemFromWorkspace } from './optimise.js';
import { subsetWorkspace } from './subset.js';
import type { NestedAreaResult, PlanOutcome, RunLayer, Workspace } from './types.js';
import { buildWorkspace, type WorkspaceHooks } from './workspace.js';
import { formatInteger as fmt } from '../format.js';

/**
 * Nesting (`within:`): the nesting layer is a hard partition of the units, each unit in its home
 * area (the area holding most of its residents, as for kept-whole layers), and every area is its
 * own plan problem with its own k and seed; all areas search at once on one worker pool within the
 * run's time limit. The areas' plans are put together into one plan whose footprints are named
 * `<area>-F<i>`.
 */
export interface NestArea {
  code: string;
  name: string;
  /** Unit indices of the whole workspace, ascending. */
  units: number[];
  population: number;
  k: number | null;
  kSource: NestedAreaResult['kSource'];
  /** Why no k fits ('auto' only), else null. */
  infeasible: string | null;
}


/** The nesting layer of a workspace, checked: it must be one of the run's layers. */
export function nestingLayer(workspace: Workspace): RunLayer {
  const within = workspace.config.within;
  const layer = workspace.layers.find((l) => l.name === within);
  if (!layer) throw new FootprintError(`within: no layer named "${within}" (layers: ${workspace.layers.map((l) => l.name).join(', ') || 'none'})`);
  return layer;
}

/**
 * The areas of the nesting layer that hold units, in code order, with each one's units, residents
 * and k (given for all, given per area, or the smallest that fits the bounds).
 */
export function nestingAreas(workspace: Workspace): NestArea[] {
  const { config, units, populations } = workspace;
  const layer = nestingLayer(workspace);
  const home = homeAreas(layer.crosswalk);
  const outside = units.areas.filter((_, u) => home[u] < 0).map((a) => a.id);
  if (outside.length > 0) {
    throw new FootprintError(
      `${outside.length} unit(s) lie in no area of the nesting layer "${layer.name}" (${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ', …' : ''}); every unit must belong to one area`,
    );
  }
  const cw = layer.crosswalk;
  const members = cw.areaIds.map((): number[] => []);
  home.forEach((a, u) => members[a].push(u));
  const byCode = (a: number, b: number) => cw.areaIds[a].localeCompare(cw.areaIds[b], 'en', { numeric: true }) || (cw.areaIds[a] < cw.areaIds[b] ? -1 : 1);
  const order = cw.areaIds.map((_, a) => a).filter((a) => members[a].length > 0).sort(byCode);
  const given = config.kPerArea;
  if (given !== undefined && given !== 'auto') {
    const known = new Set(order.map((a) => cw.areaIds[a]));
    const unknown = Object.keys(given).filter((code) => !known.has(code));
    if (unknown.length > 0) throw new FootprintError(`k: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not an area' : 'are not areas'} of "${layer.name}" holding units (areas: ${[...known].join(', ')})`);
    const missing = [...known].filter((code) => given[code] === undefined && (config.area === undefined || config.area === code));
    if (missing.length > 0) throw new FootprintError(`k: no number of footprints given for ${missing.join(', ')} of "${layer.name}"; give one per area, a single number, or auto`);
  }
  return order.map((a): NestArea => {
    const code = cw.areaIds[a];
    const name = layer.layer.areas[a]?.name ?? code;
    const population = members[a].reduce((s, u) => s + populations[u], 0);
    const base = { code, name, units: members[a], population };
    if (given === 'auto') {
      const k = Math.max(1, Math.ceil(population / config.max - 1e-9));
      if (k * config.min > population + 1e-9) {
        return {
          ...base,
          k: null,
          kSource: 'auto',
          infeasible: `${fmt(population)} residents fit no number of footprints of ${fmt(config.min)}–${fmt(config.max)}: ${k - 1 > 0 ? `${k - 1} would hold more than ${fmt(config.max)} each, ` : ''}${k} fewer than ${fmt(config.min)} each`,
        };
      }
      return { ...base, k, kSource: 'auto', infeasible: null };
    }
    if (given !== undefined) return { ...base, k: given[code], kSource: 'given', infeasible: null };
    return { ...base, k: config.k, kSource: 'all', infeasible: null };
  });
}

/** Each area's seed: from --seed and the area's code, so an area's plan does not depend on which other areas run. */
export function areaSeed(seed: number, code: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}\u0000${code}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

export function nestedFootprintId(code: string, f: number): string {
  return `${code}-F${f + 1}`;
}

export interface NestedRun {
  outcome: PlanOutcome;
  /** Areas without a plan (infeasible, or none found in time); the outcome leaves their units out. */
  failed: NestedAreaResult[];
  elapsedMs: number;
}

export interface NestHooks extends WorkspaceHooks {
  onProgress?: (p: OptimiseProgress & { area: string }) => void;
  /** Called as each area's search is queued (all are queued at the start): its code, position and the number of areas. */
  onArea?: (area: NestArea, index: number, count: number) => void;
  workers?: number;
  iterations?: number;
}

/**
 * A nested run: load once, then search all areas at once on one worker pool (started once, ended
 * on every path): every area's restarts — and exact searches, for small areas — are queued on the
 * same workers, restart i of every area before restart i+1 of any, so small areas do not leave cores
 * idle. The time limit is one deadline for the whole search, shared by all areas, and a restart
 * that starts with time short is cut at its fair share of what is left (threads/pool.ts), so a tight limit
 * cuts every area's restarts rather than leaving the last areas none. An area whose restarts are
 * not cut gets the same plan as a run of that area alone (`--area`), since each area's restarts
 * have fixed seeds and move counts. Areas without a plan are reported and left
 * out; the others are written as one plan.
 */
export async function runNested(config: RunConfig, hooks: NestHooks = {}): Promise<NestedRun> {
  const began = performance.now();
  const workspace = buildWorkspace(config, hooks);
  return solveNested(workspace, hooks, began);
}

type AreaTask = { area: NestArea; base: NestedAreaResult; problem: Problem; locked: boolean };

export async function solveNested(workspace: Workspace, hooks: NestHooks = {}, began = performance.now()): Promise<NestedRun> {
  const { config } = workspace;
  const all = nestingAreas(workspace);
  const areas = config.area === undefined ? all : all.filter((a) => a.code === config.area);
  if (areas.length === 0) {
    throw new FootprintError(`--area ${config.area}: no area of "${config.within}" with that code holds units (areas: ${all.map((a) => a.code).join(', ')})`);
  }
  const locks = lockedByArea(workspace, all);
  const restarts = config.restarts ?? DEFAULT_RESTARTS;
  // Never more threads than restarts to run; started before the problems are built, so they boot meanwhile.
  const pool = new RestartPool().start(Math.min(hooks.workers ?? availableParallelism(), restarts * areas.length), { fairShare: true });
  try {
    hooks.onStage?.(`searching ${areas.length} area(s) of ${config.within}`);
    const results: NestedAreaResult[] = [];
    const tasks: Array<AreaTask | null> = [];
    for (const area of areas) {
      const seed = areaSeed(config.seed, area.code);
      const base: NestedAreaResult = {
        code: area.code,
        name: area.name,
        units: area.units.length,
        population: area.population,
        k: area.k,
        kSource: area.kSource,
        failure: null,
        footprints: [],
        status: null,
        objective: null,
        seed,
        elapsedMs: 0,
        timeLimitHit: false,
      };
      results.push(base);
      if (area.k === null) {
        base.failure = { reason: area.infeasible ?? 'no k fits', exitCode: EXIT.infeasible };
        tasks.push(null);
        continue;
      }
      const sub = subsetWorkspace(workspace, area.units);
      const areaLocks = locks.get(area.code) ?? {};
      for (const [unit, f] of Object.entries(areaLocks)) {
        if (f > area.k) throw new FootprintError(`unit ${unit} is locked to footprint ${f}, but area ${area.code} of "${config.within}" has k ${area.k} (in a nested run locks number the footprints of the unit's area)`);
      }
      sub.config = { ...config, k: area.k, locked: areaLocks };
      try {
        tasks.push({ area, base, problem: problemFromWorkspace(sub), locked: Object.keys(areaLocks).length > 0 });
      } catch (error) {
        if (!isAreaFailure(error)) throw error;
        base.failure = { reason: error.message, exitCode: error.exitCode };
        tasks.push(null);
      }
    }
    // One deadline for the whole search, whichever area's restarts use the time.
    const searchBegan = performance.now();
    const deadline = searchBegan + config.timeLimit * 1000;
    const solve = async (task: AreaTask, i: number): Promise<{ area: NestArea; plan: Int32Array } | null> => {
      const { area, base, problem } = task;
      hooks.onArea?.(area, i, areas.length);
      const t = performance.now();
      try {
        const result = await optimise(problem, {
          seed: base.seed,
          restarts,
          timeLimitMs: Math.max(1, deadline - t),
          pool,
          iterations: hooks.iterations,
          boundNodes: config.boundNodes,
          onProgress: hooks.onProgress ? (p) => hooks.onProgress!({ ...p, area: area.code }) : undefined,
        });
        Object.assign(base, { status: result.status, objective: result.evaluation.objective, elapsedMs: performance.now() - t, timeLimitHit: result.timeLimitHit });
        return { area, plan: canonicalLabels(unitAssignment(problem, result.assignment), area.k!, task.locked) };
      } catch (error) {
        if (!isAreaFailure(error)) throw error;
        base.failure = { reason: error.message, exitCode: error.exitCode };
        base.elapsedMs = performance.now() - t;
        return null;
      }
    };
    const plans = await Promise.all(tasks.map((task, i) => (task ? solve(task, i) : null)));
    const searchMs = performance.now() - searchBegan;
    const solved = plans.filter((p): p is { area: NestArea; plan: Int32Array } => p !== null);
    if (solved.length === 0) {
      const reasons = results.map((r) => `${r.code} ${r.name}: ${r.failure?.reason}`).join('; ');
      const allInfeasible = results.every((r) => r.failure?.exitCode === EXIT.infeasible);
      throw new FootprintError(`no area of "${config.within}" has a plan: ${reasons}`, { exitCode: allInfeasible ? EXIT.infeasible : EXIT.noPlan });
    }
    const outcome = assemble(workspace, solved, results, searchMs, pool.workers);
    return { outcome, failed: results.filter((r) => r.failure !== null), elapsedMs: performance.now() - began };
  } finally {
    await pool.close();
  }
}

/** Infeasible, or no plan in time: the area is reported and the others still run; anything else ends the run. */
function isAreaFailure(error: unknown): error is FootprintError {
  return error instanceof FootprintError && (error.exitCode === EXIT.infeasible || error.exitCode === EXIT.noPlan);
}

/** Locks of a nested run, by the area of each locked unit. */
function lockedByArea(workspace: Workspace, areas: NestArea[]): Map<string, Record<string, number>> {
  const areaOf = new Map<number, string>();
  for (const a of areas) for (const u of a.units) areaOf.set(u, a.code);
  const index = new Map(workspace.units.areas.map((a, u) => [a.id, u]));
  const out = new Map<string, Record<string, number>>();
  for (const [unit, f] of Object.entries(workspace.config.locked)) {
    const u = index.get(unit);
    if (u === undefined) continue;
    const code = areaOf.get(u)!;
    const locks = out.get(code) ?? {};
    Object.defineProperty(locks, unit, { value: f, enumerable: true, writable: true, configurable: true });
    out.set(code, locks);
  }
  return out;
}

/** One plan from the areas' plans: footprints numbered area by area, evaluated as one plan. */
function assemble(whole: Workspace, solved: Array<{ area: NestArea; plan: Int32Array }>, results: NestedAreaResult[], searchMs: number, workers: number): PlanOutcome {
  const allSolved = solved.reduce((n, s) => n + s.area.units.length, 0) === whole.units.areas.length;
  const units = solved.flatMap((s) => s.area.units).sort((a, b) => a - b);
  const workspace = allSolved ? { ...whole } : subsetWorkspace(whole, units);
  const position = new Map<number, number>();
  units.forEach((u, i) => position.set(u, i));
  const assignment = new Int32Array(units.length);
  const footprintIds: string[] = [];
  for (const { area, plan } of solved) {
    const offset = footprintIds.length;
    const result = results.find((r) => r.code === area.code)!;
    for (let f = 0; f < area.k!; f++) {
      footprintIds.push(nestedFootprintId(area.code, f));
      result.footprints.push(offset + f);
    }
    area.units.forEach((u, i) => (assignment[position.get(u)!] = offset + plan[i]));
  }
  const k = footprintIds.length;
  workspace.config = { ...whole.config, k, locked: {} };
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
  return {
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
      method: `nested in ${whole.config.within}: one search per area (${areaRuns.length} of ${results.length} with a plan), all areas' restarts on one pool of ${workers > 1 ? `${workers} worker threads` : 'one thread'} with one deadline for the run`,
      seed: whole.config.seed,
      restarts: whole.config.restarts ?? DEFAULT_RESTARTS,
      // The areas overlap in time: the search's wall time, not the sum of the areas'.
      elapsedMs: searchMs,
      timeLimitHit: areaRuns.some((r) => r.timeLimitHit),
    },
    nesting: { layer: whole.config.within!, areas: results },
  };
}
