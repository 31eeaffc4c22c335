import { availableParallelism } from 'node:os';
import { EXIT, FootprintError, InfeasibleError } from '../errors.js';
import { evaluatePlan, type Evaluation } from '../plan/evaluate.js';
import { assertFeasible, exhaustedReason } from '../plan/feasibility.js';
import type { Problem } from '../plan/problem.js';
import { coarsen, type Coarsening } from '../plan/coarsen.js';
import { gapPercent, OPTIMAL_TOLERANCE } from './gap.js';
import { homeAreaCount, type HomeBoundResult } from './bounds/index.js';
import { boundChainMethod, emptyBoundChain, type BoundChain } from './bounds/index.js';
import { exactNodeLimit, solveExact, type ExactResult } from './exact/index.js';
import { DEFAULT_LOCAL_SEARCH, type LocalSearchOptions } from './heuristic/index.js';
import { boundChainInThread, homeBoundInThread, RestartPool, runRestarts, type RestartPlan } from './threads/index.js';
import { createRace, endRace, type Race } from './race.js';
import type { RestartOutcome } from './heuristic/index.js';
import { formatInteger as fmt } from '../format.js';

export interface OptimiseOptions {
  seed: number;
  /** Independent restarts; the best plan wins (ties: the lowest restart). */
  restarts?: number;
  /** Annealing moves per restart (default: defaultIterations); fixed so that results do not depend on machine speed. */
  iterations?: number;
  /** Safety cap in milliseconds: restarts stop when it passes (the result is then timing-dependent and says so). */
  timeLimitMs?: number;
  /**
   * Worker threads (default: available cores, at most the restarts). 0 or 1 runs in this thread. Two or
   * more also let the exact search race the bound in a thread of its own (with a time limit, race.ts).
   */
  workers?: number;
  /** Try the exact search when the instance is small enough (default true). */
  exact?: boolean;
  /** Search a coarsened problem first in each restart, then refine (default true; see plan/coarsen). */
  multilevel?: boolean;
  /**
   * When the plan is not proven optimal by the exact search: branch-and-bound nodes HiGHS may spend
   * proving a lower bound with the pair formulation and contiguity cuts (default 0: no bound). See bounds/pair-model.ts.
   */
  boundNodes?: number;
  /**
   * A started pool shared with other problems (nested runs): the restarts and the exact search are
   * queued on it rather than on a pool of this call's own, and `workers` is ignored. The caller
   * closes it.
   */
  pool?: RestartPool;
  /**
   * Nested runs: awaited just before the bound chain, and the early home bound is not tried. HiGHS
   * holds this thread while it solves, and on a shared pool this thread hands the workers their
   * tasks: bounds started while other areas' restarts are queued would leave the workers idle. The
   * caller resolves it once every area's restarts and exact search are done, with the time the
   * chain may run to (a share of what is left, so one hard area cannot take every other area's
   * time) and a function to call when the chain is done.
   */
  beforeBound?: () => Promise<BoundSlot>;
  onProgress?: (progress: OptimiseProgress) => void;
}

/** When a nested run's area may prove its bound (see OptimiseOptions.beforeBound). */
export interface BoundSlot {
  /** performance.now() time the bound chain stops at (never after the run's deadline). */
  deadline: number | undefined;
  /** Called once the chain is done, so the next area's may start. */
  done: () => void;
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
  /** The exact search; `besideBound` when it ran in a thread of its own beside the bounds, the first proof stopping the other (race.ts). */
  exact: { attempted: boolean; proven: boolean; leaves: number; pruned: number; ms: number; besideBound: boolean };
  /** The lower bounds (bounds/chain.ts), when asked for. */
  relaxation: BoundChain;
  /** (objective − bound) / objective in percent, when a bound is known (0 when optimal). */
  gap: number | null;
}


export const DEFAULT_RESTARTS = 16;

/** An objective at or below this is 0: no plan scores less (every term is ≥ 0). */
const ZERO_OBJECTIVE = 1e-12;

