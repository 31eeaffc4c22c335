import { connectedComponents } from '../../geometry/components.js';
import { forEachNodeNeighbour } from '../../plan/evaluate.js';
import { footprintWindow } from '../../plan/feasibility.js';
import type { Problem } from '../../plan/problem.js';

/**
 * Vertex separators behind the contiguity cuts of the bounds (pair-model.ts, home-relaxation.ts,
 * cut-edge-model.ts); the population distances they prune with are in ../paths.ts.
 */

const BIG = 1e12;

/**
 * A minimum-weight set of nodes (weights `cap`, other than a and b) whose removal disconnects a
 * from b, by maximum flow on the node-split graph (Edmonds–Karp). Null when a and b are adjacent
 * (no separator exists) or the same node.
 */
export function minVertexSeparator(problem: Problem, a: number, b: number, cap: ArrayLike<number>): number[] | null {
  const { n } = problem;
  if (a === b) return null;
  for (let e = problem.adjStart[a]; e < problem.adjStart[a + 1]; e++) if (problem.adjList[e] === b) return null;
  // Vertex c: in = c, out = n + c. Arcs: in→out (cap c), out(x)→in(y) for edges (BIG), and reverses.
  const m = 2 * n + 2 * problem.adjStart[n];
  const head = new Int32Array(m * 2);
  const next = new Int32Array(m * 2);
  const capacity = new Float64Array(m * 2);
  const first = new Int32Array(2 * n).fill(-1);
  let count = 0;
  const arc = (from: number, to: number, c: number): void => {
    head[count] = to;
    capacity[count] = c;
    next[count] = first[from];
    first[from] = count++;
    head[count] = from;
    capacity[count] = 0;
    next[count] = first[to];
    first[to] = count++;
  };
  for (let c = 0; c < n; c++) arc(c, n + c, c === a || c === b ? BIG : Math.max(0, cap[c]));
  for (let x = 0; x < n; x++) for (let e = problem.adjStart[x]; e < problem.adjStart[x + 1]; e++) arc(n + x, problem.adjList[e], BIG);
  const source = n + a;
  const sink = b;
  const via = new Int32Array(2 * n);
  const queue = new Int32Array(2 * n);
  const seen = new Uint8Array(2 * n);
  const search = (): boolean => {
    seen.fill(0);
    let qh = 0;
    let qt = 0;
    queue[qt++] = source;
    seen[source] = 1;
    while (qh < qt) {
      const x = queue[qh++];
      for (let e = first[x]; e >= 0; e = next[e]) {
        const y = head[e];
        if (seen[y] || capacity[e] <= 1e-12) continue;
        seen[y] = 1;
        via[y] = e;
        if (y === sink) return true;
        queue[qt++] = y;
      }
    }
    return false;
  };
  let flow = 0;
  while (search()) {
    let push = Infinity;
    for (let y = sink; y !== source; y = head[via[y] ^ 1]) push = Math.min(push, capacity[via[y]]);
    for (let y = sink; y !== source; y = head[via[y] ^ 1]) {
      capacity[via[y]] -= push;
      capacity[via[y] ^ 1] += push;
    }
    flow += push;
    if (flow >= BIG / 2) return null;
  }
  // `seen` now marks the source side of a minimum cut: nodes entered but not left are the separator.
  const separator: number[] = [];
  for (let c = 0; c < n; c++) if (seen[c] && !seen[n + c]) separator.push(c);
  return minimalSeparator(problem, a, b, separator);
}

/**
 * The nodes of an a–b separator that border both a's and b's sides. Zero-weight nodes make a
 * minimum cut non-minimal (a dead end at weight 0 costs nothing); a minimal separator gives the
 * stronger contiguity row (Validi, Buchanan and Lykhovyd: only minimal ones can define facets).
 */
export function minimalSeparator(problem: Problem, a: number, b: number, separator: number[]): number[] {
  const { n } = problem;
  const inS = new Uint8Array(n);
  for (const c of separator) inS[c] = 1;
  // Nodes of S next to the side of `from` in the graph without S.
  const touching = (from: number): void => {
    const seen = new Uint8Array(n);
    const keep = new Uint8Array(n);
    const stack = [from];
    seen[from] = 1;
    while (stack.length > 0) {
      const v = stack.pop()!;
      for (let e = problem.adjStart[v]; e < problem.adjStart[v + 1]; e++) {
        const w = problem.adjList[e];
        if (inS[w]) keep[w] = 1;
        else if (!seen[w]) {
          seen[w] = 1;
          stack.push(w);
        }
      }
    }
    for (let c = 0; c < n; c++) if (inS[c] && !keep[c]) inS[c] = 0;
  };
  touching(b);
  touching(a);
  return separator.filter((c) => inS[c] === 1);
}

/**
 * Separator inequalities x(a) + x(b) − Σ_{c∈S} x(c) ≤ 1 that the node values x (one footprint's
 * shares, fractional or whole) break, for non-adjacent pairs a, b: a minimum vertex cut S under
 * capacities x lighter than x(a) + x(b) − 1 (Validi, Buchanan and Lykhovyd 2022). Pairs are tried
 * heaviest first; at most `limit` cuts, each a minimal separator, and none tried after `deadline`.
 */
