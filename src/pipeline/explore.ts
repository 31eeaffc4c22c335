import { FootprintError, InfeasibleError } from '../errors.js';
import { selectAlternatives } from '../explore/alternatives.js';
import { contestedUnits, type ContestedUnits } from '../explore/contested.js';
import { capPoints, epsilonLadder, nonDominated3 } from '../explore/frontier.js';
import { matchPlans } from '../explore/match.js';
import { enumeratedPlanSet, samePartition, type Candidate, type PlanSet } from '../explore/plan-set.js';
import { exactLadderFits, searchedTradeOffs } from '../explore/searched.js';
import { COMPACTNESS_TERM, resolveTerms, termValue, type TermRef } from '../explore/terms.js';
import { evaluatePlan } from '../plan/evaluate.js';
import { assertFeasible, exhaustedReason } from '../plan/feasibility.js';
import { unitAssignment, type Problem } from '../plan/problem.js';
import { DEFAULT_RESTARTS, gapPercent, OPTIMAL_TOLERANCE } from '../search/index.js';
import { DEFAULT_MAX_PLANS, ENUMERATE_NODE_LIMIT, enumeratePlansInThread } from '../search/index.js';
import type { RunConfig } from '../scenario/config.js';
import { canonicalLabels, outcomeOf, problemFromWorkspace } from './optimise.js';
import type { PlanOutcome, Workspace } from './types.js';
import { buildWorkspace, type WorkspaceHooks } from './workspace.js';

/**
 * `footprint explore` as a library call (docs/algorithms.md, "Trade-offs"): the frontier between
 * two or three objective terms, alternatives within a share of the best, and the units the plans
 * disagree on. Small problems (at most ENUMERATE_NODE_LIMIT nodes after keep-whole contraction,
 * listed within half the time limit) are solved by listing every plan (search/enumerate), which
 * proves every point, every alternative count and "no more exist". Larger ones fall back to a ladder
 * of weighted sums (explore/weighted.ts), each point proven where the optimiser proves it and
 * reported with its gap otherwise.
 */
export interface ExploreOptions {
  /** Two or three term names: layers of the run, or "compactness". */
  between: string[];
  /** At most this many frontier points (both ends kept). Default: all (enumeration), 5 (weighted sums). */
  points?: number;
  /** Alternatives asked for, and the share of the best objective they must be within (0.1 = 10%). */
  alternatives?: number;
  within?: number;
  /** Set false to skip the enumeration (the weighted-sum ladder only). */
  enumerate?: boolean;
  maxPlans?: number;
  workers?: number;
  iterations?: number;
  /** Progress lines (stderr on a terminal). */
  onProgress?: (text: string) => void;
}

export interface ExplorePlan {
  /** 1-based number of the plan in the run (plans/<id>/). */
  id: number;
  nodePlan: Int32Array;
  outcome: PlanOutcome;
  /** Values of the explored terms, in --between order. */
  terms: number[];
  objective: number;
  /** Position on the frontier (1-based), or null. */
  point: number | null;
  /** Position among the alternatives (1-based), or null. */
  alternative: number | null;
  /** For a frontier point: proven optimal for min A subject to B ≤ its B (lexicographic), or not. */
  status: 'proven' | 'not proven';
  /** Lower bound on A under B ≤ this plan's B, and the gap to it in percent. */
  bound: number | null;
  gap: number | null;
  /** Residents in another footprint than in plan 1 (footprints matched). */
  changedFromFirst: number;
}

export interface ExploreRun {
  workspace: Workspace;
  problem: Problem;
  terms: TermRef[];
  method: 'enumeration' | 'exact search' | 'weighted sums';
  /** Every plan listed (enumeration), or null. */
  enumeration: { plans: number; complete: boolean; ms: number } | null;
  frontier: { found: number; shown: number; dropped: number; complete: boolean };
  alternatives: { asked: number; within: number; found: number; candidates: number; proven: boolean; best: number } | null;
  contested: ContestedUnits;
  plans: ExplorePlan[];
  elapsedMs: number;
  timeLimitHit: boolean;
}

