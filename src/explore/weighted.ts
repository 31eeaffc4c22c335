import { evaluatePlan, type Evaluation } from '../plan/evaluate.js';
import type { Problem } from '../plan/problem.js';
import { optimise } from '../search/index.js';
import type { PlanSet } from './plan-set.js';
import { termValue, type TermRef } from './terms.js';

/**
 * The frontier where the plans are too many to list: a ladder of weighted sums αA + βB, each
 * minimised by the optimiser (heuristic restarts; the exact search or the lower bounds prove it
 * where they reach). A weighted sum's minimiser is a supported non-dominated point, so a point is
 * proven on the frontier when its weighted sum is proven optimal. Any proven lower bound L on
 * αA + βB also bounds the ε-constrained problem: every plan with B ≤ b has A ≥ (L − βb)/α, which is
 * the bound and gap each point reports (unsupported points, in the frontier's dents, are missed by
 * weighted sums: the enumeration finds them on small instances).
 */
export interface WeightedPoint {
  plan: Int32Array;
  evaluation: Evaluation;
  alpha: number;
  beta: number;
  /** Proven lower bound on αA + βB, or null. */
  weightedBound: number | null;
  proven: boolean;
  /** Distinct plans the run's restarts ended with (a pool of alternatives). */
  pool: Int32Array[];
  timeLimitHit: boolean;
}

/** Weight on the other term at the ends of the ladder: A alone, with B only breaking ties. */
const END_TIE_WEIGHT = 1e-3;

export async function weightedLadder(
  problem: Problem,
  terms: [TermRef, TermRef],
  options: { points: number; seed: number; restarts: number; deadline: number; boundNodes: number; workers?: number; iterations?: number; onPoint?: (j: number, of: number) => void },
): Promise<WeightedPoint[]> {
  const [a, b] = terms;
  const out: WeightedPoint[] = [];
  const count = Math.max(2, options.points);
  for (let j = 0; j < count; j++) {
    options.onPoint?.(j, count);
    const share = 1 - j / (count - 1);
    const alpha = Math.max(share, END_TIE_WEIGHT);
    const beta = Math.max(1 - share, END_TIE_WEIGHT);
    const left = options.deadline - performance.now();
    if (left <= 0) break;
    const weighted = weightedProblem(problem, [a, b], [alpha, beta]);
    const result = await optimise(weighted, {
      seed: options.seed + j,
      restarts: options.restarts,
      timeLimitMs: Math.max(1, left / (count - j)),
      boundNodes: options.boundNodes,
      workers: options.workers,
      iterations: options.iterations,
    });
    const pool = result.restarts.flatMap((o) => (o.assignment ? [o.assignment] : []));
    out.push({
      plan: result.assignment,
      evaluation: evaluatePlan(problem, result.assignment),
      alpha,
      beta,
      weightedBound: result.bound,
      proven: result.status === 'optimal',
      pool,
      timeLimitHit: result.timeLimitHit,
    });
  }
  return out;
}

/** The problem with only A and B in its objective, weighted α and β. */
export function weightedProblem(problem: Problem, [a, b]: [TermRef, TermRef], [alpha, beta]: [number, number]): Problem {
  const weightOf = (kind: 'layer' | 'compactness', index: number) => (a.kind === kind && a.index === index ? alpha : 0) + (b.kind === kind && b.index === index ? beta : 0);
  return { ...problem, layers: problem.layers.map((l, i) => ({ ...l, weight: weightOf('layer', i) })), compactnessWeight: weightOf('compactness', -1) };
}

/**
 * The best lower bound on A over plans with B ≤ b that the points' proven bounds give
 * (αA + βB ≥ L for every plan, so B ≤ b ⇒ A ≥ (L − βb)/α), at most `a` (the plan at hand), or null.
 */
export function boundOnA(points: WeightedPoint[], b: number, a: number): number | null {
  let best: number | null = null;
  for (const p of points) {
    if (p.weightedBound === null) continue;
    best = Math.max(best ?? 0, (p.weightedBound - p.beta * b) / p.alpha);
  }
  return best === null ? null : Math.min(best, a);
}

/** A plan set over plans found by search (evaluated once each). */
export function foundPlanSet(problem: Problem, plans: Int32Array[]): PlanSet {
  const evaluations = plans.map((p) => evaluatePlan(problem, p));
  return {
    count: plans.length,
    term: (term, i) => termValue(term, evaluations[i]),
    objective: (i) => evaluations[i].objective,
    plan: (i) => plans[i],
  };
}
