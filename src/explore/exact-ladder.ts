import { evaluatePlan } from '../plan/evaluate.js';
import type { Problem } from '../plan/problem.js';
import { RestartPool, type ExactOptions, type ExactResult } from '../search/index.js';
import { TERM_TOLERANCE } from './frontier.js';
import type { TermRef } from './terms.js';

/**
 * The ε-constraint ladder by the exact search, for problems too large to list every plan but small
 * enough for the exact search (docs/algorithms.md, "Trade-offs"). Both terms must be layers (the
 * exact search takes limits on split terms). Each point takes three proven solves, the
 * lexicographic order of the listed ladder:
 *   a* = min A subject to B ≤ ε;  b* = min B subject to A ≤ a*, B ≤ ε;  then min rest subject to
 *   A ≤ a*, B ≤ b*,
 * each with the problem's weights replaced by the one term minimised (the rest: the scenario's
 * weights without A and B). ε starts at ∞ and is b* − τ after each point, as in frontier.ts, so given
 * time every distinct non-dominated point is found. A solve cut short by the deadline ends the
 * ladder: its plan, if any, is reported not proven. The solves run on one worker thread of a
 * restart pool (search/threads/pool.ts, as optimise runs its exact search), so Ctrl-C is acted on at once.
 */
export interface ExactLadderPoint {
  plan: Int32Array;
  proven: boolean;
  /** Lower bound on A under B ≤ its B (a* once the first solve is proven), or null. */
  bound: number | null;
}

export interface ExactLadder {
  points: ExactLadderPoint[];
  /** True when the ladder ran to its end: the points are the whole frontier. */
  complete: boolean;
  leaves: number;
}

export interface ExactLadderOptions {
  deadline: number;
  maxPoints?: number;
  onPoint?: (j: number) => void;
}

export async function exactLadder(problem: Problem, [a, b]: [TermRef, TermRef], options: ExactLadderOptions): Promise<ExactLadder> {
  if (a.kind !== 'layer' || b.kind !== 'layer') throw new RangeError('exactLadder: both terms must be layers');
  // One worker for every solve of the ladder (in this thread when there is no compiled worker).
  const pool = new RestartPool().start(1, { threaded: true });
  const solve = async (p: Problem, o: ExactOptions): Promise<ExactResult> => {
    try {
      return await pool.exact(p, o);
    } finally {
      pool.release(p);
    }
  };
  try {
    return await climb(problem, [a, b], options, solve);
  } finally {
    await pool.close();
  }
}

/** The ladder itself, each proven solve by `solve`. */
async function climb(problem: Problem, [a, b]: [TermRef, TermRef], options: ExactLadderOptions, solve: (p: Problem, o: ExactOptions) => Promise<ExactResult>): Promise<ExactLadder> {
  const points: ExactLadderPoint[] = [];
  let epsilon = Infinity;
  let leaves = 0;
  const only = (weights: (l: number) => number, compactness: number): Problem => ({ ...problem, layers: problem.layers.map((l, i) => ({ ...l, weight: weights(i) })), compactnessWeight: compactness });
  const rest = only((i) => (i === a.index || i === b.index ? 0 : problem.layers[i].weight), problem.compactnessWeight);
  for (let j = 0; options.maxPoints === undefined || j < options.maxPoints; j++) {
    options.onPoint?.(j);
    const limitB = Number.isFinite(epsilon) ? [{ layer: b.index, value: epsilon }] : [];
    const first = await solve(only((i) => (i === a.index ? 1 : 0), 0), { deadline: options.deadline, limits: limitB });
    leaves += first.leaves;
    if (!first.proven) {
      if (first.assignment) points.push({ plan: first.assignment, proven: false, bound: null });
      return { points, complete: false, leaves };
    }
    if (!first.assignment) return { points, complete: true, leaves };
    const aStar = evaluatePlan(problem, first.assignment).splits[a.index];
    const second = await solve(only((i) => (i === b.index ? 1 : 0), 0), { deadline: options.deadline, limits: [...limitB, { layer: a.index, value: aStar + TERM_TOLERANCE }] });
    leaves += second.leaves;
    const bPlan = second.assignment ?? first.assignment;
    const bStar = evaluatePlan(problem, bPlan).splits[b.index];
    const third = second.proven ? await solve(rest, { deadline: options.deadline, limits: [{ layer: a.index, value: aStar + TERM_TOLERANCE }, { layer: b.index, value: bStar + TERM_TOLERANCE }] }) : null;
    leaves += third?.leaves ?? 0;
    const proven = second.proven && third !== null && third.proven;
    // a* is proven least under B ≤ ε, so it bounds A under the point's own (lower) B too.
    points.push({ plan: third?.assignment ?? bPlan, proven, bound: aStar });
    if (!proven) return { points, complete: false, leaves };
    epsilon = bStar - TERM_TOLERANCE;
  }
  return { points, complete: false, leaves };
}