/** Term names checked against the scenario's layers before anything is loaded (exit 2). */
export function checkTermNames(config: RunConfig, between: string[]): void {
  const known = [...config.layers.map((l) => l.name), COMPACTNESS_TERM];
  for (const name of between.map((s) => s.trim())) {
    if (!known.includes(name)) throw new FootprintError(`--between: "${name}" is not a layer of the run; terms: ${known.join(', ')}`);
  }
}

export async function runExplore(config: RunConfig, options: ExploreOptions, hooks: WorkspaceHooks = {}): Promise<ExploreRun> {
  const began = performance.now();
  const deadline = began + config.timeLimit * 1000;
  checkTermNames(config, options.between);
  const workspace = buildWorkspace(config, hooks);
  const problem = problemFromWorkspace(workspace);
  const terms = resolveTerms(problem, options.between);
  assertFeasible(problem);
  const say = options.onProgress ?? (() => undefined);
  let enumeration: ExploreRun['enumeration'] = null;
  let set: PlanSet | null = null;
  let listCutByTime = false;
  if (options.enumerate !== false && problem.n <= ENUMERATE_NODE_LIMIT) {
    say(`listing every plan of ${problem.n} nodes into ${problem.k} footprints…`);
    const t = performance.now();
    const maxPlans = options.maxPlans ?? DEFAULT_MAX_PLANS;
    // In a thread of its own, so that Ctrl-C is acted on at once while it lists.
    const listed = await enumeratePlansInThread(problem, { maxPlans, deadline: began + (deadline - began) / 2 });
    // Stopped by the clock rather than the plan cap: what follows depends on the machine's speed.
    listCutByTime = !listed.complete && listed.count < maxPlans;
    enumeration = { plans: listed.count, complete: listed.complete, ms: performance.now() - t };
    say(`${listed.count.toLocaleString('en-GB')} plans${listed.complete ? ' (all of them)' : ' before the cap or time ran out: searching instead'}`);
    if (listed.complete && listed.count === 0) throw new InfeasibleError([exhaustedReason(problem)]);
    if (listed.complete) set = enumeratedPlanSet(listed);
  }
  const candidates: Candidate[] = [];
  let frontier: ExploreRun['frontier'];
  let alternatives: ExploreRun['alternatives'] = null;
  let timeLimitHit = false;
  if (set) {
    const found = terms.length === 2 ? epsilonLadder(set, terms[0], terms[1]).map((p) => p.plan) : nonDominated3(set, terms as [TermRef, TermRef, TermRef]);
    const shown = capPoints(found, options.points ?? found.length);
    shown.forEach((i, j) => candidates.push({ plan: set!.plan(i), point: j + 1, alternative: null, proven: true, bound: set!.term(terms[0], i) }));
    frontier = { found: found.length, shown: shown.length, dropped: 0, complete: true };
    if (options.alternatives) {
      const chosen = selectAlternatives(set, problem.population, problem.k, { count: options.alternatives, within: options.within ?? 0.1 });
      chosen.chosen.forEach((i, j) => candidates.push({ plan: set!.plan(i), point: null, alternative: j + 1, proven: true, bound: null }));
      alternatives = { asked: options.alternatives, within: options.within ?? 0.1, found: chosen.chosen.length, candidates: chosen.candidates, proven: true, best: set.objective(chosen.best) };
    }
  } else {
    if (terms.length !== 2) {
      throw new FootprintError(
        `three terms need every plan listed, and this problem's could not all be listed (${problem.n} nodes after keep-whole groups; the list takes at most ${ENUMERATE_NODE_LIMIT} nodes, ${DEFAULT_MAX_PLANS.toLocaleString('en-GB')} plans and half the time limit): explore two terms at a time, or keep a layer whole`,
      );
    }
    const searched = await searchedTradeOffs(problem, [terms[0], terms[1]], {
      points: options.points,
      alternatives: options.alternatives,
      within: options.within ?? 0.1,
      seed: config.seed,
      restarts: config.restarts ?? DEFAULT_RESTARTS,
      boundNodes: config.boundNodes ?? 0,
      deadline,
      workers: options.workers,
      iterations: options.iterations,
      say,
    });
    candidates.push(...searched.candidates);
    frontier = searched.frontier;
    alternatives = searched.alternatives;
    timeLimitHit = searched.timeLimitHit || listCutByTime;
  }
  // With every plan listed, the least objective among them is the scenario's proven optimum.
  let optimum: number | null = null;
  for (let i = 0; set && i < set.count; i++) optimum = Math.min(optimum ?? Infinity, set.objective(i));
  const plans = toPlans(workspace, problem, terms, merge(candidates), {
    method: set
      ? enumerationMethod(set.count)
      : exactLadderFits(problem, [terms[0], terms[1]])
        ? 'the ε-constraint ladder by the exact search (footprint explore)'
        : 'a ladder of weighted sums of the explored terms, each by the optimiser (footprint explore)',
    seed: config.seed,
    elapsedMs: performance.now() - began,
    timeLimitHit,
    optimum,
  });
  const contested = contestedUnits(workspace.adjacency, plans.map((p) => p.outcome.assignment));
  const method = set ? 'enumeration' : exactLadderFits(problem, [terms[0], terms[1]]) ? 'exact search' : 'weighted sums';
  return { workspace, problem, terms, method, enumeration, frontier, alternatives, contested, plans, elapsedMs: performance.now() - began, timeLimitHit };
}

