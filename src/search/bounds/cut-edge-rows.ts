import type { Problem } from '../../plan/problem.js';
import type { Row } from './row-generation.js';
import { populationDistances, populationDistancesFrom } from '../paths.js';

/**
 * The columns and rows of the cut-edge model (cut-edge-model.ts, whose header states the maths),
 * one method per group of rows, named after its formula. The model is built by calling them in
 * the order cutModel does: rows are numbered in that order, and HiGHS sees them so.
 *
 * Columns, per node v and footprint f: x(v,f) (v in f), r(v,f) (v is f's root), s(v,f) and
 * w(v,f) (the orbitope's partial sums), u(v,f) (its unit flow); per edge e and footprint f: z(e,f)
 * (e leaves f); with boundary rows, per footprint: b(f) (its boundary).
 */
export class CutModelBuilder {
  readonly n: number;
  readonly k: number;
  readonly nk: number;
  /** Edges {u, v} with u < v, and their weights. */
  readonly edges: Array<[number, number, number]> = [];
  /** position[v]: v's place in the node order. */
  readonly position: Int32Array;
  readonly numCols: number;
  readonly colCost: Float64Array;
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  readonly rows: Row[] = [];
  /** Variables fixed so far (fixZero, fixOne). */
  fixed = 0;

  readonly xCol = (v: number, f: number): number => v * this.k + f;
  readonly rCol = (v: number, f: number): number => this.nk + v * this.k + f;
  readonly sCol = (v: number, f: number): number => 2 * this.nk + v * this.k + f;
  readonly uCol = (v: number, f: number): number => 3 * this.nk + v * this.k + f;
  readonly wCol = (v: number, f: number): number => 4 * this.nk + v * this.k + f;
  readonly zCol = (e: number, f: number): number => 5 * this.nk + e * this.k + f;
  /** b(f): footprint f's boundary, only with boundary rows. */
  readonly bCol = (f: number): number => 5 * this.nk + this.edges.length * this.k + f;

  constructor(
    readonly problem: Problem,
    readonly order: Int32Array,
    withBoundary: boolean,
  ) {
    const { n, k } = problem;
    this.n = n;
    this.k = k;
    this.nk = n * k;
    this.position = new Int32Array(n);
    order.forEach((v, p) => (this.position[v] = p));
    for (let u = 0; u < n; u++) for (let e = problem.adjStart[u]; e < problem.adjStart[u + 1]; e++) if (problem.adjList[e] > u) this.edges.push([u, problem.adjList[e], problem.adjEdges[e]]);
    const mk = this.edges.length * k;
    this.numCols = 5 * this.nk + mk + (withBoundary ? k : 0);
    this.colCost = new Float64Array(this.numCols);
    this.colLower = new Float64Array(this.numCols);
    this.colUpper = new Float64Array(this.numCols).fill(1);
    for (let j = 2 * this.nk; j < 5 * this.nk; j++) this.colUpper[j] = Infinity;
    // The objective: cut edges = Σ_e weight(e) Σ_f z(e,f).
    this.edges.forEach(([, , weight], e) => {
      for (let f = 0; f < k; f++) this.colCost[this.zCol(e, f)] = weight;
    });
  }

  private row(lower: number, upper: number, terms: Array<[number, number]>): void {
    this.rows.push({ lower, upper, index: terms.map((t) => t[0]), value: terms.map((t) => t[1]) });
  }

  private fixZero(col: number): void {
    if (this.colUpper[col] > 0 && this.colLower[col] === 0) {
      this.colUpper[col] = 0;
      this.fixed++;
    }
  }

  private fixOne(col: number): void {
    if (this.colLower[col] < 1) {
      this.colLower[col] = 1;
      this.fixed++;
    }
  }

  /** Σ_f x(v,f) = 1: each node in one footprint. */
  oneFootprintPerNode(): void {
    const { n, k, xCol } = this;
    for (let v = 0; v < n; v++) this.row(1, 1, Array.from({ length: k }, (_, f) => [xCol(v, f), 1] as [number, number]));
  }

