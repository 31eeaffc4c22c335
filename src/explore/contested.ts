import type { Adjacency } from '../geometry/types.js';

/**
 * Settled and contested units across a run's plans (docs/metrics.md, "Contested units"). For
 * neighbouring units u, w let t(u,w) be the share of the plans that put them in the same
 * footprint; w is a usual companion of u when t(u,w) ≥ ½, else a usual outsider. In plan p the
 * pair is as usual when it is together and w a usual companion, or apart and w a usual outsider.
 *   settled(u) = mean over plans p of (neighbours w of u whose pair is as usual in p) / (neighbours of u)
 * It is 1 for a unit of a settled core (every plan draws the lines around it the same way) and
 * falls towards ½ as the plans disagree about where it belongs. A unit without neighbours is settled.
 */
export interface ContestedUnits {
  /** settled(u) per unit, in [0, 1]. */
  settled: Float64Array;
  /** Plans compared. */
  plans: number;
}

export function contestedUnits(adjacency: Adjacency, plans: ArrayLike<number>[]): ContestedUnits {
  const n = adjacency.n;
  const m = plans.length;
  const together = new Float64Array(adjacency.neighbour.length);
  for (const plan of plans) for (let u = 0; u < n; u++) for (let i = adjacency.start[u]; i < adjacency.start[u + 1]; i++) if (plan[adjacency.neighbour[i]] === plan[u]) together[i]++;
  const settled = new Float64Array(n).fill(1);
  for (let u = 0; u < n; u++) {
    const degree = adjacency.start[u + 1] - adjacency.start[u];
    if (degree === 0 || m === 0) continue;
    let usual = 0;
    for (const plan of plans) {
      for (let i = adjacency.start[u]; i < adjacency.start[u + 1]; i++) {
        const companion = together[i] * 2 >= m;
        if ((plan[adjacency.neighbour[i]] === plan[u]) === companion) usual++;
      }
    }
    settled[u] = usual / (degree * m);
  }
  return { settled, plans: m };
}
