import type { EnumeratedPlans } from '../search/index.js';
import type { TermRef } from './terms.js';

/**
 * Plans with their term values, by index: every plan of an enumeration, or the plans a heuristic
 * run found. Frontier, alternatives and contested units read plans only through this.
 */
export interface PlanSet {
  count: number;
  /** The value of a term (unweighted) for plan i. */
  term(term: TermRef, i: number): number;
  /** The scenario's objective for plan i. */
  objective(i: number): number;
  /** Node-level plan i. */
  plan(i: number): Int32Array;
}

export function enumeratedPlanSet(plans: EnumeratedPlans): PlanSet {
  return {
    count: plans.count,
    term: (term, i) => (term.kind === 'compactness' ? plans.compactness[i] : plans.splits[term.index][i]),
    objective: (i) => plans.objective[i],
    plan: (i) => Int32Array.from(plans.assignments.subarray(i * plans.n, (i + 1) * plans.n)),
  };
}

/** The scenario's objective less the weighted terms named: what breaks ties between equal terms. */
export function restOf(set: PlanSet, terms: TermRef[], i: number): number {
  return set.objective(i) - terms.reduce((s, t) => s + t.weight * set.term(t, i), 0);
}

/** A plan a run reports: its place on the frontier and among the alternatives, and its standing. */
export interface Candidate {
  plan: Int32Array;
  point: number | null;
  alternative: number | null;
  /** Proven optimal for its limit (frontier points). */
  proven: boolean;
  /** Lower bound on A under B ≤ its B, or null. */
  bound: number | null;
}

/** What the frontier and alternatives steps hand the report. */
export interface TradeOffs {
  candidates: Candidate[];
  frontier: { found: number; shown: number; dropped: number; complete: boolean };
  alternatives: { asked: number; within: number; found: number; candidates: number; proven: boolean; best: number } | null;
  timeLimitHit: boolean;
}

/** Whether two node plans are the same partition (footprint numbers aside). */
export function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const map = new Map<number, number>();
  for (let v = 0; v < a.length; v++) {
    const m = map.get(a[v]);
    if (m === undefined) map.set(a[v], b[v]);
    else if (m !== b[v]) return false;
  }
  return new Set(map.values()).size === map.size;
}
