import type { PlanSet } from './plan-set.js';
import { restOf } from './plan-set.js';
import type { TermRef } from './terms.js';

/**
 * The ε-constraint method (Haimes, Lasdon and Wismer 1971; Chankong and Haimes 1983) over a set of
 * plans, for two terms A and B. Each point is the lexicographic minimum of (A, B, rest) over the
 * plans with B ≤ ε, where rest is the scenario's objective less the weighted A and B: A first, then
 * B (so no point is weakly dominated), then the other terms (so the point is the best plan a
 * Board would pick at that trade-off). The ladder starts with ε = ∞ (A alone) and sets
 * ε = b* − τ after each point (b*, the point's B), τ = TERM_TOLERANCE; it stops when no plan has
 * B ≤ ε, so its last point is B alone (with A least among B's minimisers). Over every plan this
 * finds every distinct non-dominated point (A, B), each once, in order of rising A and falling B:
 * any non-dominated (a, b) has b ≤ ε at each step until it is found, since every point found before
 * it has A < a, hence B > b. Values closer than τ count as equal.
 */
export const TERM_TOLERANCE = 1e-9;

export interface LadderPoint {
  /** The plan's index in the set. */
  plan: number;
  /** The limit on B it was found under (∞ for the first). */
  epsilon: number;
}

export function epsilonLadder(set: PlanSet, a: TermRef, b: TermRef): LadderPoint[] {
  const points: LadderPoint[] = [];
  let epsilon = Infinity;
  for (;;) {
    let best = -1;
    for (let i = 0; i < set.count; i++) {
      if (set.term(b, i) > epsilon) continue;
      if (best < 0 || lexLess(set, a, b, i, best)) best = i;
    }
    if (best < 0) return points;
    points.push({ plan: best, epsilon });
    epsilon = set.term(b, best) - TERM_TOLERANCE;
  }
}

/** Plan i before plan j in the order (A, B, rest, index), values within the tolerance equal. */
export function lexLess(set: PlanSet, a: TermRef, b: TermRef, i: number, j: number): boolean {
  const keys: Array<(x: number) => number> = [(x) => set.term(a, x), (x) => set.term(b, x), (x) => restOf(set, [a, b], x)];
  for (const key of keys) {
    const d = key(i) - key(j);
    if (d < -TERM_TOLERANCE) return true;
    if (d > TERM_TOLERANCE) return false;
  }
  return i < j;
}

/** At most `cap` of a ladder's points: both ends and the others evenly spread between them. */
export function capPoints<T>(points: T[], cap: number): T[] {
  if (points.length <= cap) return points;
  if (cap <= 1) return points.slice(0, cap);
  const chosen = new Set<number>();
  for (let j = 0; j < cap; j++) chosen.add(Math.round((j * (points.length - 1)) / (cap - 1)));
  return [...chosen].sort((x, y) => x - y).map((i) => points[i]);
}

/** Whether (a1, b1) dominates (a2, b2): no worse in both, better in one (beyond the tolerance). */
export function dominates(a1: number, b1: number, a2: number, b2: number): boolean {
  return a1 <= a2 + TERM_TOLERANCE && b1 <= b2 + TERM_TOLERANCE && (a1 < a2 - TERM_TOLERANCE || b1 < b2 - TERM_TOLERANCE);
}

/**
 * Three terms: the frontier of (A, B, C) by the same method with a grid of limits on B and C, here
 * over every plan of the set: the plans no other plan dominates in all three (each distinct point
 * once, the lexicographic least (A, B, C, rest) of its ties), in order of rising A.
 */
export function nonDominated3(set: PlanSet, terms: [TermRef, TermRef, TermRef]): number[] {
  const order = Array.from({ length: set.count }, (_, i) => i);
  const value = (i: number) => terms.map((t) => set.term(t, i));
  order.sort((i, j) => {
    const vi = value(i);
    const vj = value(j);
    for (let t = 0; t < 3; t++) if (Math.abs(vi[t] - vj[t]) > TERM_TOLERANCE) return vi[t] - vj[t];
    return restOf(set, terms, i) - restOf(set, terms, j) || i - j;
  });
  const kept: number[] = [];
  for (const i of order) {
    const vi = value(i);
    const beaten = kept.some((j) => {
      const vj = value(j);
      return vj.every((x, t) => x <= vi[t] + TERM_TOLERANCE);
    });
    if (!beaten) kept.push(i);
  }
  return kept;
}
