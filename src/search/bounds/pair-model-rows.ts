import type { Problem } from '../../plan/problem.js';
import { populationDistances } from '../paths.js';

/**
 * The columns and rows of the pair formulation (pair-model.ts, whose header states the maths), one
 * method per group of rows, named after its formula, called by buildPairModel in a fixed order
 * (columns and rows are numbered in that order, and HiGHS sees them so).
 */

/** Objective coefficients are scaled by this, so HiGHS's tolerances stay small against them. */
export const SCALE = 1e4;
/** Up to this many nodes every transitivity row is in the model from the start (3·C(20,3) = 3,420 rows). */
const FULL_TRANSITIVITY_NODES = 20;
export const EPS = 1e-6;

export interface Built {
  numCols: number;
  pairIndex: (u: number, v: number) => number;
  /** s columns per unordered pair (−1 when the pair is fixed apart and has no column). */
  pairCol: Int32Array;
  integerCols: number[];
  offset: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rows: Array<{ lower: number; upper: number; index: number[]; value: number[] }>;
  areas: Array<{ nodes: number[]; pieces: number[]; home: number[]; t: Array<{ i: number; j: number; col: number }> }>;
  apart: number;
}

export function buildPairModel(problem: Problem): Built {
  const model = new PairModelBuilder(problem);
  model.pairColumns();
  model.compactness();
  model.footprintPopulation();
  model.footprintCount();
  if (problem.n <= FULL_TRANSITIVITY_NODES) model.transitivity();
  model.splitTerms();
  return model.built();
}

class PairModelBuilder {
  readonly n: number;
  readonly pairCol: Int32Array;
  readonly costs: number[] = [];
  readonly lower: number[] = [];
  readonly upper: number[] = [];
  readonly integerCols: number[] = [];
  readonly rows: Built['rows'] = [];
  readonly areas: Built['areas'] = [];
  /** The objective's constant part (scaled back): what every plan pays before the columns' terms. */
  offset = 0;
  /** Pairs fixed apart (no column). */
  apart = 0;

  constructor(readonly problem: Problem) {
    const { n } = problem;
    this.n = n;
    this.pairCol = new Int32Array((n * (n - 1)) / 2).fill(-1);
  }

  readonly pairIndex = (u: number, v: number): number => {
    const a = Math.min(u, v);
    const b = Math.max(u, v);
    return (a * (2 * this.n - a - 1)) / 2 + (b - a - 1);
  };

  /** The column of s(u,v), −1 when the pair is fixed apart. */
  private s(u: number, v: number): number {
    return this.pairCol[this.pairIndex(u, v)];
  }

  private addCol(cost: number, lo: number, hi: number, integer: boolean): number {
    this.costs.push(cost);
    this.lower.push(lo);
    this.upper.push(hi);
    if (integer) this.integerCols.push(this.costs.length - 1);
    return this.costs.length - 1;
  }

  /**
   * s(u,v) per pair; reach and locks: s(u,v) = 0 (no column) when every path from u to v holds more
   * than max residents, when u and v hold two different locks, or when the two alone exceed max;
   * s(u,v) = 1 within a lock.
   */
  pairColumns(): void {
    const { n, problem } = this;
    const pop = problem.population;
    const reach = populationDistances(problem);
    for (let u = 0; u < n; u++) {
      for (let v = u + 1; v < n; v++) {
        const lu = problem.locked[u];
        const lv = problem.locked[v];
        if (reach[u * n + v] > problem.max + EPS || (lu >= 0 && lv >= 0 && lu !== lv) || pop[u] + pop[v] > problem.max + EPS) {
          this.apart++;
          continue;
        }
        const same = lu >= 0 && lu === lv;
        this.pairCol[this.pairIndex(u, v)] = this.addCol(0, same ? 1 : 0, 1, true);
      }
    }
  }

  /** Compactness, exact: c·Σ_e e(u,v)(1 − s(u,v))/E (every edge costs until its ends share a footprint). */
  compactness(): void {
    const { n, problem } = this;
    if (!(problem.compactnessWeight > 0 && problem.unitEdges > 0)) return;
    for (let u = 0; u < n; u++) {
      for (let e = problem.adjStart[u]; e < problem.adjStart[u + 1]; e++) {
        const v = problem.adjList[e];
        if (v <= u) continue;
        const w = (problem.compactnessWeight * problem.adjEdges[e]) / problem.unitEdges;
        this.offset += w;
        const c = this.s(u, v);
        if (c >= 0) this.costs[c] -= w * SCALE;
      }
    }
  }

  /** min ≤ pop(u) + Σ_v pop(v) s(u,v) ≤ max for every u (u's footprint is in bounds). */
  footprintPopulation(): void {
    const { n, problem } = this;
    const pop = problem.population;
    for (let u = 0; u < n; u++) {
      const index: number[] = [];
      const value: number[] = [];
      for (let v = 0; v < n; v++) {
        if (v === u) continue;
        const c = this.s(u, v);
        if (c >= 0) {
          index.push(c);
          value.push(pop[v]);
        }
      }
      this.rows.push({ lower: problem.min - pop[u], upper: problem.max - pop[u], index, value });
    }
  }

