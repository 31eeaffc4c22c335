import type { Problem } from './problem.js';

/**
 * A plan under search, with everything the objective needs kept up to date move by move:
 * N(a,f) for every layer, each area's largest piece, footprint populations and cut edges. A move
 * touches only the areas of the moved node, so evaluating one costs O(pieces of the node × k)
 * rather than a recomputation of the whole table.
 */
export class PlanState {
  readonly problem: Problem;
  readonly assignment: Int32Array;
  readonly footprintPopulation: Float64Array;
  /** Per layer: N(a,f) at a*k+f. */
  private readonly tables: Float64Array[];
  /** Per layer: max_f N(a,f). */
  private readonly largest: Float64Array[];
  /** Per layer: Σ_a max_f N(a,f). */
  private readonly keptSum: Float64Array;
  /** Unit-level edges whose ends are in different footprints. */
  cutEdges: number;

  constructor(problem: Problem, assignment: ArrayLike<number>) {
    this.problem = problem;
    const k = problem.k;
    this.assignment = Int32Array.from(assignment);
    this.footprintPopulation = new Float64Array(k);
    for (let v = 0; v < problem.n; v++) this.footprintPopulation[this.assignment[v]] += problem.population[v];
    this.tables = problem.layers.map((layer) => {
      const table = new Float64Array(layer.areaIds.length * k);
      for (let v = 0; v < problem.n; v++) {
        const f = this.assignment[v];
        for (let p = layer.start[v]; p < layer.start[v + 1]; p++) table[layer.area[p] * k + f] += layer.pop[p];
      }
      return table;
    });
    this.largest = this.tables.map((table, l) => {
      const largest = new Float64Array(problem.layers[l].areaIds.length);
      for (let a = 0; a < largest.length; a++) {
        let m = 0;
        for (let f = 0; f < k; f++) if (table[a * k + f] > m) m = table[a * k + f];
        largest[a] = m;
      }
      return largest;
    });
    this.keptSum = Float64Array.from(this.largest, (largest) => largest.reduce((s, x) => s + x, 0));
    this.cutEdges = 0;
    for (let v = 0; v < problem.n; v++) {
      for (let i = problem.adjStart[v]; i < problem.adjStart[v + 1]; i++) {
        const w = problem.adjList[i];
        if (w > v && this.assignment[w] !== this.assignment[v]) this.cutEdges += problem.adjEdges[i];
      }
    }
  }

  /** S(L|F) of layer l. */
  split(l: number): number {
    const total = this.problem.layers[l].total;
    return total > 0 ? Math.max(0, total - this.keptSum[l]) / total : 0;
  }

  compactness(): number {
    return this.problem.unitEdges > 0 ? this.cutEdges / this.problem.unitEdges : 0;
  }

  objective(): number {
    let value = 0;
    for (let l = 0; l < this.problem.layers.length; l++) value += this.problem.layers[l].weight * this.split(l);
    return value + this.problem.compactnessWeight * this.compactness();
  }

  /** Change of the objective if node v moved to footprint `to`, without moving it. */
  deltaMove(v: number, to: number): number {
    const problem = this.problem;
    const k = problem.k;
    const from = this.assignment[v];
    if (from === to) return 0;
    let delta = 0;
    for (let l = 0; l < problem.layers.length; l++) {
      const layer = problem.layers[l];
      if (layer.weight === 0 || layer.total <= 0) continue;
      const table = this.tables[l];
      const largest = this.largest[l];
      let keptChange = 0;
      for (let p = layer.start[v]; p < layer.start[v + 1]; p++) {
        const a = layer.area[p];
        const x = layer.pop[p];
        const base = a * k;
        let m = 0;
        for (let f = 0; f < k; f++) {
          const value = f === from ? table[base + f] - x : f === to ? table[base + f] + x : table[base + f];
          if (value > m) m = value;
        }
        keptChange += m - largest[a];
      }
      delta -= (layer.weight * keptChange) / layer.total;
    }
    if (problem.compactnessWeight !== 0 && problem.unitEdges > 0) {
      let cutChange = 0;
      for (let i = problem.adjStart[v]; i < problem.adjStart[v + 1]; i++) {
        const g = this.assignment[problem.adjList[i]];
        const e = problem.adjEdges[i];
        if (g === from) cutChange += e;
        else if (g === to) cutChange -= e;
      }
      delta += (problem.compactnessWeight * cutChange) / problem.unitEdges;
    }
    return delta;
  }

  applyMove(v: number, to: number): void {
    const problem = this.problem;
    const k = problem.k;
    const from = this.assignment[v];
    if (from === to) return;
    for (let l = 0; l < problem.layers.length; l++) {
      const layer = problem.layers[l];
      const table = this.tables[l];
      const largest = this.largest[l];
      for (let p = layer.start[v]; p < layer.start[v + 1]; p++) {
        const a = layer.area[p];
        const base = a * k;
        table[base + from] -= layer.pop[p];
        table[base + to] += layer.pop[p];
        let m = 0;
        for (let f = 0; f < k; f++) if (table[base + f] > m) m = table[base + f];
        this.keptSum[l] += m - largest[a];
        largest[a] = m;
      }
    }
    for (let i = problem.adjStart[v]; i < problem.adjStart[v + 1]; i++) {
      const g = this.assignment[problem.adjList[i]];
      const e = problem.adjEdges[i];
      if (g === from) this.cutEdges += e;
      else if (g === to) this.cutEdges -= e;
    }
    this.footprintPopulation[from] -= problem.population[v];
    this.footprintPopulation[to] += problem.population[v];
    this.assignment[v] = to;
  }
}