function enumerationMethod(plans: number): string {
  return `every one of the ${plans.toLocaleString('en-GB')} plans meeting the constraints listed (footprint explore)`;
}

/** One candidate per distinct plan: a frontier point that is also an alternative keeps both roles. */
function merge(candidates: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  for (const c of candidates) {
    const same = out.find((o) => samePartition(o.plan, c.plan));
    if (!same) out.push({ ...c });
    else {
      same.point ??= c.point;
      same.alternative ??= c.alternative;
      if (same.bound === null) same.bound = c.bound;
    }
  }
  return out;
}

/** Plans as outcomes a report shows: plan 1 numbered by its first units, the others renamed to match it. */
function toPlans(workspace: Workspace, problem: Problem, terms: TermRef[], candidates: Candidate[], search: { method: string; seed: number; elapsedMs: number; timeLimitHit: boolean; optimum: number | null }): ExplorePlan[] {
  const k = problem.k;
  const locked = Object.keys(workspace.config.locked).length > 0;
  let first: Int32Array | null = null;
  return candidates.map((c, i) => {
    let plan = c.plan;
    if (!locked) {
      if (first === null) {
        const units = canonicalLabels(unitAssignment(problem, plan), k, false);
        plan = Int32Array.from(problem.nodeUnits, (units0) => units[units0[0]]);
      } else {
        const { rename } = matchPlans(first, plan, problem.population, k);
        plan = Int32Array.from(plan, (f) => rename[f]);
      }
    }
    first ??= plan;
    const changedFromFirst = matchPlans(first, plan, problem.population, k).changed;
    const evaluation = evaluatePlan(problem, plan);
    const values = terms.map((t) => termValue(t, evaluation));
    const gap = c.bound === null ? null : c.proven ? 0 : gapPercent(values[0], c.bound);
    const outcome = outcomeOf(workspace, problem, unitAssignment(problem, plan), {
      // Optimal for the scenario's own objective only when it is the proven optimum.
      status: search.optimum !== null && evaluation.objective <= search.optimum + OPTIMAL_TOLERANCE ? 'optimal' : 'heuristic',
      bound: search.optimum,
      search: { method: search.method, seed: search.seed, restarts: 0, elapsedMs: search.elapsedMs, timeLimitHit: search.timeLimitHit },
    });
    return { id: i + 1, nodePlan: plan, outcome, terms: values, objective: evaluation.objective, point: c.point, alternative: c.alternative, status: c.proven ? 'proven' : 'not proven', bound: c.bound, gap, changedFromFirst };
  });
}
