import type { Problem } from '../plan/problem.js';

/**
 * Population-weighted shortest paths over the adjacency graph, behind the reach fixings of the
 * bounds (bounds/pair-model.ts, bounds/cut-edge-model.ts) and the exact search's reach scan
 * (exact/boundary.ts): two nodes further apart than the population maximum never share a footprint.
 */

/**
 * The fewest residents on a path from `source` to each node, written into `row` (Infinity when no
 * path): the source counted when `countSource`, every other node on the path counted; paths only
 * through nodes marked in `allowed` when given. Dense Dijkstra: n is a few hundred at most here.
 */
export function populationDistancesFrom(problem: Problem, source: number, row: Float64Array, options: { countSource: boolean; allowed?: Uint8Array }): Float64Array {
  const { n } = problem;
  const pop = problem.population;
  const { allowed } = options;
  const done = new Uint8Array(n);
  row.fill(Infinity);
  row[source] = options.countSource ? pop[source] : 0;
  for (;;) {
    let v = -1;
    for (let i = 0; i < n; i++) if (!done[i] && row[i] < Infinity && (v < 0 || row[i] < row[v])) v = i;
    if (v < 0) break;
    done[v] = 1;
    for (let e = problem.adjStart[v]; e < problem.adjStart[v + 1]; e++) {
      const w = problem.adjList[e];
      if (allowed && !allowed[w]) continue;
      const d = row[v] + pop[w];
      if (d < row[w]) row[w] = d;
    }
  }
  return row;
}

/**
 * For every pair of nodes, the fewest residents on any path joining them, both ends included
 * (n × n, row-major; Infinity when no path). Two nodes further apart than the population maximum
 * can never share a contiguous footprint.
 */
export function populationDistances(problem: Problem): Float64Array {
  const { n } = problem;
  const dist = new Float64Array(n * n);
  for (let s = 0; s < n; s++) populationDistancesFrom(problem, s, dist.subarray(s * n, s * n + n), { countSource: true });
  return dist;
}