/**
 * Moves per restart: 400,000 for borough-sized instances (a few hundred units), growing with the
 * number of nodes so that every node is still tried thousands of times on larger ones.
 */
export function defaultIterations(problem: Problem): number {
  return Math.max(DEFAULT_LOCAL_SEARCH.iterations, 2_500 * problem.n);
}

/**
 * The coarsening restarts use, or null when it would not help: nothing merges, or fewer coarse
 * nodes remain than footprints.
 */
export function searchCoarsening(problem: Problem): Coarsening | null {
  const coarsening = coarsen(problem);
  return coarsening.coarse.n < problem.n && coarsening.coarse.n >= problem.k ? coarsening : null;
}

/** Without a time limit, restarts beyond the planned ones while none has found a plan: this many times the planned. */
const EXTRA_RESTARTS_WITHOUT_LIMIT = 4;

/**
 * Find k contiguous footprints within bounds minimising the objective: feasibility first (exit 3
 * with reasons), then restarts of ReCom seeding + annealing (in worker threads), then — for small
 * instances — an exact branch and bound warm-started from the heuristic's best, which proves
 * optimality when it finishes. About 130 lines: it reads as the run's phases in order (checks,
 * restarts, exact search, bounds, result), each phase a call to its own function.
 */
export async function optimise(problem: Problem, options: OptimiseOptions): Promise<OptimiseResult> {
  const began = performance.now();
  if (options.timeLimitMs !== undefined && !(options.timeLimitMs > 0)) {
    throw new FootprintError(`the time limit must be more than 0 seconds (got ${options.timeLimitMs / 1000}); leave it out for no limit`);
  }
  assertFeasible(problem);
  const restarts = options.restarts ?? DEFAULT_RESTARTS;
  const deadline = options.timeLimitMs === undefined ? undefined : began + options.timeLimitMs;
  const search: LocalSearchOptions = { ...DEFAULT_LOCAL_SEARCH, iterations: options.iterations ?? defaultIterations(problem), deadline };
  const workers = options.workers ?? Math.min(availableParallelism(), restarts);
  let best = Infinity;
  let done = 0;
  const coarsening = options.multilevel === false ? null : searchCoarsening(problem);
  const exactable = (options.exact ?? true) && problem.n <= exactNodeLimit(problem);
  const job = { problem, coarsening, seed: options.seed, options: search };
  // Small instances leave the trying harder to the exact search, which also proves when there is no plan.
  const plan: RestartPlan = { planned: restarts, extra: exactable ? 0 : EXTRA_RESTARTS_WITHOUT_LIMIT * restarts, extraUntilDeadline: !exactable };
  const boundNodes = options.boundNodes ?? 0;
  // With a bound to prove, the first half of the restarts runs alone and the home relaxation is tried
  // against its best: a plan it proves optimal cannot be improved, so the other half is not run.
  // Otherwise they run, and the result is the same as without the split (ties go to the lowest restart).
  const early = !exactable && boundNodes > 0 && restarts >= 2 && !options.beforeBound && homeAreaCount(problem) > 0 ? Math.ceil(restarts / 2) : restarts;
  let earlyHome: HomeBoundResult | null = null;
  let restartsRun = restarts;
  const onDone = (o: RestartOutcome) => {
    done++;
    if (o.objective < best) best = o.objective;
    options.onProgress?.({ phase: 'heuristic', done, total: Math.max(restarts, done), best, elapsedMs: performance.now() - began });
  };
  const { pool } = options;
  const exact: OptimiseResult['exact'] = { attempted: false, proven: false, leaves: 0, pruned: 0, ms: 0, besideBound: false };
  let outcomes: RestartOutcome[];
  let winner: RestartOutcome | null;
  let assignment: Int32Array | null;
  // The exact search racing the bounds (race.ts), when it does: its thread, the race, its result to come.
  let racer: RestartPool | null = null;
  let race: Race | undefined;
  let exactRun: Promise<ExactRun> | null = null;
  const run = (part: RestartPlan) => (pool ? pool.submit(job, part, onDone) : runRestarts(job, part, workers, onDone));
  try {
    if (early < restarts) ({ outcomes, restartsRun, earlyHome } = await restartsInHalves(problem, run, plan, early, boundNodes, deadline));
    else outcomes = await run(plan);
    winner = bestOf(outcomes);
    assignment = winner?.assignment ?? null;
    if (exactable) {
      exact.attempted = true;
      const t = performance.now();
      options.onProgress?.({ phase: 'exact', done, total: restarts, best, elapsedMs: t - began });
      // With a bound to prove within a time limit, a plan in hand and a thread to spare, the exact
      // search races the bounds, each with all of the time left (race.ts): it has every thread to
      // itself for the first half of that time (on the counties it is the proof), and the bounds,
      // in a thread of their own, join it if it has not finished by then.
      // Only under a time limit: which proof comes first depends on timing, which a node budget alone
      // must not. Not on a shared pool: its other problems' restarts may hold every thread, and this
      // one, busy in HiGHS, could not hand the search the first that frees.
      racer = boundNodes > 0 && deadline !== undefined && winner && !pool && workers >= 2 ? threadedPool(workers) : null;
      race = racer ? createRace() : undefined;
      const exactOptions = {
        // Only strictly better plans: the exact search prunes at equality, which on cut-edge instances is
        // most of the proof (it already holds the incumbent, which it returns if nothing beats it).
        incumbent: winner ? winner.objective : undefined,
        incumbentAssignment: winner?.assignment ?? undefined,
        // Run one after the other, with a bound to prove as well, half of what is left, so the relaxations get their turn.
        deadline: deadline === undefined ? t + 60_000 : boundNodes > 0 && !race ? t + (deadline - t) / 2 : deadline,
        race,
      };
      if (racer && deadline !== undefined) {
        exactRun = racer.exact(problem, exactOptions, racer.workers).then((result) => ({ result, ms: performance.now() - t }));
        const finished = await settledBy(exactRun, t + (deadline - t) / 2);
        if (finished) {
          assignment = takeExact(problem, exact, finished, assignment);
          exactRun = null;
        }
        exact.besideBound = exactRun !== null;
      } else {
        // In threads of its own when there are any (shared out over them: exact/share.ts), so that
        // Ctrl-C is acted on while it searches.
        const own = pool ? null : threadedPool(workers);
        const result = pool ? await pool.exact(problem, exactOptions) : own ? await own.exact(problem, exactOptions, own.workers).finally(() => own.close()) : solveExact(problem, exactOptions);
        assignment = takeExact(problem, exact, { result, ms: performance.now() - t }, assignment);
      }
    }
  } finally {
    pool?.release(problem);
  }
  try {
    if (!assignment && !winner && exact.attempted && exact.proven) throw new InfeasibleError([exhaustedReason(problem)]);
    if (!assignment) throw noPlanFound(problem, outcomes, options.timeLimitMs);
    let evaluation = evaluatePlan(problem, assignment);
    let relaxation = emptyBoundChain();
    let relaxationCut = false;
    // The objective is a sum of non-negative terms: a plan scoring 0 is optimal with nothing to prove
    // (common in nested runs, where areas' wards nest in them), so no bound is spent on it.
    if (boundNodes > 0 && !(exact.attempted && exact.proven) && evaluation.objective > ZERO_OBJECTIVE) {
      const slot = await options.beforeBound?.();
      options.onProgress?.({ phase: 'bound', done, total: restarts, best: evaluation.objective, elapsedMs: performance.now() - began });
      // An early home bound that proved the plan stands even when no time is left.
      const chain = await boundChainInThread(problem, { assignment, evaluation }, { nodes: boundNodes, deadline: slot ? slot.deadline : deadline, earlyHome, earlyProof: earlyHome !== null && restartsRun < restarts, race }).finally(() => slot?.done());
      ({ relaxation, assignment, evaluation } = chain);
      relaxationCut = chain.cut;
    }
    if (exactRun) {
      // The bound proved the plan (the race is over and the search stops) or did not: the search has
      // the rest of the time limit.
      const raced = takeExact(problem, exact, await exactRun, assignment);
      exactRun = null;
      if (raced !== assignment) {
        assignment = raced;
        evaluation = evaluatePlan(problem, assignment);
      }
      // A bound stopped because the search proved the plan was not cut by the limit.
      if (exact.proven) relaxationCut = false;
    }
    const provenByExact = exact.attempted && exact.proven;
    const provenByBound = relaxation.bound !== null && relaxation.bound >= evaluation.objective - OPTIMAL_TOLERANCE;
    const provenByZero = evaluation.objective <= ZERO_OBJECTIVE;
    const optimal = provenByExact || provenByBound || provenByZero;
    return {
      assignment,
      evaluation,
      status: optimal ? 'optimal' : 'heuristic',
      bound: optimal ? evaluation.objective : relaxation.bound,
      gap: optimal ? 0 : relaxation.bound === null ? null : gapPercent(evaluation.objective, relaxation.bound),
      method: methodText(problem, { restarts, restartsRun, coarsening, exact, relaxation, provenByExact, provenByBound, provenByZero }),
      restarts: outcomes,
      elapsedMs: performance.now() - began,
      timeLimitHit: outcomes.some((o) => o.timedOut) || outcomes.length < restartsRun || outcomes.length > restartsRun || (exact.attempted && !exact.proven && !provenByBound && !provenByZero) || relaxationCut,
      exact,
      relaxation,
    };
  } finally {
    // On every path: a search still racing is stopped and awaited, and its thread ended.
    if (exactRun) {
      endRace(race);
      await exactRun.catch(() => undefined);
    }
    await racer?.close();
  }
}

