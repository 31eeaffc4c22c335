import type { Problem } from '../../plan/problem.js';
import { PlanState } from '../../plan/state.js';
import type { Random } from '../random.js';
import { randomSpanningTree, SpanningTrees, subtreeNodes, subtreePopulations } from './tree.js';

export interface LocalSearchOptions {
  /** Single-node moves tried (the run's length, so the result does not depend on machine speed). */
  iterations: number;
  /** Annealing temperature at the start and the end (geometric cooling), in objective units. */
  startTemperature: number;
  endTemperature: number;
  /** Try a recombination of two neighbouring footprints every this many moves (0: never). */
  recombineEvery: number;
  /**
   * Spanning trees a recombination may draw until one has an edge that splits the pair within the
   * bounds (default 1). Under tight bounds most trees have none (see restart.ts, tightBounds).
   */
  recombineTrees?: number;
  /** Stop early at this performance.now() time, whatever the iteration count (a safety cap). */
  deadline?: number;
}

export interface LocalSearchResult {
  assignment: Int32Array;
  objective: number;
  iterations: number;
  timedOut: boolean;
}

export const DEFAULT_LOCAL_SEARCH: LocalSearchOptions = {
  iterations: 400_000,
  startTemperature: 0.003,
  endTemperature: 0.00001,
  recombineEvery: 40,
};

/**
 * Simulated annealing over boundary moves (a node joins a neighbouring footprint, keeping both in
 * bounds and the donor connected), with recombination of two neighbouring footprints through a
 * random spanning tree as a large move. The best plan seen is returned.
 */
export class LocalSearch {
  private readonly problem: Problem;
  private readonly random: Random;
  private readonly stamp: Int32Array;
  private stampValue = 0;
  private readonly queue: Int32Array;
  /** Typed-array trees and scratch for recombineMany, made on first use. */
  private trees: SpanningTrees | null = null;
  private below: Float64Array | null = null;
  readonly state: PlanState;

  constructor(problem: Problem, start: ArrayLike<number>, random: Random) {
    this.problem = problem;
    this.random = random;
    this.state = new PlanState(problem, start);
    this.stamp = new Int32Array(problem.n);
    this.queue = new Int32Array(problem.n);
  }

  /** Whether footprint `from` stays connected without node v (it was connected before). */
  donorStaysConnected(v: number): boolean {
    const p = this.problem;
    const a = this.state.assignment;
    const from = a[v];
    let first = -1;
    let sameNeighbours = 0;
    for (let i = p.adjStart[v]; i < p.adjStart[v + 1]; i++) {
      if (a[p.adjList[i]] === from) {
        if (first < 0) first = p.adjList[i];
        sameNeighbours++;
      }
    }
    if (sameNeighbours <= 1) return sameNeighbours === 1;
    const mark = ++this.stampValue;
    this.stamp[v] = mark;
    this.stamp[first] = mark;
    let head = 0;
    let tail = 0;
    this.queue[tail++] = first;
    let found = 1;
    while (head < tail) {
      const x = this.queue[head++];
      for (let i = p.adjStart[x]; i < p.adjStart[x + 1]; i++) {
        const y = p.adjList[i];
        if (this.stamp[y] === mark || a[y] !== from) continue;
        this.stamp[y] = mark;
        this.queue[tail++] = y;
        // Early exit: once every same-footprint neighbour of v is reached, the rest hangs on them.
        if (isNeighbour(p, v, y) && ++found === sameNeighbours) return true;
      }
    }
    return found === sameNeighbours;
  }

  /** A random boundary move (node, target footprint) that keeps the plan feasible, or null. */
  private randomMove(): [number, number] | null {
    const p = this.problem;
    const a = this.state.assignment;
    const v = this.random.int(p.n);
    if (p.locked[v] >= 0) return null;
    const from = a[v];
    const degree = p.adjStart[v + 1] - p.adjStart[v];
    if (degree === 0) return null;
    const offset = this.random.int(degree);
    let to = -1;
    for (let j = 0; j < degree; j++) {
      const g = a[p.adjList[p.adjStart[v] + ((j + offset) % degree)]];
      if (g !== from) {
        to = g;
        break;
      }
    }
    if (to < 0) return null;
    const pop = p.population[v];
    if (this.state.footprintPopulation[from] - pop < p.min || this.state.footprintPopulation[to] + pop > p.max) return null;
    if (!this.donorStaysConnected(v)) return null;
    return [v, to];
  }

