import type { Problem } from '../../plan/problem.js';
import type { Random } from '../random.js';
import { SpanningTrees } from './tree.js';

/**
 * Population repair: from k contiguous pieces, some outside the bounds, reach a plan within them by
 * moving units along boundaries. Each move merges a footprint outside the bounds with a
 * neighbouring footprint and re-cuts the pair at the edge of a random spanning tree that leaves
 * the two closest to the bounds (ReCom's step, aimed at feasibility instead of sampling). Moves
 * that keep the total deviation equal are accepted too, so a surplus hemmed in by full footprints
 * spreads through them until it reaches one with room. Both sides stay contiguous by construction
 * and locked nodes stay in their footprint.
 */
export interface RepairOptions {
  /** Pair re-cuts tried at most (default: repairMoves). */
  moves?: number;
  /** performance.now() time to stop at. */
  deadline?: number;
  /** Scratch buffers to share with the seeding. */
  trees?: SpanningTrees;
}

export interface RepairResult {
  assignment: Int32Array;
  /** Residents beyond the bounds in all; 0 means a plan within bounds. */
  deviation: number;
  /** Footprints outside the bounds. */
  outside: number;
}

/** Default re-cuts: enough for a surplus to cross the footprint graph many times over. */
export function repairMoves(problem: Problem): number {
  return 1_000 + 200 * problem.k;
}

/** Residents by which one footprint's population is outside [min, max]. */
export function boundsDeviation(population: number, min: number, max: number): number {
  return Math.max(0, min - population) + Math.max(0, population - max);
}

// One function by design, though over 120 lines: every move of the loop below reads and writes the
// same scratch arrays (subtree sums by spanning tree, lock counts, the chosen cut), and it runs for
// every restart's seed; split into steps it would pass a dozen arrays each call.
export function repairPopulations(problem: Problem, start: ArrayLike<number>, random: Random, options: RepairOptions = {}): RepairResult {
  const { k, min, max, n } = problem;
  const a = Int32Array.from(start);
  const population = new Float64Array(k);
  const anyNode = new Int32Array(k).fill(-1);
  for (let v = 0; v < n; v++) {
    population[a[v]] += problem.population[v];
    if (anyNode[a[v]] < 0) anyNode[a[v]] = v;
  }
  const dev = (f: number) => boundsDeviation(population[f], min, max);
  const trees = options.trees ?? new SpanningTrees(problem);
  const seen = new Int32Array(n);
  let stamp = 0;
  const union = new Int32Array(n);
  const below = new Float64Array(n);
  const count = new Int32Array(n);
  const inF = new Int32Array(n);
  const lockF = new Int32Array(n);
  const lockG = new Int32Array(n);
  const side = new Int32Array(n);
  const moves = options.moves ?? repairMoves(problem);
  const violating: number[] = [];
  const neighbours: number[] = [];

  /** Nodes of footprint f by BFS from one of them, appended to `union` from `offset`; neighbouring footprints into `neighbours`. */
  const collect = (f: number, offset: number, mark: number): number => {
    let size = offset;
    const first = anyNode[f];
    union[size++] = first;
    seen[first] = mark;
    for (let i = offset; i < size; i++) {
      const v = union[i];
      for (let j = problem.adjStart[v]; j < problem.adjStart[v + 1]; j++) {
        const w = problem.adjList[j];
        if (a[w] !== f) {
          neighbours.push(a[w]);
          continue;
        }
        if (seen[w] === mark) continue;
        seen[w] = mark;
        union[size++] = w;
      }
    }
    return size;
  };

  let deviation = 0;
  for (let f = 0; f < k; f++) deviation += dev(f);
  for (let move = 0; move < moves && deviation > 1e-9; move++) {
    if ((move & 15) === 0 && options.deadline !== undefined && performance.now() > options.deadline) break;
    violating.length = 0;
    for (let f = 0; f < k; f++) if (dev(f) > 0) violating.push(f);
    const f = violating[random.int(violating.length)];
    neighbours.length = 0;
    const sizeF = collect(f, 0, ++stamp);
    if (neighbours.length === 0) continue;
    // Half the time the neighbour with most room for f's surplus (or most to give to f's deficit).
    let g = neighbours[random.int(neighbours.length)];
    if (random.next() < 0.5) {
      const over = population[f] > max;
      for (const h of neighbours) if (over ? population[h] < population[g] : population[h] > population[g]) g = h;
    }
    neighbours.length = 0;
    const size = collect(g, sizeF, stamp);
    const nodes = union.subarray(0, size);
    if (!trees.draw(nodes, random)) continue;
    const { order, parent } = trees;
    let totalLockF = 0;
    let totalLockG = 0;
    for (let i = 0; i < size; i++) {
      const v = order[i];
      below[v] = problem.population[v];
      count[v] = 1;
      inF[v] = a[v] === f ? 1 : 0;
      lockF[v] = problem.locked[v] === f ? 1 : 0;
      lockG[v] = problem.locked[v] === g ? 1 : 0;
      totalLockF += lockF[v];
      totalLockG += lockG[v];
    }
    for (let i = size - 1; i > 0; i--) {
      const v = order[i];
      const u = parent[v];
      below[u] += below[v];
      count[u] += count[v];
      inF[u] += inF[v];
      lockF[u] += lockF[v];
      lockG[u] += lockG[v];
    }
    const total = population[f] + population[g];
    const before = dev(f) + dev(g);
    let bestV = -1;
    let bestSubIsF = true;
    let bestDev = Infinity;
    let bestSpread = Infinity;
    let bestChanges = Infinity;
    const mid = (min + max) / 2;
    for (let i = 1; i < size; i++) {
      const v = order[i];
      const sub = below[v];
      const rest = total - sub;
      const d = boundsDeviation(sub, min, max) + boundsDeviation(rest, min, max);
      const spread = Math.max(Math.abs(sub - mid), Math.abs(rest - mid));
      for (const subIsF of [true, false]) {
        // Locked nodes must end on their own footprint's side.
        if (subIsF ? lockG[v] > 0 || lockF[v] < totalLockF : lockF[v] > 0 || lockG[v] < totalLockG) continue;
        const changes = subIsF ? count[v] - inF[v] + (sizeF - inF[v]) : inF[v] + (size - sizeF - (count[v] - inF[v]));
        if (d < bestDev - 1e-9 || (Math.abs(d - bestDev) <= 1e-9 && (spread < bestSpread - 1e-9 || (Math.abs(spread - bestSpread) <= 1e-9 && changes < bestChanges)))) {
          bestV = v;
          bestSubIsF = subIsF;
          bestDev = d;
          bestSpread = spread;
          bestChanges = changes;
        }
      }
    }
    if (bestV < 0 || bestDev > before + 1e-9 || bestChanges === 0) continue;
    const mark = ++stamp;
    side[bestV] = mark;
    for (let i = 1; i < size; i++) if (side[parent[order[i]]] === mark) side[order[i]] = mark;
    const subLabel = bestSubIsF ? f : g;
    const restLabel = bestSubIsF ? g : f;
    population[f] = 0;
    population[g] = 0;
    for (let i = 0; i < size; i++) {
      const v = order[i];
      const label = side[v] === mark ? subLabel : restLabel;
      a[v] = label;
      population[label] += problem.population[v];
      anyNode[label] = v;
    }
    deviation += bestDev - before;
  }
  deviation = 0;
  let outside = 0;
  for (let f = 0; f < k; f++) {
    const d = dev(f);
    deviation += d;
    if (d > 0) outside++;
  }
  return { assignment: a, deviation, outside };
}
