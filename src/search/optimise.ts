import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EXIT, FootprintError } from '../errors.js';
import { evaluatePlan, type Evaluation } from '../plan/evaluate.js';
import { assertFeasible } from '../plan/feasibility.js';
import type { Problem } from '../plan/problem.js';
import { coarsen, type Coarsening } from '../plan/coarsen.js';
import { relaxationBound } from './bound.js';
import { EXACT_NODE_LIMIT, solveExact } from './exact.js';
import { DEFAULT_LOCAL_SEARCH, type LocalSearchOptions } from './local.js';
import { runRestart, type RestartOutcome } from './restart.js';

export interface OptimiseOptions {
  seed: number;
  /** Independent restarts; the best plan wins (ties: the lowest restart). */
  restarts?: number;
  /** Annealing moves per restart (default: defaultIterations); fixed so that results do not depend on machine speed. */
  iterations?: number;
  /** Safety cap in milliseconds: restarts stop when it passes (the result is then timing-dependent and says so). */
  timeLimitMs?: number;
  /** Worker threads (default: available cores, at most the restarts). 0 or 1 runs in this thread. */
  workers?: number;
  /** Try the exact search when the instance is small enough (default true). */
  exact?: boolean;
  /** Search a coarsened problem first in each restart, then refine (default true; see plan/coarsen). */
  multilevel?: boolean;
  /**
   * When the plan is not proven optimal by the exact search: branch-and-bound nodes HiGHS may spend
   * proving a lower bound on the plan problem without contiguity (default 0: no bound). See bound.ts.
   */
  boundNodes?: number;
  onProgress?: (progress: OptimiseProgress) => void;
}

export interface OptimiseProgress {
  phase: 'heuristic' | 'exact' | 'bound';
  done: number;
  total: number;
  best: number;
  elapsedMs: number;
}

export interface OptimiseResult {
  /** Node-level assignment (see Problem.nodeOfUnit for units). */
  assignment: Int32Array;
  evaluation: Evaluation;
  /** 'optimal' only when the exact search finished; otherwise the heuristic's best. */
  status: 'optimal' | 'heuristic';
  /** Proven lower bound on the objective (equal to it when optimal), or null. */
  bound: number | null;
  method: string;
  restarts: RestartOutcome[];
  elapsedMs: number;
  timeLimitHit: boolean;
  exact: { attempted: boolean; proven: boolean; leaves: number; pruned: number; ms: number };
  /** The lower bound from the relaxation without contiguity (bound.ts), when asked for. */
  relaxation: { attempted: boolean; solved: boolean; nodes: number; bound: number | null; ms: number };
}

export const DEFAULT_RESTARTS = 16;

/**
 * Moves per restart: 400,000 for borough-sized instances (a few hundred units), growing with the
 * number of nodes so that every node is still tried thousands of times on larger ones.
 */
export function defaultIterations(problem: Problem): number {
  return Math.max(DEFAULT_LOCAL_SEARCH.iterations, 2_500 * problem.n);
}

/** The compiled worker, when running from dist/; under a TypeScript runner restarts stay in-process. */
function workerUrl(): URL | null {
  const here = new URL(import.meta.url);
  if (!here.pathname.endsWith('.js')) return null;
  return new URL('./worker.js', here);
}

/**
 * The coarsening restarts use, or null when it would not help: nothing merges, or fewer coarse
 * nodes remain than footprints.
 */
export function searchCoarsening(problem: Problem): Coarsening | null {
  const coarsening = coarsen(problem);
  return coarsening.coarse.n < problem.n && coarsening.coarse.n >= problem.k ? coarsening : null;
}

async function runInWorkers(problem: Problem, coarsening: Coarsening | null, seed: number, indices: number[], options: LocalSearchOptions, workers: number, onDone: (o: RestartOutcome) => void): Promise<RestartOutcome[]> {
  const url = workerUrl();
  if (!url || workers <= 1 || indices.length <= 1) {
    const out: RestartOutcome[] = [];
    for (const i of indices) {
      if (options.deadline !== undefined && performance.now() > options.deadline) break;
      const outcome = runRestart(problem, seed, i, options, coarsening);
      out.push(outcome);
      onDone(outcome);
    }
    return out;
  }
  const deadlineEpochMs = options.deadline === undefined ? undefined : Date.now() + (options.deadline - performance.now());
  const { deadline: _drop, ...rest } = options;
  const queue = [...indices];
  const outcomes: RestartOutcome[] = [];
  await Promise.all(
    Array.from({ length: Math.min(workers, indices.length) }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(fileURLToPath(url));
        const next = () => {
          const i = queue.shift();
          if (i === undefined || (deadlineEpochMs !== undefined && Date.now() > deadlineEpochMs)) {
            worker.postMessage({ stop: true });
            void worker.terminate().then(() => resolve());
            return;
          }
          worker.postMessage({ restart: i });
        };
        worker.on('message', (outcome: RestartOutcome) => {
          outcomes.push(outcome);
          onDone(outcome);
          next();
        });
        worker.on('error', reject);
        worker.postMessage({ init: { problem, coarsening, seed, options: { ...rest, deadlineEpochMs } } });
        next();
      }),
    ),
  );
  return outcomes.sort((a, b) => a.index - b.index);
}