/** The promise's value when it settles before `time` (a performance.now() time), else null then. */
async function settledBy<T>(promise: Promise<T>, time: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), Math.max(0, time - performance.now()))));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The best plan among restart outcomes (ties go to the lowest restart), null when none found one. */
function bestOf(list: RestartOutcome[]): RestartOutcome | null {
  return list.filter((o) => o.assignment !== null).reduce<RestartOutcome | null>((b, o) => (b === null || o.objective < b.objective - 1e-12 || (Math.abs(o.objective - b.objective) <= 1e-12 && o.index < b.index) ? o : b), null);
}

/**
 * The restarts in two halves, with a bound to prove: the first `early` restarts run alone and the
 * home relaxation is tried against their best; a plan it proves optimal cannot be improved, so the
 * other half is not run.
 */
async function restartsInHalves(
  problem: Problem,
  run: (part: RestartPlan) => Promise<RestartOutcome[]>,
  plan: RestartPlan,
  early: number,
  boundNodes: number,
  deadline: number | undefined,
): Promise<{ outcomes: RestartOutcome[]; restartsRun: number; earlyHome: HomeBoundResult | null }> {
  let outcomes = await run({ planned: early, extra: 0, extraUntilDeadline: false });
  const first = bestOf(outcomes);
  let earlyHome: HomeBoundResult | null = null;
  let proven = false;
  if (first?.assignment) {
    // At most half of what is left of a time limit, so the other restarts keep their share.
    const left = deadline === undefined ? undefined : Math.max(1, (deadline - performance.now()) / 2);
    earlyHome = await homeBoundInThread(problem, { nodes: boundNodes, timeLimitMs: left, incumbent: first.assignment, incumbentObjective: first.objective, contiguity: true });
    proven = earlyHome.bound >= first.objective - OPTIMAL_TOLERANCE;
  }
  if (!proven) outcomes = [...outcomes, ...(await run({ ...plan, first: early, ...(first ? { extra: 0, extraUntilDeadline: false } : {}) }))];
  return { outcomes, restartsRun: proven ? early : plan.planned, earlyHome };
}

