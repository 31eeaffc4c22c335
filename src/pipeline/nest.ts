import { availableParallelism } from 'node:os';
import { homeAreas } from '../align/source/derived.js';
import { EXIT, FootprintError } from '../errors.js';
import { unitAssignment, type Problem } from '../plan/problem.js';
import { DEFAULT_RESTARTS, optimise, RestartPool, type BoundSlot, type OptimiseProgress } from '../search/index.js';
import type { RunConfig } from '../scenario/config.js';
import { canonicalLabels, problemFromWorkspace } from './optimise.js';
import { subsetWorkspace } from './subset.js';
import { assembleNested, type AreaRecord, type AreaShape, type NestedRunParts } from './area-record.js';
import type { NestedAreaResult, PlanOutcome, RunLayer, Workspace } from './types.js';
import { buildWorkspace, type WorkspaceHooks } from './workspace.js';
import { formatInteger as fmt } from '../format.js';

/**
 * Nesting (`within:`): the nesting layer is a hard partition of the units, each unit in its home
 * area (the area holding most of its residents, as for kept-whole layers), and every area is its
 * own plan problem with its own k and seed; all areas search at once on one worker pool within the
 * run's time limit. The areas' plans are put together into one plan whose footprints are named
 * `<area>-F<i>`. Each area's shape is an AreaShape (area-record.ts), with why no k fits.
 */