/**
 * Find k contiguous footprints within bounds minimising the objective: feasibility first (exit 3
 * with reasons), then restarts of ReCom seeding + annealing (in worker threads), then — for small
 * instances — an exact branch and bound warm-started from the heuristic's best, which proves
 * optimality when it finishes.
 */
export async function optimise(problem: Problem, options: OptimiseOptions): Promise<OptimiseResult> {
  assertFeasible(problem);
  const began = performance.now();
  const restarts = options.restarts ?? DEFAULT_RESTARTS;
  const deadline = options.timeLimitMs === undefined ? undefined : began + options.timeLimitMs;
  const search: LocalSearchOptions = { ...DEFAULT_LOCAL_SEARCH, iterations: options.iterations ?? defaultIterations(problem), deadline };
  const workers = options.workers ?? Math.min(availableParallelism(), restarts);
  let best = Infinity;
  let done = 0;
  const coarsening = options.multilevel === false ? null : searchCoarsening(problem);
  const outcomes = await runInWorkers(problem, coarsening, options.seed, Array.from({ length: restarts }, (_, i) => i), search, workers, (o) => {
    done++;
    if (o.objective < best) best = o.objective;
    options.onProgress?.({ phase: 'heuristic', done, total: restarts, best, elapsedMs: performance.now() - began });
  });
  const feasible = outcomes.filter((o) => o.assignment !== null);
  const winner = feasible.reduce<RestartOutcome | null>((b, o) => (b === null || o.objective < b.objective - 1e-12 || (Math.abs(o.objective - b.objective) <= 1e-12 && o.index < b.index) ? o : b), null);

  const exact = { attempted: false, proven: false, leaves: 0, pruned: 0, ms: 0 };
  let assignment = winner?.assignment ?? null;
  if ((options.exact ?? true) && problem.n <= EXACT_NODE_LIMIT) {
    exact.attempted = true;
    const t = performance.now();
    options.onProgress?.({ phase: 'exact', done, total: restarts, best, elapsedMs: t - began });
    const result = solveExact(problem, {
      incumbent: winner ? winner.objective + 1e-9 : undefined,
      incumbentAssignment: winner?.assignment ?? undefined,
      deadline: deadline ?? t + 60_000,
    });
    exact.ms = performance.now() - t;
    exact.proven = result.proven;
    exact.leaves = result.leaves;
    exact.pruned = result.pruned;
    if (result.assignment && (!assignment || result.objective < evaluatePlan(problem, assignment).objective - 1e-12)) assignment = result.assignment;
  }
  if (!assignment) {
    throw new FootprintError(
      `no plan meeting the constraints was found in ${restarts} restart(s): the population bounds may be too tight for contiguous footprints of whole units. Widen --min/--max, change --k, or run more --restarts.`,
      { exitCode: EXIT.infeasible },
    );
  }
  const evaluation = evaluatePlan(problem, assignment);
  const relaxation: OptimiseResult['relaxation'] = { attempted: false, solved: false, nodes: 0, bound: null, ms: 0 };
  let relaxationCut = false;
  const boundNodes = options.boundNodes ?? 0;
  if (boundNodes > 0 && !(exact.attempted && exact.proven)) {
    const remaining = deadline === undefined ? undefined : deadline - performance.now();
    if (remaining !== undefined && remaining <= 0) relaxationCut = true;
    else {
      relaxation.attempted = true;
      options.onProgress?.({ phase: 'bound', done, total: restarts, best: evaluation.objective, elapsedMs: performance.now() - began });
      const result = await relaxationBound(problem, { nodes: boundNodes, timeLimitMs: remaining, incumbent: assignment });
      // A bound above the plan can only be rounding in the solver: the plan itself is feasible.
      relaxation.bound = Math.min(result.bound, evaluation.objective);
      relaxation.solved = result.solved;
      relaxation.nodes = result.nodes;
      relaxation.ms = result.ms;
      relaxationCut = result.timeLimitHit;
    }
  }
  const provenByExact = exact.attempted && exact.proven;
  const provenByBound = relaxation.bound !== null && relaxation.bound >= evaluation.objective - 1e-7;
  const optimal = provenByExact || provenByBound;
  const heuristicMethod = `${restarts} restarts of ReCom seeding + simulated annealing with recombination${coarsening ? `, multilevel (${coarsening.coarse.n} coarse nodes, refined on ${problem.n})` : ''}`;
  const boundMethod = relaxation.attempted
    ? `; lower bound by HiGHS on the problem without contiguity (${relaxation.nodes} branch-and-bound nodes${relaxation.solved ? ', solved' : ''})`
    : '';
  return {
    assignment,
    evaluation,
    status: optimal ? 'optimal' : 'heuristic',
    bound: optimal ? evaluation.objective : relaxation.bound,
    method: provenByExact
      ? `exact branch and bound over connected partitions (${exact.leaves} complete plans evaluated), warm-started by ${restarts} ReCom + annealing restarts`
      : heuristicMethod + boundMethod,
    restarts: outcomes,
    elapsedMs: performance.now() - began,
    timeLimitHit: outcomes.some((o) => o.timedOut) || outcomes.length < restarts || (exact.attempted && !exact.proven) || relaxationCut,
    exact,
    relaxation,
  };
}