  /** min ≤ Σ_v pop(v) x(v,f) ≤ max. */
  populationBounds(): void {
    const { n, k, xCol, problem } = this;
    for (let f = 0; f < k; f++) this.row(problem.min, problem.max, Array.from({ length: n }, (_, v) => [xCol(v, f), problem.population[v]] as [number, number]));
  }

  /** z(e,f) ≥ x(u,f) − x(v,f) for each edge e = {u,v}. */
  cutEdges(): void {
    const { k, xCol, zCol } = this;
    this.edges.forEach(([u, v], e) => {
      for (let f = 0; f < k; f++) this.row(0, Infinity, [[zCol(e, f), 1], [xCol(u, f), -1], [xCol(v, f), 1]]);
    });
  }

  /**
   * The orbitope's extended formulation (Faenza and Kaibel), as Validi and Buchanan write it:
   * s(v,f) = Σ_{g ≥ f} x(v,g), w(v,f) = Σ_{p ≤ position(v)} r(order_p, f), s ≤ w, r ≤ x, and a unit
   * flow u through the (position, footprint) grid whose steps are the roots, so footprint f's root
   * comes before footprint f+1's; the first node of the order roots footprint 0.
   */
  orbitope(): void {
    const { n, k, order, xCol, rCol, sCol, uCol, wCol } = this;
    const row = this.row.bind(this);
    for (let v = 0; v < n; v++) {
      for (let f = 0; f < k; f++) {
        row(0, 0, f < k - 1 ? [[xCol(v, f), 1], [sCol(v, f), -1], [sCol(v, f + 1), 1]] : [[xCol(v, f), 1], [sCol(v, f), -1]]);
        row(-Infinity, 0, [[rCol(v, f), 1], [xCol(v, f), -1]]);
        row(-Infinity, 0, [[sCol(v, f), 1], [wCol(v, f), -1]]);
      }
    }
    for (let p = 0; p < n; p++) {
      const v = order[p];
      for (let f = 0; f < k; f++) row(0, 0, p === 0 ? [[rCol(v, f), 1], [wCol(v, f), -1]] : [[rCol(v, f), 1], [wCol(v, f), -1], [wCol(order[p - 1], f), 1]]);
    }
    for (let p = 0; p < n - 1; p++) {
      const v = order[p];
      const next = order[p + 1];
      for (let f = 0; f < k - 1; f++) row(0, 0, [[uCol(v, f), 1], [rCol(v, f), 1], [uCol(next, f), -1], [rCol(next, f + 1), -1]]);
      row(0, 0, [[uCol(v, k - 1), 1], [rCol(v, k - 1), 1], [uCol(next, k - 1), -1]]);
    }
    const last = order[n - 1];
    for (let f = 0; f < k - 1; f++) row(0, 0, [[uCol(last, f), 1], [rCol(last, f), 1]]);
    row(1, 1, [[uCol(last, k - 1), 1], [rCol(last, k - 1), 1]]);
    this.colLower[rCol(order[0], 0)] = 1;
  }

  /**
   * Diagonal and L-fixing: footprint f's root is at position ≥ f, at a node that may root, and the
   * k − 1 − f footprints after f need roots at later positions that can root; r(v,f) = 0 otherwise.
   * Returns the number of nodes that may root.
   */
  rootFixings(roots: RootAnalysis): number {
    const { n, k, order, rCol } = this;
    let count = 0;
    for (let p = 0; p < n; p++) {
      if (roots.canRoot[p]) count++;
      for (let f = 0; f < k; f++) if (!mayRoot(roots, k, p, f)) this.fixZero(rCol(order[p], f));
    }
    return count;
  }

