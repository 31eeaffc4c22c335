import { areaLabel } from '../layers/types.js';
import { evaluatePlan } from '../plan/evaluate.js';
import { buildProblem, unitAssignment, type Problem } from '../plan/problem.js';
import { optimise, type OptimiseProgress, type OptimiseResult } from '../search/index.js';
import type { RunConfig } from '../scenario/config.js';
import type { PlanOutcome, Workspace } from './types.js';
import { buildWorkspace, type WorkspaceHooks } from './workspace.js';

/** The plan problem of a workspace: objective layers, keep-whole groups, locks (1-based in config). */
export function problemFromWorkspace(workspace: Workspace): Problem {
  const { config } = workspace;
  return buildProblem({
    unitIds: workspace.units.areas.map((a) => a.id),
    population: workspace.populations,
    adjacency: workspace.adjacency,
    layers: workspace.layers.map((l) => ({ crosswalk: l.crosswalk, weight: l.weight })),
    k: config.k,
    min: config.min,
    max: config.max,
    compactnessWeight: config.compactness,
    keepWhole: workspace.layers.filter((l) => l.keepWhole).map((l) => l.crosswalk),
    locked: Object.fromEntries(Object.entries(config.locked).map(([id, f]) => [id, f - 1])),
    unitLabels: workspace.units.areas.map(areaLabel),
    keepWholeLabels: workspace.layers.filter((l) => l.keepWhole).map((l) => ({ layer: l.name, areaLabels: new Map(l.layer.areas.map((a) => [a.id, areaLabel(a)])) })),
  });
}

/**
 * Footprint numbers carry no meaning without locks, so number them by the first unit each holds:
 * the same plan then always prints the same way, whichever restart found it.
 */
export function canonicalLabels(assignment: Int32Array, k: number, hasLocks: boolean): Int32Array {
  if (hasLocks) return assignment;
  const mapping = new Int32Array(k).fill(-1);
  let next = 0;
  for (const f of assignment) if (mapping[f] < 0) mapping[f] = next++;
  for (let f = 0; f < k; f++) if (mapping[f] < 0) mapping[f] = next++;
  return Int32Array.from(assignment, (f) => mapping[f]);
}

export function footprintIds(k: number): string[] {
  return Array.from({ length: k }, (_, f) => `F${f + 1}`);
}

/** Evaluate any unit-level plan of a workspace the way reports show it. */
export function outcomeOf(workspace: Workspace, problem: Problem, unitPlan: Int32Array, extra: Pick<PlanOutcome, 'status' | 'bound' | 'search'>): PlanOutcome {
  const k = workspace.config.k;
  const populations = new Array<number>(k).fill(0);
  unitPlan.forEach((f, u) => (populations[f] += workspace.populations[u]));
  const nodePlan = new Int32Array(problem.n);
  problem.nodeOfUnit.forEach((v, u) => (nodePlan[v] = unitPlan[u]));
  // Terms come from the unit-level plan through the node problem (exact while groups are whole).
  const ev = evaluatePlan(problem, nodePlan);
  return {
    workspace,
    assignment: unitPlan,
    footprintIds: footprintIds(k),
    populations,
    objective: {
      total: ev.objective,
      terms: workspace.layers.map((l, i) => ({ layer: l.name, weight: l.weight, value: ev.splits[i] })),
      compactness: { weight: workspace.config.compactness, value: ev.compactness },
    },
    ...extra,
  };
}

export interface OptimiseRun {
  outcome: PlanOutcome;
  result: OptimiseResult;
  problem: Problem;
}

export async function runOptimise(
  config: RunConfig,
  hooks: WorkspaceHooks & { onProgress?: (p: OptimiseProgress) => void; workers?: number; iterations?: number } = {},
): Promise<OptimiseRun> {
  const workspace = buildWorkspace(config, hooks);
  const problem = problemFromWorkspace(workspace);
  hooks.onStage?.('searching');
  const result = await optimise(problem, {
    seed: config.seed,
    restarts: config.restarts,
    timeLimitMs: config.timeLimit * 1000,
    workers: hooks.workers,
    iterations: hooks.iterations,
    boundNodes: config.boundNodes,
    onProgress: hooks.onProgress,
  });
  const plan = canonicalLabels(unitAssignment(problem, result.assignment), config.k, Object.keys(config.locked).length > 0);
  const outcome = outcomeOf(workspace, problem, plan, {
    status: result.status,
    bound: result.bound,
    search: { method: result.method, seed: config.seed, restarts: result.restarts.length, elapsedMs: result.elapsedMs, timeLimitHit: result.timeLimitHit },
  });
  return { outcome, result, problem };
}
