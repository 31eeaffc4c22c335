import type { Problem } from '../plan/problem.js';
import { optimise } from '../search/optimise.js';
import { selectAlternatives } from './alternatives.js';
import { capPoints, epsilonLadder, TERM_TOLERANCE } from './frontier.js';
import type { Candidate, TradeOffs } from './plan-set.js';
import { samePartition } from './plan-set.js';
import type { TermRef } from './terms.js';
import { termValue } from './terms.js';
import { boundOnA, foundPlanSet, weightedLadder, type WeightedPoint } from './weighted.js';

/**
 * Trade-offs where the plans are too many to list: a ladder of weighted sums (weighted.ts), then,
 * with alternatives asked for, one run on the scenario's own objective. The frontier is the
 * ε-constraint ladder over every distinct plan these runs ended with (so no point is dominated by
 * another plan of the run); a point is proven when a proven weighted sum reached its values, and
 * its bound is the best that any weighted sum's proven bound gives on A under its limit on B.
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

export async function searchedTradeOffs(problem: Problem, [a, b]: [TermRef, TermRef], options: SearchOptions): Promise<TradeOffs> {
  const count = options.points ?? 5;
  // With alternatives asked for, the run on the scenario's own objective gets one share of the time.
  const ladderDeadline = options.alternatives ? performance.now() + ((options.deadline - performance.now()) * count) / (count + 1) : options.deadline;
  const weighted = await weightedLadder(problem, [a, b], { ...options, points: count, deadline: ladderDeadline, onPoint: (j, of) => options.say(`frontier point ${j + 1} of ${of} (weighted sum)…`) });
  let timeLimitHit = weighted.some((p) => p.timeLimitHit);
  const found = [...weighted.map((p) => p.plan), ...weighted.flatMap((p) => p.pool)];
  if (options.alternatives) {
    options.say("alternatives: searching the scenario's own objective…");
    const own = await optimise(problem, { seed: options.seed, restarts: options.restarts, timeLimitMs: Math.max(1, options.deadline - performance.now()), boundNodes: options.boundNodes, workers: options.workers, iterations: options.iterations });
    timeLimitHit ||= own.timeLimitHit;
    found.unshift(own.assignment, ...own.restarts.flatMap((o) => (o.assignment ? [o.assignment] : [])));
  }
  const set = foundPlanSet(problem, found.filter((plan, i) => found.findIndex((q) => samePartition(q, plan)) === i));
  const ladder = epsilonLadder(set, a, b).map((p) => p.plan);
  const shown = capPoints(ladder, options.points ?? ladder.length);
  const same = (p: WeightedPoint, i: number) => Math.abs(termValue(a, p.evaluation) - set.term(a, i)) <= TERM_TOLERANCE && Math.abs(termValue(b, p.evaluation) - set.term(b, i)) <= TERM_TOLERANCE;
  const candidates: Candidate[] = shown.map((i, j) => {
    const proven = weighted.some((p) => p.proven && same(p, i));
    return { plan: set.plan(i), point: j + 1, alternative: null, proven, bound: proven ? set.term(a, i) : boundOnA(weighted, set.term(b, i), set.term(a, i)) };
  });
  // Weighted points beaten by another plan found, or repeating one, are dropped (and counted).
  const dropped = weighted.filter((p, j) => !ladder.some((i) => same(p, i)) || weighted.findIndex((q) => samePartition(q.plan, p.plan)) < j).length;
  let alternatives: TradeOffs['alternatives'] = null;
  if (options.alternatives) {
    const chosen = selectAlternatives(set, problem.population, problem.k, { count: options.alternatives, within: options.within });
    chosen.chosen.forEach((i, j) => candidates.push({ plan: set.plan(i), point: null, alternative: j + 1, proven: false, bound: null }));
    alternatives = { asked: options.alternatives, within: options.within, found: chosen.chosen.length, candidates: chosen.candidates, proven: false, best: set.objective(chosen.best) };
  }
  return { candidates, frontier: { found: ladder.length, shown: shown.length, dropped, complete: false }, alternatives, timeLimitHit };
}