/** How the result was found and proven, in a sentence for the report. */
function methodText(
  problem: Problem,
  r: { restarts: number; restartsRun: number; coarsening: ReturnType<typeof searchCoarsening>; exact: OptimiseResult['exact']; relaxation: OptimiseResult['relaxation']; provenByExact: boolean; provenByBound: boolean; provenByZero: boolean },
): string {
  const { restarts, restartsRun, coarsening, exact, relaxation } = r;
  if (r.provenByExact) {
    // No counts of plans evaluated: shared out over threads, they depend on which thread found a plan first.
    return `exact branch and bound over connected partitions, warm-started by ${restarts} ReCom + annealing restarts${exact.besideBound ? ', in a thread beside the lower bound, which it stopped' : ''}`;
  }
  const heuristicMethod = `${restartsRun < restarts ? `${restartsRun} of ${restarts} planned restarts (the bound proved the plan of the first ${restartsRun} optimal)` : `${restarts} restarts`} of ReCom seeding + simulated annealing with recombination${coarsening ? `, multilevel (${coarsening.coarse.n} coarse nodes, refined on ${problem.n})` : ''}`;
  const boundMethod = relaxation.attempted ? `; lower bound by HiGHS on ${boundChainMethod(relaxation)}` : '';
  return heuristicMethod + boundMethod + (exact.besideBound && r.provenByBound ? '; the exact search, in a thread beside it, was stopped' : '') + (r.provenByZero && !r.provenByBound ? '; objective 0, the least any plan can score' : '');
}

