import { loadHighs } from './highs.js';
import { solveWithRowGeneration, type Row, type RowModel } from './row-generation.js';
import type { Problem } from '../../plan/problem.js';
import { footprintSeparatorRows } from './separation.js';
import { pastDeadline, type Race } from '../race.js';


/**
 * A lower bound from the home relaxation: each area's home footprint is a whole decision, while
 * nodes may be shared out between footprints in any fractions. What a split costs is decided by
 * which footprint each area calls home, and the residents of a node that two differently-homed
 * areas share can keep only one of them whole; fractional nodes let population balance bind only
 * as much as it must. Contiguity and compactness are left out (both only add to the objective).
 *
 *   x(v,f) ∈ [0,1], Σ_f x(v,f) = 1;  min ≤ Σ_v pop(v) x(v,f) ≤ max;
 *   per area a of layer L held by two or more nodes: h(a,f) ∈ {0,1}, Σ_f h(a,f) = 1,
 *   0 ≤ y(a,f) ≤ Σ_v p(v,a) x(v,f),  y(a,f) ≤ N_a h(a,f);
 *   maximise Σ_L (w_L/N_L) Σ y,  so objective ≥ Σ_L w_L (N_L − single-node areas)/N_L − that maximum.
 *
 * Every plan is a point of it (x whole, h the home of each area), so its optimum is a lower bound.
 * With the nodes fractional only the homes branch: the labelled model (label-model.ts) branches on
 * n·k node variables and on Oldham's LSOAs did not close in ten minutes, while this one is solved
 * (0.0593 against the best plan's 0.0609) in under a minute. Footprints are unlabelled, so without
 * locks areas are ordered largest first and area i may be home in footprint f ≥ 1 only once an
 * earlier area is home in f−1 (footprints that are home to no area come last): k! copies removed.
 *
 * With `wholeNodes` the x are binary too and cut edges enter (cut(u,v) ≥ |x(u,f) − x(v,f)|): the
 * plan problem without contiguity, exactly. Branching on the homes first, it proved a synthetic
 * 100-unit borough optimal where the labelled model left a wide gap (docs/benchmarks.md).
 */
export interface HomeBoundOptions {
  /** Branch-and-bound nodes HiGHS may explore: a deterministic budget, so results repeat. */
  nodes: number;
  /** Safety cap in milliseconds (the bound stays valid when it stops the solver). */
  timeLimitMs?: number;
  /** Stops, as at the time limit, once this race is over (race.ts): a proof came from another thread. */
  race?: Race;
  /** A node-level plan to start from, so HiGHS prunes against it. */
  incumbent?: Int32Array;
  /** Its objective: the rounds stop once the bound reaches it (the plan is then optimal). */
  incumbentObjective?: number;
  /**
   * Contiguity cuts: after each solve, the separator inequalities its optimum breaks (per footprint,
   * x(a,f) + x(b,f) − Σ_{c∈S} x(c,f) ≤ 1 for an a–b separator S) are added and the model solved
   * again, until none is broken, the node budget (shared by the solves) or time runs out.
   */
  contiguity?: boolean;
  /** Solves at most per pass, with contiguity cuts (default 50). */
  rounds?: number;
  /**
   * Nodes whole as well (x binary): the plan problem without contiguity, with compactness counted,
   * and the areas' order still breaking the footprints' symmetry. Stronger, slower; see optimise.
   */
  wholeNodes?: boolean;
}

export interface HomeBoundResult {
  /** Proven lower bound on the objective (0 when nothing better is proven). */
  bound: number;
  /** HiGHS solved the relaxation: the bound is its optimum. */
  solved: boolean;
  nodes: number;
  /** Areas with a home decision (held by two or more nodes); 0 means there was nothing to solve. */
  areas: number;
  /** Solves, and contiguity cuts added between them. */
  rounds: number;
  cuts: number;
  /** Nodes made whole because an optimum shared them out (with contiguity cuts; see homeBound). */
  wholeNodes: number;
  ms: number;
  timeLimitHit: boolean;
  /**
   * A plan: the relaxation's optimum when it shares out no node and breaks no contiguity row, so it
   * is a contiguous plan within the bounds, optimal for the split terms. Null otherwise.
   */
  assignment: Int32Array | null;
}

/** The objective is scaled so coefficients are near 1 (HiGHS tolerances are absolute). */
const SCALE = 1e4;
/** Contiguity cuts added per footprint and solve, most violated first. */
const CUTS_PER_FOOTPRINT = 60;
/** Taken off the dual bound so that solver round-off never lifts it above the true optimum. */
const SAFETY = 1e-9;