  /**
   * Footprint count through representatives (the lowest node of each footprint): Σ_v r(v) = k,
   * r(v) + s(u,v) ≤ 1 (u < v), r(v) + Σ_{u<v} s(u,v) ≥ 1; node 0 represents its footprint.
   */
  footprintCount(): void {
    const { n, rows } = this;
    const rep: number[] = [];
    for (let v = 0; v < n; v++) rep.push(this.addCol(0, v === 0 ? 1 : 0, 1, false));
    rows.push({ lower: this.problem.k, upper: this.problem.k, index: rep, value: rep.map(() => 1) });
    for (let v = 1; v < n; v++) {
      const index = [rep[v]];
      const value = [1];
      for (let u = 0; u < v; u++) {
        const c = this.s(u, v);
        if (c < 0) continue;
        index.push(c);
        value.push(1);
        rows.push({ lower: -Infinity, upper: 1, index: [rep[v], c], value: [1, 1] });
      }
      rows.push({ lower: 1, upper: Infinity, index, value });
    }
  }

  /**
   * Transitivity, every row at once: s(u,v) + s(v,w) − s(u,w) ≤ 1. For small instances only:
   * cheaper than finding them a round at a time; larger ones add the violated rows (pair-model.ts).
   */
  transitivity(): void {
    const { n, rows } = this;
    for (let u = 0; u < n; u++) {
      for (let v = u + 1; v < n; v++) {
        for (let w = v + 1; w < n; w++) {
          const uv = this.s(u, v);
          const uw = this.s(u, w);
          const vw = this.s(v, w);
          for (const [a, b, c] of [[uv, uw, vw], [uv, vw, uw], [uw, vw, uv]]) {
            if (a < 0 || b < 0) continue;
            rows.push(c >= 0 ? { lower: -Infinity, upper: 1, index: [a, b, c], value: [1, 1, -1] } : { lower: -Infinity, upper: 1, index: [a, b], value: [1, 1] });
          }
        }
      }
    }
  }

  /**
   * Split terms: for each weighted layer, the residents kept in their area's home footprint; an
   * area held by one node is kept whole (constant), the others get homeRows.
   */
  splitTerms(): void {
    const { n } = this;
    this.problem.layers.forEach((layer) => {
      if (layer.weight === 0 || layer.total <= 0) return;
      const byArea = new Map<number, Array<[number, number]>>();
      for (let v = 0; v < n; v++) {
        for (let p = layer.start[v]; p < layer.start[v + 1]; p++) {
          if (layer.pop[p] <= 0) continue;
          const list = byArea.get(layer.area[p]) ?? [];
          list.push([v, layer.pop[p]]);
          byArea.set(layer.area[p], list);
        }
      }
      const coefficient = layer.weight / layer.total;
      let kept = 0;
      for (const [, list] of [...byArea].sort((a, b) => a[0] - b[0])) {
        if (list.length < 2) {
          kept += list[0][1];
          continue;
        }
        this.homeRows(list, coefficient);
      }
      this.offset += coefficient * (layer.total - kept);
    });
  }

  /**
   * An area held by nodes 1..m with pieces p_i: its home footprint is named by its largest piece
   * there, h(a,i) ∈ {0,1} with Σ_i h(a,i) = 1 and h(a,i) + s(i,j) ≤ 1 for every j ranked above i
   * (larger piece, ties by index); residents kept = Σ_i p_i h(a,i) + Σ_{i, j below i} p_j t(a,i,j),
   * t ≤ h(a,i), t ≤ s(i,j).
   */
  private homeRows(list: Array<[number, number]>, coefficient: number): void {
    const { rows } = this;
    // Ranked by piece, largest first (ties: lower node).
    list.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const nodes = list.map(([v]) => v);
    const pieces = list.map(([, q]) => q);
    const home = nodes.map((_, i) => this.addCol(-coefficient * pieces[i] * SCALE, 0, 1, true));
    rows.push({ lower: 1, upper: 1, index: home, value: home.map(() => 1) });
    const t: Built['areas'][number]['t'] = [];
    for (let i = 0; i < nodes.length; i++) {
      for (let j = 0; j < nodes.length; j++) {
        if (j === i) continue;
        const c = this.s(nodes[i], nodes[j]);
        if (c < 0) continue;
        if (j < i) {
          // A larger piece shares i's footprint: then i does not name the home.
          rows.push({ lower: -Infinity, upper: 1, index: [home[i], c], value: [1, 1] });
        } else {
          const col = this.addCol(-coefficient * pieces[j] * SCALE, 0, 1, false);
          rows.push({ lower: -Infinity, upper: 0, index: [col, home[i]], value: [1, -1] });
          rows.push({ lower: -Infinity, upper: 0, index: [col, c], value: [1, -1] });
          t.push({ i, j, col });
        }
      }
    }
    this.areas.push({ nodes, pieces, home, t });
  }

  built(): Built {
    return {
      numCols: this.costs.length,
      pairIndex: this.pairIndex,
      pairCol: this.pairCol,
      integerCols: this.integerCols,
      offset: this.offset,
      colCost: Float64Array.from(this.costs),
      colLower: Float64Array.from(this.lower),
      colUpper: Float64Array.from(this.upper),
      rows: this.rows,
      areas: this.areas,
      apart: this.apart,
    };
  }
}