export interface NestArea extends AreaShape {
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

export interface NestedRun {
  outcome: PlanOutcome;
  /** Areas without a plan (infeasible, or none found in time); the outcome leaves their units out. */
  failed: NestedAreaResult[];
  elapsedMs: number;
  /** Areas whose results came from an earlier, interrupted run (--resume) rather than this one's search. */
  resumed: number;
  /** Worker threads the search ran on (0: this thread). */
  workers: number;
}

export interface NestHooks extends WorkspaceHooks {
  onProgress?: (p: OptimiseProgress & { area: string }) => void;
  /** Called as each area's search is queued (all are queued at the start): its code, position and the number of areas. */
  onArea?: (area: NestArea, index: number, count: number) => void;
  /** Called as each area searched in this run finishes, with its record (resume keeps it; pipeline/resume.ts). */
  onAreaDone?: (record: AreaRecord) => void;
  /** Records of areas already finished (by an interrupted run): used as they are, not searched again. */
  done?: ReadonlyMap<string, AreaRecord>;
  /** Search only these areas (a shard's share, pipeline/shard.ts); default all. */
  only?: ReadonlySet<string>;
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
 * out; the others are written as one plan (pipeline/area-record.ts assembleNested).
 */
export async function runNested(config: RunConfig, hooks: NestHooks = {}): Promise<NestedRun> {
  const began = performance.now();
  const workspace = buildWorkspace(config, hooks);
  return solveNested(workspace, hooks, began);
}

type AreaTask = { area: NestArea; problem: Problem; locked: boolean; seed: number };

export async function solveNested(workspace: Workspace, hooks: NestHooks = {}, began = performance.now()): Promise<NestedRun> {
  const parts = await searchNestedAreas(workspace, hooks);
  const { outcome, results } = assembleNested(parts);
  const resumed = parts.areas.filter((a) => hooks.done?.has(a.code)).length;
  return { outcome, failed: results.filter((r) => r.failure !== null), elapsedMs: performance.now() - began, resumed, workers: parts.workers };
}

/** The areas a nested run covers: all, or the one of --area. */
export function runAreas(workspace: Workspace): NestArea[] {
  const { config } = workspace;
  const all = nestingAreas(workspace);
  const areas = config.area === undefined ? all : all.filter((a) => a.code === config.area);
  if (areas.length === 0) {
    throw new FootprintError(`--area ${config.area}: no area of "${config.within}" with that code holds units (areas: ${all.map((a) => a.code).join(', ')})`);
  }
  return areas;
}

/**
 * Search the areas of a nested run (those of `hooks.only`, less those `hooks.done` holds) and give
 * every covered area's record, in area order: the parts assembleNested puts together.
 */
export async function searchNestedAreas(workspace: Workspace, hooks: NestHooks = {}): Promise<NestedRunParts> {
  const { config } = workspace;
  const all = nestingAreas(workspace);
  const areas = runAreas(workspace).filter((a) => !hooks.only || hooks.only.has(a.code));
  const locks = lockedByArea(workspace, all);
  const restarts = config.restarts ?? DEFAULT_RESTARTS;
  const records = new Map<string, AreaRecord>();
  const failed = (area: NestArea, seed: number, failure: AreaRecord['failure'], elapsedMs = 0): AreaRecord => ({
    code: area.code,
    k: area.k,
    status: null,
    objective: null,
    bound: null,
    gap: null,
    seed,
    timeLimitHit: false,
    elapsedMs,
    failure,
    plan: null,
  });
  const tasks: AreaTask[] = [];
  for (const area of areas) {
    const seed = areaSeed(config.seed, area.code);
    const earlier = hooks.done?.get(area.code);
    if (earlier) {
      records.set(area.code, earlier);
      continue;
    }
    if (area.k === null) {
      records.set(area.code, failed(area, seed, { reason: area.infeasible ?? 'no k fits', exitCode: EXIT.infeasible }));
      continue;
    }
    const sub = subsetWorkspace(workspace, area.units);
    const areaLocks = locks.get(area.code) ?? {};
    for (const [unit, f] of Object.entries(areaLocks)) {
      if (f > area.k) throw new FootprintError(`unit ${unit} is locked to footprint ${f}, but area ${area.code} of "${config.within}" has k ${area.k} (in a nested run locks number the footprints of the unit's area)`);
    }
    sub.config = { ...config, k: area.k, locked: areaLocks };
    try {
      tasks.push({ area, problem: problemFromWorkspace(sub), locked: Object.keys(areaLocks).length > 0, seed });
    } catch (error) {
      if (!isAreaFailure(error)) throw error;
      records.set(area.code, failed(area, seed, { reason: error.message, exitCode: error.exitCode }));
    }
  }
  // Areas with nothing to search (infeasible, or done before) are final now: kept like the others.
  for (const record of records.values()) if (!hooks.done?.has(record.code)) hooks.onAreaDone?.(record);
  const searchBegan = performance.now();
  let workers = 0;
  if (tasks.length > 0) {
    hooks.onStage?.(`searching ${tasks.length} area(s) of ${config.within}`);
    // Never more threads than restarts to run.
    const pool = new RestartPool().start(Math.min(hooks.workers ?? availableParallelism(), restarts * tasks.length), { fairShare: true });
    workers = pool.workers;
    try {
      // One deadline for the whole search, whichever area's restarts use the time.
      const deadline = searchBegan + config.timeLimit * 1000;
      // Bounds (HiGHS, on this thread) start once every area's restarts are done, one area at a time: see beforeBound.
      const searched = boundQueue(tasks.length, deadline, pool.workers);
      const solve = async (task: AreaTask, i: number): Promise<void> => {
        const { area, problem, seed } = task;
        hooks.onArea?.(area, i, tasks.length);
        const t = performance.now();
        let record: AreaRecord;
        try {
          const result = await optimise(problem, {
            seed,
            restarts,
            timeLimitMs: Math.max(1, deadline - t),
            pool,
            iterations: hooks.iterations,
            boundNodes: config.boundNodes,
            beforeBound: () => searched.request(i),
            onProgress: hooks.onProgress ? (p) => hooks.onProgress!({ ...p, area: area.code }) : undefined,
          });
          searched.arrive(i);
          const plan = canonicalLabels(unitAssignment(problem, result.assignment), area.k!, task.locked);
          record = {
            ...failed(area, seed, null, performance.now() - t),
            status: result.status,
            objective: result.evaluation.objective,
            bound: result.bound,
            gap: result.gap,
            timeLimitHit: result.timeLimitHit,
            plan: Array.from(plan),
          };
        } catch (error) {
          searched.arrive(i);
          if (!isAreaFailure(error)) throw error;
          record = failed(area, seed, { reason: error.message, exitCode: error.exitCode }, performance.now() - t);
        }
        records.set(area.code, record);
        hooks.onAreaDone?.(record);
      };
      await Promise.all(tasks.map((task, i) => solve(task, i)));
    } finally {
      await pool.close();
    }
  }
  return { workspace, areas, records: areas.map((a) => records.get(a.code)!), searchMs: performance.now() - searchBegan, workers };
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

/**
 * The areas' turns at proving bounds. Each of n areas either arrives (it needs no bound, or failed)
 * or requests a turn; once all n have done one or the other, turns are granted in area order, up to
 * `concurrency` at once (the bounds run in threads of their own, search/threads/bound-thread.ts, so
 * one per core), each until its share of the time left, (deadline − now) × concurrency ÷ the areas
 * still waiting (at most all of it), so a hard area cannot take the time of those after it, and time
 * an easy one leaves goes to the rest.
 */
export function boundQueue(n: number, deadline: number, concurrency = 1): { arrive: (i: number) => void; request: (i: number) => Promise<BoundSlot> } {
  const arrived = new Set<number>();
  const waiting = new Map<number, (slot: BoundSlot) => void>();
  let busy = 0;
  const next = () => {
    while (busy < Math.max(1, concurrency) && arrived.size >= n && waiting.size > 0) {
      const i = Math.min(...waiting.keys());
      const grant = waiting.get(i)!;
      waiting.delete(i);
      busy++;
      const now = performance.now();
      let released = false;
      grant({
        deadline: now + Math.max(0, deadline - now) * Math.min(1, Math.max(1, concurrency) / (waiting.size + 1)),
        done: () => {
          if (released) return;
          released = true;
          busy--;
          next();
        },
      });
    }
  };
  return {
    arrive(i) {
      arrived.add(i);
      next();
    },
    request(i) {
      arrived.add(i);
      return new Promise<BoundSlot>((resolve) => {
        waiting.set(i, resolve);
        next();
      });
    },
  };
}