  /**
   * Merge two neighbouring footprints and re-split them along a random spanning tree; of a few
   * balanced cuts the best is kept if the annealing criterion accepts it.
   */
  recombine(temperature: number): boolean {
    const p = this.problem;
    const a = this.state.assignment;
    const pair = this.neighbouringPair();
    if (!pair) return false;
    const [f, g] = pair;
    const nodes: number[] = [];
    for (let x = 0; x < p.n; x++) if (a[x] === f || a[x] === g) nodes.push(x);
    const tree = randomSpanningTree(p, nodes, (x) => a[x] === f || a[x] === g, this.random);
    if (!tree) return false;
    const below = subtreePopulations(p, tree);
    const total = below.get(tree.order[0])!;
    const cuts = tree.order.slice(1).filter((x) => {
      const s = below.get(x)!;
      return s >= p.min && s <= p.max && total - s >= p.min && total - s <= p.max;
    });
    if (cuts.length === 0) return false;
    const before = this.state.objective();
    let best: { changes: Array<[number, number]>; value: number } | null = null;
    for (let t = 0; t < Math.min(4, cuts.length); t++) {
      const cut = cuts[this.random.int(cuts.length)];
      const side = new Set(subtreeNodes(tree, cut));
      for (const [inside, outside] of [[f, g], [g, f]]) {
        const changes: Array<[number, number]> = [];
        let lockedOk = true;
        for (const x of nodes) {
          const target = side.has(x) ? inside : outside;
          if (p.locked[x] >= 0 && p.locked[x] !== target) lockedOk = false;
          if (a[x] !== target) changes.push([x, target]);
        }
        if (!lockedOk || changes.length === 0) continue;
        const value = this.objectiveWith(changes);
        if (!best || value < best.value) best = { changes, value };
      }
    }
    return this.acceptRecombination(best, before, temperature);
  }

  /**
   * recombine() for tight bounds: up to `trees` spanning trees are drawn (typed arrays, see
   * SpanningTrees) until one has a balanced cut that changes the split; of up to four such cuts the
   * best is kept if the annealing criterion accepts it. A separate method so that the default
   * recombination, and the plans every seed gives with it, stay as they were.
   */
  recombineMany(temperature: number, trees: number): boolean {
    const p = this.problem;
    const a = this.state.assignment;
    const pair = this.neighbouringPair();
    if (!pair) return false;
    const [f, g] = pair;
    const pairPopulation = this.state.footprintPopulation[f] + this.state.footprintPopulation[g];
    if (pairPopulation < 2 * p.min || pairPopulation > 2 * p.max) return false;
    let count = 0;
    for (let x = 0; x < p.n; x++) if (a[x] === f || a[x] === g) this.queue[count++] = x;
    const nodes = this.queue.slice(0, count);
    const tree = (this.trees ??= new SpanningTrees(p));
    const below = (this.below ??= new Float64Array(p.n));
    const fits = (s: number) => s >= p.min && s <= p.max && pairPopulation - s >= p.min && pairPopulation - s <= p.max;
    const before = this.state.objective();
    let best: { changes: Array<[number, number]>; value: number } | null = null;
    const cuts: number[] = [];
    for (let drawn = 0; drawn < trees && !best; drawn++) {
      if (!tree.draw(nodes, this.random)) return false;
      const { order, parent, size } = tree;
      for (let i = 0; i < size; i++) below[order[i]] = p.population[order[i]];
      for (let i = size - 1; i > 0; i--) below[parent[order[i]]] += below[order[i]];
      cuts.length = 0;
      for (let i = 1; i < size; i++) if (fits(below[order[i]])) cuts.push(i);
      for (let t = 0; t < Math.min(4, cuts.length); t++) {
        const at = cuts[this.random.int(cuts.length)];
        // Order lists parents before children, so the subtree under order[at] follows it.
        const mark = ++this.stampValue;
        this.stamp[order[at]] = mark;
        for (let i = at + 1; i < size; i++) if (this.stamp[parent[order[i]]] === mark) this.stamp[order[i]] = mark;
        for (const [inside, outside] of [[f, g], [g, f]]) {
          const changes: Array<[number, number]> = [];
          let lockedOk = true;
          for (let i = 0; i < size; i++) {
            const x = order[i];
            const target = this.stamp[x] === mark ? inside : outside;
            if (p.locked[x] >= 0 && p.locked[x] !== target) lockedOk = false;
            if (a[x] !== target) changes.push([x, target]);
          }
          if (!lockedOk || changes.length === 0 || changes.length === size) continue;
          const value = this.objectiveWith(changes);
          if (!best || value < best.value) best = { changes, value };
        }
      }
    }
    return this.acceptRecombination(best, before, temperature);
  }