  /**
   * x(v,f) ≤ Σ r(order_p, f) over the positions p ≤ position(v) that may root f and reach v within
   * `max` residents through the later nodes; x(v,f) = 0 when none can.
   */
  reachableRoots(roots: RootAnalysis): void {
    const { n, k, order, position, xCol, rCol, problem } = this;
    for (let v = 0; v < n; v++) {
      for (let f = 0; f < k; f++) {
        const terms: Array<[number, number]> = [];
        for (let p = 0; p <= position[v]; p++) if (mayRoot(roots, k, p, f) && roots.reach[p]![v] <= problem.max) terms.push([rCol(order[p], f), -1]);
        if (terms.length === 0) this.fixZero(xCol(v, f));
        else this.row(-Infinity, 0, [[xCol(v, f), 1], ...terms]);
      }
    }
  }

  /**
   * U-fixing: while each next node of the order is too far, in population along any path, from
   * every earlier one to share a footprint, it roots the next footprint: r(order_j, j) = x(order_j, j) = 1.
   */
  uFixing(): void {
    const { n, k, order, xCol, rCol, problem } = this;
    const distance = populationDistances(problem);
    for (let j = 0; j < k && j < n; j++) {
      const v = order[j];
      let alone = true;
      for (let t = 0; t < j && alone; t++) if (distance[order[t] * n + v] <= problem.max) alone = false;
      if (!alone) break;
      this.fixOne(rCol(v, j));
      this.fixOne(xCol(v, j));
      for (let g = 0; g < k; g++) if (g !== j) this.fixZero(xCol(v, g));
      for (let i = 0; i < n; i++) if (i !== v) this.fixZero(rCol(i, j));
    }
  }

  /**
   * Boundary rows: Σ_f b(f) = 2·Σ_e w(e)·Σ_f z(e,f); b(f) ≥ β(v)·x(v,f); b(f) ≥ Σ_ρ β(ρ)·r(ρ,f);
   * max·b(f) ≥ Σ_v pop(v)·β(v)·x(v,f).
   * At a plan each cut edge leaves one footprint and enters another, hence the first. A plan's
   * footprint is connected and within [min, max], so its boundary is at least β(v) for each member
   * v (exact/boundary.ts), hence the second and (one root) the third; the population-weighted mean
   * of its members' β is at most their largest and the footprint holds at most max residents, hence
   * the last, which holds a spread-out fractional footprint to account, where the first two need x
   * or r near 1. Tying b(f) to f's own edges (two-sided z) gave the same bounds at twice the time
   * per node.
   */
  boundaryRows(beta: ArrayLike<number>): void {
    const { n, k, xCol, rCol, zCol, bCol, colUpper, problem } = this;
    const total: Array<[number, number]> = Array.from({ length: k }, (_, f) => [bCol(f), 1] as [number, number]);
    this.edges.forEach(([, , weight], e) => {
      for (let f = 0; f < k; f++) total.push([zCol(e, f), -2 * weight]);
    });
    this.row(0, 0, total);
    for (let f = 0; f < k; f++) {
      colUpper[bCol(f)] = Infinity;
      for (let v = 0; v < n; v++) if (colUpper[xCol(v, f)] > 0 && beta[v] > 0) this.row(0, Infinity, [[bCol(f), 1], [xCol(v, f), -beta[v]]]);
      const roots: Array<[number, number]> = [[bCol(f), 1]];
      for (let v = 0; v < n; v++) if (colUpper[rCol(v, f)] > 0 && beta[v] > 0) roots.push([rCol(v, f), -beta[v]]);
      this.row(0, Infinity, roots);
      const mean: Array<[number, number]> = [[bCol(f), problem.max]];
      for (let v = 0; v < n; v++) if (colUpper[xCol(v, f)] > 0 && beta[v] > 0) mean.push([xCol(v, f), -problem.population[v] * beta[v]]);
      this.row(0, Infinity, mean);
    }
  }

