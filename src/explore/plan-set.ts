import type { EnumeratedPlans } from '../search/enumerate/index.js';
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