interface ExactRun {
  result: ExactResult;
  ms: number;
}

/** The exact search's figures into `exact`, and the plan to keep: its own when strictly better. */
function takeExact<T extends Int32Array | null>(problem: Problem, exact: OptimiseResult['exact'], run: ExactRun, assignment: T): Int32Array | T {
  exact.ms = run.ms;
  exact.proven = run.result.proven;
  exact.leaves = run.result.leaves;
  exact.pruned = run.result.pruned;
  const { result } = run;
  return result.assignment && (!assignment || result.objective < evaluatePlan(problem, assignment).objective - 1e-12) ? result.assignment : assignment;
}

/**
 * A pool of worker threads (at least one, so this thread stays free) for the exact search, shared
 * out over them, to run or race in; null when there is no compiled worker to run.
 */
function threadedPool(workers: number): RestartPool | null {
  const pool = new RestartPool().start(Math.max(1, workers), { threaded: true });
  if (pool.workers > 0) return pool;
  void pool.close();
  return null;
}

/**
 * Exit 4: the checks found no reason a plan cannot exist, yet none was reached. Says how close the
 * closest attempt came, so a planner can tell a near miss (more time) from a brief that is nearly
 * impossible (wider bounds).
 */
function noPlanFound(problem: Problem, outcomes: RestartOutcome[], timeLimitMs: number | undefined): FootprintError {
  const closest = outcomes.reduce<RestartOutcome | null>((b, o) => (Number.isFinite(o.deviation) && (!b || o.deviation < b.deviation) ? o : b), null);
  const within = timeLimitMs === undefined ? `in ${outcomes.length} restart(s)` : `in the time limit (${fmt(timeLimitMs / 1000)} s, ${outcomes.length} restart(s))`;
  const how = closest
    ? `the closest attempt left ${closest.outside} footprint(s) outside ${fmt(problem.min)}–${fmt(problem.max)}, ${fmt(closest.deviation)} residents beyond the bounds in all`
    : 'no attempt finished';
  return new FootprintError(
    `no plan meeting the constraints was found ${within}: ${how}. No check rules a plan out, so one may exist: give a longer --time-limit or more --restarts, or widen --min/--max.`,
    { exitCode: EXIT.noPlan },
  );
}