interface HomeArea {
  layer: number;
  total: number;
  /** Nodes holding the area, and p(v, a) for each. */
  nodes: number[];
  pieces: number[];
  /** w_L / N_L, scaled. */
  coefficient: number;
}

interface HomeModel extends RowModel {
  xCol: (v: number, f: number) => number;
  /** Σ_L w_L (N_L − residents in single-node areas) / N_L. */
  offset: number;
  areas: HomeArea[];
  start: (assignment: Int32Array) => Float64Array;
}

function multiNodeAreas(problem: Problem): { areas: HomeArea[]; offset: number } {
  const areas: HomeArea[] = [];
  let offset = 0;
  problem.layers.forEach((layer, li) => {
    if (!(layer.weight > 0) || !(layer.total > 0)) return;
    const byArea = new Map<number, HomeArea>();
    for (let v = 0; v < problem.n; v++) {
      for (let p = layer.start[v]; p < layer.start[v + 1]; p++) {
        if (!(layer.pop[p] > 0)) continue;
        let area = byArea.get(layer.area[p]);
        if (!area) byArea.set(layer.area[p], (area = { layer: li, total: 0, nodes: [], pieces: [], coefficient: (layer.weight * SCALE) / layer.total }));
        area.nodes.push(v);
        area.pieces.push(layer.pop[p]);
        area.total += layer.pop[p];
      }
    }
    let singleKept = 0;
    for (const [, area] of [...byArea].sort((a, b) => a[0] - b[0])) {
      if (area.nodes.length < 2) singleKept += area.total;
      else areas.push(area);
    }
    offset += (layer.weight * (layer.total - singleKept)) / layer.total;
  });
  // Largest first: the ordering rows then fix the biggest decisions at the root.
  areas.sort((a, b) => b.total - a.total || a.layer - b.layer || a.nodes[0] - b.nodes[0]);
  return { areas, offset };
}

/** Areas the home relaxation decides (weighted, held by two or more nodes); with none it has nothing to prove. */
export function homeAreaCount(problem: Problem): number {
  return multiNodeAreas(problem).areas.length;
}

/**
 * Σ_L w_L (N_L − residents in single-node areas) / N_L: the split terms when every area held by two
 * or more nodes is split, so with no such area (homeAreaCount 0) the split terms of every plan.
 */
export function splitOffset(problem: Problem): number {
  return multiNodeAreas(problem).offset;
}

