import { matchPlans } from './match.js';
import type { PlanSet } from './plan-set.js';
import { TERM_TOLERANCE } from './frontier.js';

/**
 * Alternatives: up to N plans whose objective is within a share P of the best, as different from
 * each other as possible. Candidates: the plans of the set with objective ≤ best·(1 + P) (+ τ).
 * Selection is the greedy max–min heuristic for the max–min diversity problem (Gonzalez 1985;
 * Ravi, Rosenkrantz and Tayi 1994, a 2-approximation of the best achievable least distance): start
 * from the best plan, then repeatedly add the candidate whose least distance to those chosen is
 * largest (ties: lower objective, then lower index). Distance: residents who change footprint
 * (match.ts). A candidate at distance 0 from one chosen is the same plan and is never added.
 */
export interface AlternativesResult {
  /** Chosen plans (indices into the set), the best first. */
  chosen: number[];
  /** Per chosen plan, its least distance to those chosen before it (0 for the first). */
  leastDistance: number[];
  /** Plans of the set within the share: all there are, when the set holds every plan. */
  candidates: number;
  best: number;
  threshold: number;
}

export function selectAlternatives(set: PlanSet, population: ArrayLike<number>, k: number, options: { count: number; within: number }): AlternativesResult {
  let best = -1;
  for (let i = 0; i < set.count; i++) if (best < 0 || set.objective(i) < set.objective(best) - TERM_TOLERANCE) best = i;
  if (best < 0) return { chosen: [], leastDistance: [], candidates: 0, best: -1, threshold: NaN };
  const threshold = set.objective(best) * (1 + options.within) + TERM_TOLERANCE;
  const pool: number[] = [];
  for (let i = 0; i < set.count; i++) if (set.objective(i) <= threshold) pool.push(i);
  const plans = pool.map((i) => set.plan(i));
  const least = new Float64Array(pool.length).fill(Infinity);
  const taken = new Uint8Array(pool.length);
  const chosen: number[] = [];
  const leastDistance: number[] = [];
  let next = pool.indexOf(best);
  while (next >= 0 && chosen.length < options.count) {
    taken[next] = 1;
    chosen.push(pool[next]);
    leastDistance.push(chosen.length === 1 ? 0 : least[next]);
    for (let c = 0; c < pool.length; c++) {
      if (taken[c]) continue;
      least[c] = Math.min(least[c], matchPlans(plans[next], plans[c], population, k).changed);
    }
    next = -1;
    for (let c = 0; c < pool.length; c++) {
      if (taken[c] || !(least[c] > 0)) continue;
      if (next < 0 || least[c] > least[next] || (least[c] === least[next] && set.objective(pool[c]) < set.objective(pool[next]) - TERM_TOLERANCE)) next = c;
    }
  }
  return { chosen, leastDistance, candidates: pool.length, best, threshold };
}
