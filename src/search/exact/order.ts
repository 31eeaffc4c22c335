import type { Problem } from '../../plan/problem.js';

/**
 * The order the exact search (solve.ts) visits nodes in: breadth-first, which keeps carved
 * footprints compact and pruning early, from a node of least β (boundary.ts): where footprints can
 * have the smallest boundary (on the edge of the map, in a corner). The first footprint carved
 * holds it, so it is pressed against the edge and the owed footprints' bound bites early
 * (docs/benchmarks.md has the effect on the county instances).
 * A round of β cut short by the deadline tells apart only the nodes it reached (`reached`): above
 * the last finished round, nodes tie. Every component of the graph is started in turn.
 */
export function searchOrder(problem: Problem, beta: Int32Array, reached: number): { order: number[]; rank: Int32Array } {
  const { n } = problem;
  const order: number[] = [];
  const rank = new Int32Array(n).fill(-1);
  const settledBeta = (v: number) => Math.min(beta[v], reached);
  const starts = Array.from({ length: n }, (_, v) => v).sort((a, b) => settledBeta(a) - settledBeta(b) || a - b);
  for (const s of starts) {
    if (rank[s] >= 0) continue;
    rank[s] = order.length;
    order.push(s);
    for (let i = order.length - 1; i < order.length; i++) {
      const v = order[i];
      for (let j = problem.adjStart[v]; j < problem.adjStart[v + 1]; j++) {
        const w = problem.adjList[j];
        if (rank[w] < 0) {
          rank[w] = order.length;
          order.push(w);
        }
      }
    }
  }
  return { order, rank };
}