function homeModel(problem: Problem, wholeNodes: boolean): HomeModel {
  const { n, k, min, max } = problem;
  const { areas, offset } = multiNodeAreas(problem);
  const hasLocks = problem.locked.some((f) => f >= 0);
  const A = areas.length;
  // Columns: x(v,f) | h(i,f) | y(i,f) | c(i,f) = Σ_{j ≤ i} h(j,f) (ordering only).
  const xCol = (v: number, f: number) => v * k + f;
  const hCol = (i: number, f: number) => n * k + i * k + f;
  const yCol = (i: number, f: number) => n * k + A * k + i * k + f;
  const cCol = (i: number, f: number) => n * k + 2 * A * k + i * k + f;
  // Cut edges count only when nodes are whole: with fractions every footprint may hold the same share of every node.
  const edges: Array<[number, number, number]> = [];
  if (wholeNodes && problem.compactnessWeight > 0 && problem.unitEdges > 0) {
    for (let u = 0; u < n; u++) for (let e = problem.adjStart[u]; e < problem.adjStart[u + 1]; e++) if (problem.adjList[e] > u) edges.push([u, problem.adjList[e], problem.adjEdges[e]]);
  }
  const eCol = (i: number) => n * k + 3 * A * k + i;
  const numCols = n * k + 3 * A * k + edges.length;
  const colCost = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(1);
  const rows: Row[] = [];
  for (let v = 0; v < n; v++) {
    rows.push({ lower: 1, upper: 1, index: Array.from({ length: k }, (_, f) => xCol(v, f)), value: new Array<number>(k).fill(1) });
    if (problem.locked[v] >= 0) rows.push({ lower: 1, upper: 1, index: [xCol(v, problem.locked[v])], value: [1] });
  }
  for (let f = 0; f < k; f++) rows.push({ lower: min, upper: max, index: Array.from({ length: n }, (_, v) => xCol(v, f)), value: Array.from(problem.population) });
  areas.forEach((area, i) => {
    for (let f = 0; f < k; f++) {
      colUpper[yCol(i, f)] = area.total;
      // Maximising kept residents, written as minimising their negative.
      colCost[yCol(i, f)] = -area.coefficient;
      rows.push({ lower: -Infinity, upper: 0, index: [yCol(i, f), ...area.nodes.map((v) => xCol(v, f))], value: [1, ...area.pieces.map((q) => -q)] });
      rows.push({ lower: -Infinity, upper: 0, index: [yCol(i, f), hCol(i, f)], value: [1, -area.total] });
    }
    rows.push({ lower: 1, upper: 1, index: Array.from({ length: k }, (_, f) => hCol(i, f)), value: new Array<number>(k).fill(1) });
    if (!hasLocks) {
      for (let f = 0; f < k; f++) {
        colUpper[cCol(i, f)] = i + 1;
        rows.push({ lower: 0, upper: 0, index: i > 0 ? [cCol(i, f), hCol(i, f), cCol(i - 1, f)] : [cCol(i, f), hCol(i, f)], value: i > 0 ? [1, -1, -1] : [1, -1] });
        if (f > 0) rows.push({ lower: -Infinity, upper: 0, index: i > 0 ? [hCol(i, f), cCol(i - 1, f - 1)] : [hCol(i, f)], value: i > 0 ? [1, -1] : [1] });
      }
    }
  });
  edges.forEach(([u, v, count], i) => {
    colCost[eCol(i)] = (problem.compactnessWeight * count * SCALE) / problem.unitEdges;
    for (let f = 0; f < k; f++) {
      rows.push({ lower: 0, upper: Infinity, index: [eCol(i), xCol(u, f), xCol(v, f)], value: [1, -1, 1] });
      rows.push({ lower: 0, upper: Infinity, index: [eCol(i), xCol(u, f), xCol(v, f)], value: [1, 1, -1] });
    }
  });
  const integer = [...(wholeNodes ? Array.from({ length: n * k }, (_, j) => j) : []), ...Array.from({ length: A * k }, (_, j) => n * k + j)];
  const start = (assignment: Int32Array): Float64Array => {
    let label = assignment;
    if (!hasLocks) {
      // Relabel footprints in the order the (sorted) areas first call them home, homeless ones last.
      const homes = areas.map((area) => homeOf(area, label, k));
      const order = new Map<number, number>();
      for (const f of homes) if (!order.has(f)) order.set(f, order.size);
      for (const f of assignment) if (!order.has(f)) order.set(f, order.size);
      label = assignment.map((f) => order.get(f)!);
    }
    const values = new Float64Array(numCols);
    for (let v = 0; v < n; v++) values[xCol(v, label[v])] = 1;
    areas.forEach((area, i) => {
      const f = homeOf(area, label, k);
      values[hCol(i, f)] = 1;
      area.nodes.forEach((v, j) => label[v] === f && (values[yCol(i, f)] += area.pieces[j]));
      if (!hasLocks) for (let g = 0; g < k; g++) values[cCol(i, g)] = (i > 0 ? values[cCol(i - 1, g)] : 0) + values[hCol(i, g)];
    });
    edges.forEach(([u, v], i) => (values[eCol(i)] = label[u] === label[v] ? 0 : 1));
    return values;
  };
  return { numCols, colCost, colLower: new Float64Array(numCols), colUpper, integer, rows, xCol, offset, areas, start };
}

/** The footprint holding most of an area (ties: the lowest), as the objective's home rule. */
function homeOf(area: HomeArea, label: ArrayLike<number>, k: number): number {
  const held = new Float64Array(k);
  area.nodes.forEach((v, j) => (held[label[v]] += area.pieces[j]));
  let best = 0;
  for (let f = 1; f < k; f++) if (held[f] > held[best]) best = f;
  return best;
}

/**
 * The home relaxation's bound (see the header). With contiguity cuts it also makes nodes whole where
 * they must be: when a solve's optimum is below the plan and breaks no contiguity row but shares out
 * some nodes, those nodes' x become binary and it is solved again (integrality generated lazily, as
 * rows are). Each pass is still a relaxation of the plan problem (every plan has whole nodes), so
 * every bound on the way holds; an optimum with every node whole and no row broken is a contiguous
 * plan within the bounds, so that pass's bound is the optimum of the split terms, and its plan is
 * returned. Where the fractional optimum falls short of the plan by sharing out a node or two
 * (Trafford: 0.0752 against 0.0753, one node shared), this closes the gap where whole nodes
 * everywhere (`wholeNodes`) did not in five minutes.
 *
 * @example
 *   const { bound, solved } = await homeBound(problem, { nodes: 10_000, contiguity: true, incumbent, incumbentObjective });
 */
