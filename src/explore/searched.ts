import type { Problem } from '../plan/problem.js';
import { optimise } from '../search/index.js';
import { selectAlternatives } from './alternatives.js';
import { capPoints, epsilonLadder, TERM_TOLERANCE } from './frontier.js';
import type { Candidate, TradeOffs } from './plan-set.js';
import { samePartition } from './plan-set.js';
import type { TermRef } from './terms.js';
import { termValue } from './terms.js';
import { evaluatePlan } from '../plan/evaluate.js';
import { EXACT_NODE_LIMIT } from '../search/index.js';
import { exactLadder } from './exact-ladder.js';
import { boundOnA, foundPlanSet, weightedLadder } from './weighted.js';

/**
 * Trade-offs where the plans are too many to list: the ε-constraint ladder by the exact search when
 * the problem is small enough for it and both terms are layers (exact-ladder.ts), else a ladder of
 * weighted sums (weighted.ts); then, with alternatives asked for, one run on the scenario's own
 * objective. The frontier is the ε-constraint ladder over every distinct plan these runs ended with
 * (so no point is dominated by another plan of the run); a point is proven when a proven solve
 * reached its values, and its bound is the best any proven solve gives on A under its limit on B.
 */
export interface SearchOptions {
  points?: number;
  alternatives?: number;
  within: number;
  seed: number;
  restarts: number;
  boundNodes: number;
  deadline: number;
  workers?: number;
  iterations?: number;
  say: (text: string) => void;
}

/** Whether the exact ladder applies: both terms layers, and the problem within the exact search's reach for one split term. */
export function exactLadderFits(problem: Problem, [a, b]: [TermRef, TermRef]): boolean {
  return a.kind === 'layer' && b.kind === 'layer' && problem.n <= EXACT_NODE_LIMIT;
}

/** A point from either ladder: its plan, whether its solve was proven, and what it bounds. */
interface LadderPlan {
  plan: Int32Array;
  values: [number, number];
  proven: boolean;
  /** Lower bound on A among plans with B ≤ b, or null. */
  boundAt: (b: number) => number | null;
}

export async function searchedTradeOffs(problem: Problem, [a, b]: [TermRef, TermRef], options: SearchOptions): Promise<TradeOffs> {
  const exact = exactLadderFits(problem, [a, b]);
  const count = options.points ?? (exact ? undefined : 5);
  // With alternatives asked for, the run on the scenario's own objective gets one share of the time.
  const share = count ?? 4;
  const ladderDeadline = options.alternatives ? performance.now() + ((options.deadline - performance.now()) * share) / (share + 1) : options.deadline;
  const values = (plan: Int32Array): [number, number] => {
    const ev = evaluatePlan(problem, plan);
    return [termValue(a, ev), termValue(b, ev)];
  };
  let timeLimitHit = false;
  let ladderPlans: LadderPlan[];
  const found: Int32Array[] = [];
  let complete = false;
  if (exact) {
    const ladder = await exactLadder(problem, [a, b], { deadline: ladderDeadline, maxPoints: count, onPoint: (j) => options.say(`frontier point ${j + 1} (exact search)…`) });
    complete = ladder.complete;
    timeLimitHit = !ladder.complete && (count === undefined || ladder.points.length < count);
    ladderPlans = ladder.points.map((p) => {
      const v = values(p.plan);
      // a* is the least A under the limit ε the point was found with (ε ≥ its B): it bounds A for every b up to its B.
      return { plan: p.plan, values: v, proven: p.proven, boundAt: (bq: number) => (p.bound !== null && bq <= v[1] + TERM_TOLERANCE ? p.bound : null) };
    });
  } else {
    const weighted = await weightedLadder(problem, [a, b], { ...options, points: count!, deadline: ladderDeadline, onPoint: (j, of) => options.say(`frontier point ${j + 1} of ${of} (weighted sum)…`) });
    timeLimitHit = weighted.some((p) => p.timeLimitHit);
    ladderPlans = weighted.map((p) => ({ plan: p.plan, values: values(p.plan), proven: p.proven, boundAt: (bq: number) => boundOnA([p], bq, Infinity) }));
    found.push(...weighted.flatMap((p) => p.pool));
  }
  found.unshift(...ladderPlans.map((p) => p.plan));
  if (options.alternatives) {
    options.say("alternatives: searching the scenario's own objective…");
    const own = await optimise(problem, { seed: options.seed, restarts: options.restarts, timeLimitMs: Math.max(1, options.deadline - performance.now()), boundNodes: options.boundNodes, workers: options.workers, iterations: options.iterations });
    timeLimitHit ||= own.timeLimitHit;
    found.unshift(own.assignment, ...own.restarts.flatMap((o) => (o.assignment ? [o.assignment] : [])));
  }
  const set = foundPlanSet(problem, found.filter((plan, i) => found.findIndex((q) => samePartition(q, plan)) === i));
  const ladder = epsilonLadder(set, a, b).map((p) => p.plan);
  const shown = exact ? ladder : capPoints(ladder, options.points ?? ladder.length);
  const same = (p: LadderPlan, i: number) => Math.abs(p.values[0] - set.term(a, i)) <= TERM_TOLERANCE && Math.abs(p.values[1] - set.term(b, i)) <= TERM_TOLERANCE;
  const candidates: Candidate[] = shown.map((i, j) => {
    const proven = ladderPlans.some((p) => p.proven && same(p, i));
    const bounds = ladderPlans.map((p) => p.boundAt(set.term(b, i))).filter((x): x is number => x !== null);
    const bound = proven ? set.term(a, i) : bounds.length > 0 ? Math.min(set.term(a, i), Math.max(...bounds)) : null;
    return { plan: set.plan(i), point: j + 1, alternative: null, proven, bound };
  });
  // Ladder points beaten by another plan found, or repeating one, are dropped (and counted).
  const dropped = ladderPlans.filter((p, j) => !ladder.some((i) => same(p, i)) || ladderPlans.findIndex((q) => samePartition(q.plan, p.plan)) < j).length;
  let alternatives: TradeOffs['alternatives'] = null;
  if (options.alternatives) {
    const chosen = selectAlternatives(set, problem.population, problem.k, { count: options.alternatives, within: options.within });
    chosen.chosen.forEach((i, j) => candidates.push({ plan: set.plan(i), point: null, alternative: j + 1, proven: false, bound: null }));
    alternatives = { asked: options.alternatives, within: options.within, found: chosen.chosen.length, candidates: chosen.candidates, proven: false, best: set.objective(chosen.best) };
  }
  // Complete only when the exact ladder ran to its end and nothing the other runs found changed it.
  return { candidates, frontier: { found: ladder.length, shown: shown.length, dropped, complete: complete && dropped === 0 && candidates.every((c) => c.point === null || c.proven) }, alternatives, timeLimitHit };
}