  /**
   * Two footprints that touch, found from a random node and its first neighbour in another
   * footprint; null when that node has none (one random draw either way).
   */
  private neighbouringPair(): [number, number] | null {
    const p = this.problem;
    const a = this.state.assignment;
    const v = this.random.int(p.n);
    for (let i = p.adjStart[v]; i < p.adjStart[v + 1]; i++) if (a[p.adjList[i]] !== a[v]) return [a[v], a[p.adjList[i]]];
    return null;
  }

    /** The objective with these node moves made, the plan left as it was. */
  private objectiveWith(changes: Array<[number, number]>): number {
    const a = this.state.assignment;
    const undo = changes.map(([x]) => [x, a[x]] as [number, number]);
    for (const [x, target] of changes) this.state.applyMove(x, target);
    const value = this.state.objective();
    for (let i = undo.length - 1; i >= 0; i--) this.state.applyMove(undo[i][0], undo[i][1]);
    return value;
  }

  /** The Metropolis rule on a recombination's best re-split: made when it improves, or by chance. */
  private acceptRecombination(best: { changes: Array<[number, number]>; value: number } | null, before: number, temperature: number): boolean {
    if (!best) return false;
    const delta = best.value - before;
    if (delta <= 0 || this.random.next() < Math.exp(-delta / temperature)) {
      for (const [x, target] of best.changes) this.state.applyMove(x, target);
      return true;
    }
    return false;
  }

  run(options: LocalSearchOptions): LocalSearchResult {
    let bestValue = this.state.objective();
    let best = Int32Array.from(this.state.assignment);
    const cooling = Math.pow(options.endTemperature / options.startTemperature, 1 / Math.max(1, options.iterations));
    let temperature = options.startTemperature;
    let i = 0;
    let timedOut = false;
    for (; i < options.iterations; i++) {
      if (options.deadline !== undefined && (i & 1023) === 0 && performance.now() > options.deadline) {
        timedOut = true;
        break;
      }
      temperature *= cooling;
      let moved = false;
      if (options.recombineEvery > 0 && i % options.recombineEvery === 0) moved = (options.recombineTrees ?? 1) > 1 ? this.recombineMany(temperature, options.recombineTrees!) : this.recombine(temperature);
      else {
        const move = this.randomMove();
        if (move) {
          const delta = this.state.deltaMove(move[0], move[1]);
          if (delta <= 0 || this.random.next() < Math.exp(-delta / temperature)) {
            this.state.applyMove(move[0], move[1]);
            moved = true;
          }
        }
      }
      if (moved) {
        const value = this.state.objective();
        if (value < bestValue - 1e-12) {
          bestValue = value;
          best = Int32Array.from(this.state.assignment);
        }
      }
    }
    return { assignment: best, objective: bestValue, iterations: i, timedOut };
  }
}

function isNeighbour(p: Problem, v: number, y: number): boolean {
  for (let i = p.adjStart[v]; i < p.adjStart[v + 1]; i++) if (p.adjList[i] === y) return true;
  return false;
}