export async function homeBound(problem: Problem, options: HomeBoundOptions): Promise<HomeBoundResult> {
  const began = performance.now();
  const deadline = options.timeLimitMs === undefined ? Infinity : began + options.timeLimitMs;
  const model = homeModel(problem, options.wholeNodes ?? false);
  const result: HomeBoundResult = { bound: 0, solved: false, nodes: 0, areas: model.areas.length, rounds: 0, cuts: 0, wholeNodes: 0, ms: 0, timeLimitHit: false, assignment: null };
  if (model.areas.length === 0) {
    // Every weighted area sits in one node: nothing can split, and the bound is the constant part.
    return { ...result, bound: Math.max(0, model.offset), solved: true, ms: performance.now() - began };
  }
  const highs = await loadHighs();
  const target = options.incumbentObjective ?? Infinity;
  // Rows found by every solve of every pass: each holds for every plan, so the next pass starts with them.
  const found: Row[] = [];
  const integer = new Set(model.integer);
  const { n, k } = problem;
  let bound = -Infinity;
  for (;;) {
    const solved = solveWithRowGeneration(highs, { ...model, rows: [...model.rows, ...found], integer: [...integer].sort((a, b) => a - b) }, {
      nodes: options.nodes - result.nodes,
      deadline,
      race: options.race,
      rounds: options.contiguity ? (options.rounds ?? 50) : 1,
      // The plan is contiguous, so it meets every cut added: it stays a valid start.
      start: options.incumbent ? model.start(options.incumbent) : null,
      options: { mip_rel_gap: 0, mip_abs_gap: 1e-6 },
      // The dual bound is on −kept (minimised), so it bounds the objective from below after the offset.
      boundOf: (dual) => model.offset + dual / SCALE - SAFETY,
      target,
      // Separator cuts on the optimum, footprint by footprint: x(a,f) + x(b,f) − Σ_S x(c,f) ≤ 1.
      // Without contiguity the first optimum is the relaxation's.
      // Each improving solution that breaks a contiguity row ends its solve at once (row-generation.ts).
      eager: true,
      separate: options.contiguity
        ? (col) => {
            const rows = footprintSeparatorRows(problem, col, model.xCol, CUTS_PER_FOOTPRINT, deadline);
            found.push(...rows);
            return rows;
          }
        : undefined,
    });
    bound = Math.max(bound, solved.bound);
    Object.assign(result, { solved: solved.solved, nodes: result.nodes + solved.nodes, rounds: result.rounds + solved.rounds, timeLimitHit: solved.timeLimitHit });
    // Passes only with contiguity cuts (without them an optimum is no plan), and only while a solved
    // optimum below the plan shares out nodes (with whole nodes everywhere none is ever shared).
    if (!options.contiguity || !solved.solved || !solved.solution || bound >= target - 1e-7) break;
    const shared: number[] = [];
    for (let v = 0; v < n; v++) if (!integer.has(model.xCol(v, 0)) && Array.from({ length: k }, (_, f) => solved.solution![model.xCol(v, f)]).some((x) => x > 1e-6 && x < 1 - 1e-6)) shared.push(v);
    if (shared.length === 0) {
      result.assignment = wholeAssignment(solved.solution, model, n, k);
      break;
    }
    if (result.nodes >= options.nodes || pastDeadline(deadline, options.race)) {
      // Solved as a relaxation, but the next pass cannot run: the bound stands, not as the optimum.
      result.timeLimitHit = pastDeadline(deadline, options.race);
      break;
    }
    for (const v of shared) for (let f = 0; f < k; f++) integer.add(model.xCol(v, f));
    result.wholeNodes += shared.length;
  }
  result.cuts = found.length;
  result.bound = Math.max(0, bound);
  result.ms = performance.now() - began;
  return result;
}

/**
 * The plan an optimum gives when every node is whole (each node's footprint), or null when one is
 * shared out. Used only where the optimum also broke no contiguity row: it is then a plan.
 */
function wholeAssignment(solution: Float64Array, model: HomeModel, n: number, k: number): Int32Array | null {
  const assignment = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    let f = 0;
    while (f < k && solution[model.xCol(v, f)] < 1 - 1e-6) f++;
    if (f === k) return null;
    assignment[v] = f;
  }
  return assignment;
}