export function violatedSeparators(problem: Problem, x: Float64Array, limit: number, deadline = Infinity): Array<{ a: number; b: number; separator: number[] }> {
  const { n } = problem;
  const pairs: Array<[number, number, number]> = [];
  for (let a = 0; a < n; a++) {
    if (x[a] <= 1e-6) continue;
    for (let b = a + 1; b < n; b++) if (x[a] + x[b] - 1 > 1e-4) pairs.push([a, b, x[a] + x[b]]);
  }
  pairs.sort((p, q) => q[2] - p[2] || p[0] - q[0] || p[1] - q[1]);
  const cuts: Array<{ a: number; b: number; separator: number[] }> = [];
  for (const [a, b, sum] of pairs) {
    // A fractional solution can offer thousands of pairs, each a maximum flow: the deadline is checked here too.
    if (cuts.length >= limit || performance.now() > deadline) break;
    const separator = minVertexSeparator(problem, a, b, x);
    if (!separator) continue;
    const weight = separator.reduce((s, c) => s + x[c], 0);
    if (sum - 1 - weight > 1e-4) cuts.push({ a, b, separator });
  }
  return cuts;
}

/**
 * The fewest residents a footprint of any plan holds: the minimum, or more where the others at
 * their maximum leave more (Salford's 269,927 residents in 5 footprints of at most 55,000 leave
 * each at least 49,927).
 */
export function footprintMinimum(problem: Problem): number {
  let total = 0;
  for (let v = 0; v < problem.n; v++) total += problem.population[v];
  return footprintWindow(total, problem.k, problem.min, problem.max).low;
}

/**
 * The small islands of one footprint's shares, for the island rows: where the nodes a footprint
 * holds (x > 0) fall into two or more connected parts, each part C with fewer residents than a
 * footprint's minimum (footprintMinimum), with N(C), the nodes next to it; heaviest first (the
 * most of the footprint cut off), at most `limit`. A footprint is connected and holds at least that
 * minimum, so one that holds a node of C and no node of N(C) would lie inside C, too few: for every
 * footprint f and every a in C,
 *
 *   x(a,f) − Σ_{c∈N(C)} x(c,f) ≤ 0.
 *
 * It is the separator row x(a,f) + x(b,f) − Σ_S x(c,f) ≤ 1 with S = N(C), lifted by population
 * (x(b,f) − 1 ≤ 0 dropped): one row covers every b beyond C at once, where the pair rows name one b
 * each and a fractional share of the others still meets them.
 */
export function smallIslands(problem: Problem, share: ArrayLike<number>, limit: number): Array<{ island: number[]; around: number[] }> {
  const { n } = problem;
  const minimum = footprintMinimum(problem);
  if (!(minimum > 0) || limit <= 0) return [];
  const held = (v: number) => share[v] > 1e-6;
  const parts = connectedComponents(n, (v, visit) => forEachNodeNeighbour(problem, v, visit), held);
  if (parts.length < 2) return [];
  const islands: Array<{ island: number[]; around: number[]; weight: number }> = [];
  for (const nodes of parts) {
    let population = 0;
    let weight = 0;
    for (const v of nodes) {
      population += problem.population[v];
      weight += share[v];
    }
    if (!(population < minimum)) continue;
    // The part's neighbours are all nodes the footprint does not hold (one it held would be in the part).
    const around = new Set<number>();
    for (const v of nodes) {
      forEachNodeNeighbour(problem, v, (w) => {
        if (!held(w)) around.add(w);
      });
    }
    islands.push({ island: [...nodes].sort((x, y) => x - y), around: [...around].sort((x, y) => x - y), weight });
  }
  islands.sort((x, y) => y.weight - x.weight || x.island[0] - y.island[0]);
  return islands.slice(0, limit).map(({ island, around }) => ({ island, around }));
}

/**
 * The contiguity rows, as model rows, that a solution of a labelled model breaks, footprint by
 * footprint, at most `limit` from each: first the island rows of its small islands (smallIslands),
 * each added for every footprint (contiguity and the minimum hold for all of them, and footprints
 * without locks are interchangeable: on Oldham's LSOAs the same island came back in another
 * footprint in the next solve), then separator rows x(a,f) + x(b,f) − Σ_{c∈S} x(c,f) ≤ 1.
 */
export function footprintSeparatorRows(
  problem: Problem,
  col: ArrayLike<number>,
  xCol: (v: number, f: number) => number,
  limit: number,
  deadline = Infinity,
): Array<{ lower: number; upper: number; index: number[]; value: number[] }> {
  const rows: Array<{ lower: number; upper: number; index: number[]; value: number[] }> = [];
  const islandRowsAdded = new Set<string>();
  for (let f = 0; f < problem.k; f++) {
    const share = Float64Array.from({ length: problem.n }, (_, v) => col[xCol(v, f)]);
    let added = 0;
    for (const { island, around } of smallIslands(problem, share, limit)) {
      for (const a of island) {
        const key = `${a}|${around.join(',')}`;
        if (added >= limit || islandRowsAdded.has(key)) continue;
        islandRowsAdded.add(key);
        added++;
        for (let g = 0; g < problem.k; g++) rows.push({ lower: -Infinity, upper: 0, index: [a, ...around].map((v) => xCol(v, g)), value: [1, ...around.map(() => -1)] });
      }
    }
    for (const cut of violatedSeparators(problem, share, limit - added, deadline)) {
      rows.push({ lower: -Infinity, upper: 1, index: [cut.a, cut.b, ...cut.separator].map((v) => xCol(v, f)), value: [1, 1, ...cut.separator.map(() => -1)] });
    }
  }
  return rows;
}