  /** The columns of a contiguous plan, its footprints labelled by their roots' order. */
  columnsOf(assignment: ArrayLike<number>, withBoundary: boolean): Float64Array {
    const { n, k, order, edges, xCol, rCol, sCol, uCol, wCol, zCol, bCol } = this;
    const label = new Int32Array(n).fill(-1);
    const map = new Map<number, number>();
    for (const v of order) {
      if (!map.has(assignment[v])) map.set(assignment[v], map.size);
      label[v] = map.get(assignment[v])!;
    }
    const values = new Float64Array(this.numCols);
    const running = new Float64Array(k);
    let latest = -1;
    for (const v of order) {
      const f = label[v];
      values[xCol(v, f)] = 1;
      for (let g = 0; g <= f; g++) values[sCol(v, g)] = 1;
      if (running[f] === 0) {
        values[rCol(v, f)] = 1;
        running[f] = 1;
        latest = f;
      }
      for (let g = 0; g < k; g++) {
        values[wCol(v, g)] = running[g];
        values[uCol(v, g)] = (g === latest ? 1 : 0) - values[rCol(v, g)];
      }
    }
    edges.forEach(([u, v], e) => {
      for (let f = 0; f < k; f++) {
        values[zCol(e, f)] = Math.max(0, values[xCol(u, f)] - values[xCol(v, f)]);
        if (withBoundary) values[bCol(f)] += edges[e][2] * Math.abs(values[xCol(u, f)] - values[xCol(v, f)]);
      }
    });
    return values;
  }
}

/** Which positions of the node order may root a footprint, and how far (in residents) each reaches. */
export interface RootAnalysis {
  /** canRoot[p]: the node at position p may root a footprint. */
  canRoot: Uint8Array;
  /** rootsAfter[p]: positions ≥ p that may root. */
  rootsAfter: Int32Array;
  /** reach[p][v]: the fewest residents on a path from order_p to v through the nodes at or after p (null when p cannot root). */
  reach: Array<Float64Array | null>;
}

/** Position p may root footprint f: it can root, f ≤ p (diagonal), and enough later positions can root the footprints after f. */
function mayRoot(roots: RootAnalysis, k: number, p: number, f: number): boolean {
  return roots.canRoot[p] === 1 && f <= p && k - 1 - f <= roots.rootsAfter[p + 1];
}

/**
 * Which nodes may root a footprint, for a node order: a root's footprint lies among the nodes at or
 * after it, connected to it, with at least `min` residents (L-fixing, checked at every position), and
 * for each that may, the fewest residents on a path from it to every node through the nodes at or
 * after it (a node further than `max` can never share its footprint).
 */
export function rootAnalysis(problem: Problem, order: Int32Array): RootAnalysis {
  const { n, min } = problem;
  const later = new Uint8Array(n);
  const canRoot = new Uint8Array(n);
  for (let p = n - 1; p >= 0; p--) {
    later[order[p]] = 1;
    canRoot[p] = reachablePopulation(problem, later, order[p]) >= min ? 1 : 0;
  }
  const rootsAfter = new Int32Array(n + 1);
  for (let p = n - 1; p >= 0; p--) rootsAfter[p] = rootsAfter[p + 1] + canRoot[p];
  const reach: Array<Float64Array | null> = Array.from({ length: n }, () => null);
  const allowed = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    if (!canRoot[p]) continue;
    allowed.fill(0);
    for (let i = p; i < n; i++) allowed[order[i]] = 1;
    reach[p] = populationDistancesFrom(problem, order[p], new Float64Array(n), { countSource: true, allowed });
  }
  return { canRoot, rootsAfter, reach };
}

/** Residents reachable from v through nodes marked in `allowed` (v included when allowed). */
export function reachablePopulation(problem: Problem, allowed: Uint8Array, v: number): number {
  if (!allowed[v]) return 0;
  const seen = new Uint8Array(problem.n);
  const stack = [v];
  seen[v] = 1;
  let total = 0;
  while (stack.length > 0) {
    const x = stack.pop()!;
    total += problem.population[x];
    for (let e = problem.adjStart[x]; e < problem.adjStart[x + 1]; e++) {
      const y = problem.adjList[e];
      if (allowed[y] && !seen[y]) {
        seen[y] = 1;
        stack.push(y);
      }
    }
  }
  return total;
}
