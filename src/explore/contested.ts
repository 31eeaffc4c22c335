import type { Problem } from '../plan/problem.js';

/**
 * Settled and contested units across a run's plans (docs/metrics.md, "Contested units"). For
 * adjacent nodes v, w let t(v,w) be the share of plans that put them in the same footprint. The
 * usual neighbours of v are U(v) = {w adjacent : t(v,w) ≥ ½}. In plan p, v sits with its usual
 * neighbours when the adjacent nodes sharing its footprint are exactly U(v). settled(v) is the
 * share of plans in which it does: 1 for a settled node (its footprint's edge never moves next to
 * it), lower the more often the plans redraw the line beside it. Units inherit their node's figure
 * (a kept-whole group always moves as one).
 */
export interface ContestedNodes {
  /** settled(v) per node, in [0, 1]. */
  settled: Float64Array;
  /** Plans compared. */
  plans: number;
}

export function contestedNodes(problem: Problem, plans: Int32Array[]): ContestedNodes {
  const n = problem.n;
  const m = plans.length;
  const together = new Float64Array(problem.adjList.length);
  for (const plan of plans) for (let v = 0; v < n; v++) for (let i = problem.adjStart[v]; i < problem.adjStart[v + 1]; i++) if (plan[problem.adjList[i]] === plan[v]) together[i]++;
  const settled = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    let usual = 0;
    for (const plan of plans) {
      let same = true;
      for (let i = problem.adjStart[v]; i < problem.adjStart[v + 1] && same; i++) {
        const isUsual = together[i] * 2 >= m;
        same = (plan[problem.adjList[i]] === plan[v]) === isUsual;
      }
      if (same) usual++;
    }
    settled[v] = m > 0 ? usual / m : 1;
  }
  return { settled, plans: m };
}
