import { loadHighs } from './highs.js';
import { solveWithRowGeneration, type Row, type RowModel } from './row-generation.js';
import type { Problem } from '../../plan/problem.js';
import { footprintSeparatorRows } from './separation.js';
import { populationDistances, populationDistancesFrom } from '../paths.js';
import { homeAreaCount, splitOffset } from './home-relaxation.js';
import type { Race } from '../race.js';
import { rootFreeSet } from './root-free-set.js';
import { boundaryBounds } from '../exact/index.js';

/**
 * A lower bound (or a proof) for plans scored by cut edges alone: the labelling model of Validi and
 * Buchanan, 'Political districting to minimize cut edges' (Mathematical Programming Computation
 * 2022), solved by HiGHS, with contiguity added by row generation.
 *
 *   x(v,f) ∈ {0,1}: node v in footprint f;  r(v,f) ∈ {0,1}: v is f's root, its first node in a
 *   fixed node order;  Σ_f x(v,f) = 1;  min ≤ Σ_v pop(v) x(v,f) ≤ max;
 *   z(e,f) ≥ x(u,f) − x(v,f) for each edge e = {u,v}: cut edges = Σ_e weight(e) Σ_f z(e,f).
 *
 * What makes it close where the plain labelled model (bound.ts) does not:
 * - The extended cut-edge objective: Σ_f z(e,f) is the total-variation distance between the two
 *   ends' label vectors, which a fractional solution cannot make small as cheaply as max_f |…|.
 * - Symmetry: footprints are labelled by the order of their roots (the extended formulation of the
 *   orbitope by Faenza and Kaibel, as in the authors' code), so each plan has exactly one labelling.
 * - The node order (cutOrder): nodes that may root first, then a set whose every component holds
 *   fewer than `min` residents, so none of it can root (root-free-set.ts); 8–15 of 64–105 counties
 *   may root.
 * - Rows and fixings that hold for every contiguous plan: node p of the order is in footprint ≤ p
 *   (diagonal); a node roots only if the nodes from it on reach `min` residents from it (L-fixing);
 *   a node is in footprint f only if one of f's possible roots before it reaches it within `max`
 *   residents, x(v,f) ≤ Σ r(·,f) over those; the first nodes of the order too far apart to share a
 *   footprint root footprints 0, 1, … (U-fixing).
 * - Boundary rows, where β (exact/boundary.ts) is strong enough: footprint f's boundary b(f) is at
 *   least β of each member, of its root, and the population-weighted mean β of its members, and
 *   Σ_f b(f) is twice the cut edges.
 *
 * Contiguity: after each solve, the a–b separator rows its optimum breaks (x(a,f) + x(b,f) −
 * Σ_{c∈S} x(c,f) ≤ 1, Validi, Buchanan and Lykhovyd 2022) are added and the model solved again.
 * Every contiguous plan meets every row and every fixing, so every solve's dual bound is valid; a
 * solve that breaks no row has a contiguous optimum, which is then optimal.
 *
 * It applies when no weighted area spans two nodes (split terms are then constant) and nothing is
 * locked (the symmetry rows assume unlabelled footprints).
 */
export interface CutBoundOptions {
  /** Branch-and-bound nodes HiGHS may explore over all solves: a deterministic budget. */
  nodes: number;
  /** Safety cap in milliseconds (the bound stays valid when it stops the solver). */
  timeLimitMs?: number;
  /** Stops, as at the time limit, once this race is over (race.ts): a proof came from another thread. */
  race?: Race;
  /** A contiguous node-level plan to start from. */
  incumbent?: Int32Array;
  /** Its objective: solving stops once the bound reaches it. */
  incumbentObjective?: number;
  /** Solves at most (default 50). */
  rounds?: number;
  /** Extra HiGHS options (experiments). */
  highs?: Record<string, number | boolean | string>;
  /**
   * Sets exact/boundary.ts may grow to find β for the boundary rows (default BOUNDARY_STEPS, 0 for
   * no boundary rows): a work budget, so β, and the bound, repeat run to run.
   */
  boundarySteps?: number;
}

export interface CutBoundResult {
  bound: number;
  /** The bound is this model's optimum (with every broken contiguity row added): nothing more to prove. */
  solved: boolean;
  nodes: number;
  rounds: number;
  cuts: number;
  /** Variables fixed before the first solve (diagonal, L- and U-fixings), and nodes that may root. */
  fixed: number;
  roots: number;
  /** The boundary rows went in (β strong enough against the plan). */
  boundaryRows: boolean;
  /** A contiguous plan the model proved optimal (footprints numbered by their roots' order), or null. */
  assignment: Int32Array | null;
  ms: number;
  timeLimitHit: boolean;
}

const CUTS_PER_FOOTPRINT = 60;
/** Local-search rounds for the root-free set: about 0.1 s on 100 counties, and more found no larger set. */
const ROOT_FREE_ITERATIONS = 2000;
/** β's budget: 2.5–8 s on the county instances, where β reaches 7–19 cut edges per footprint. */
const BOUNDARY_STEPS = 10_000_000;
/**
 * Boundary rows go in when what they prove alone reaches this share of the plan's cut edges
 * (Mississippi 24 of 34, Alabama 41 of 55 go in; Iowa 18 of 33 and Kansas 14 of 32, where they
 * halved the nodes per second and lowered the bound at 120 s, stay out).
 */
const BOUNDARY_SHARE = 0.65;
/** Taken off the dual bound so that solver round-off never lifts it above the true optimum. */
const SAFETY = 1e-6;

/** The model applies: cut edges in the objective, no split term that depends on the plan, no locks. */
export function cutBoundApplies(problem: Problem): boolean {
  return problem.compactnessWeight > 0 && problem.unitEdges > 0 && problem.k >= 2 && homeAreaCount(problem) === 0 && !problem.locked.some((f) => f >= 0);
}

/**
 * Node order: nodes that may root a footprint first, most populous first, then a set B whose
 * components (in the graph of B alone) each hold fewer than `min` residents, so no node of B can
 * root a footprint (Validi and Buchanan's 'B_decreasing' order; they find B by a MIP, this by a
 * local search from a plan's footprints without their borders, root-free-set.ts). The fewer nodes
 * can root, the more of the model is fixed.
 */
export function cutOrder(problem: Problem, plan?: ArrayLike<number>): Int32Array {
  const { n } = problem;
  const pop = problem.population;
  const inB = new Uint8Array(n);
  if (plan) {
    // A plan's footprints without their borders: the local search trims them below `min`.
    for (let v = 0; v < n; v++) {
      inB[v] = 1;
      for (let e = problem.adjStart[v]; e < problem.adjStart[v + 1]; e++) if (plan[problem.adjList[e]] !== plan[v]) inB[v] = 0;
    }
  }
  inB.set(rootFreeSet(problem, plan ? inB : null, ROOT_FREE_ITERATIONS));
  const byPopulation = (a: number, b: number) => pop[b] - pop[a] || a - b;
  const all = Array.from({ length: n }, (_, v) => v);
  return Int32Array.from([...all.filter((v) => !inB[v]).sort(byPopulation), ...all.filter((v) => inB[v]).sort(byPopulation)]);
}

export interface CutModel extends RowModel {
  xCol: (v: number, f: number) => number;
  /** Cut edges are whole numbers (every edge weight is): the bound may be rounded up. */
  integral: boolean;
  /** Variables fixed by the rules below, and nodes that may root a footprint. */
  fixed: number;
  roots: number;
  /** The model's columns for a contiguous plan (footprints relabelled by their roots' order). */
  start: (assignment: ArrayLike<number>) => Float64Array;
  /** Contiguity rows a solution breaks (none when its footprints are connected). */
  separate: (col: ArrayLike<number>, deadline: number) => Row[];
  /** The plan of a whole solution. */
  decode: (col: ArrayLike<number>) => Int32Array;
}

/**
 * Which nodes may root a footprint, for a node order: a root's footprint lies among the nodes at or
 * after it, connected to it, with at least `min` residents (L-fixing, checked at every position), and
 * for each that may, the fewest residents on a path from it to every node through the nodes at or
 * after it (a node further than `max` can never share its footprint).
 */
function rootAnalysis(problem: Problem, order: Int32Array): { canRoot: Uint8Array; rootsAfter: Int32Array; reach: Array<Float64Array | null> } {
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

/**
 * The model for `problem`, with its node order taken from `plan` when given (see cutOrder). Every
 * contiguous plan within the bounds is a point of it: tests/cut-bound.test.ts checks that against
 * brute force, fixings included.
 */
export function cutModel(problem: Problem, plan?: ArrayLike<number>, beta?: ArrayLike<number>): CutModel {
  const { n, k, min, max } = problem;
  const order = cutOrder(problem, plan);
  const position = new Int32Array(n);
  order.forEach((v, p) => (position[v] = p));
  let fixed = 0;
  const edges: Array<[number, number, number]> = [];
  for (let u = 0; u < n; u++) for (let e = problem.adjStart[u]; e < problem.adjStart[u + 1]; e++) if (problem.adjList[e] > u) edges.push([u, problem.adjList[e], problem.adjEdges[e]]);
  const nk = n * k;
  const xCol = (v: number, f: number) => v * k + f;
  const rCol = (v: number, f: number) => nk + v * k + f;
  const sCol = (v: number, f: number) => 2 * nk + v * k + f;
  const uCol = (v: number, f: number) => 3 * nk + v * k + f;
  const wCol = (v: number, f: number) => 4 * nk + v * k + f;
  const zCol = (e: number, f: number) => 5 * nk + e * k + f;
  const mk = edges.length * k;
  // b(f): footprint f's boundary, only with boundary rows.
  const bCol = (f: number) => 5 * nk + mk + f;
  const numCols = 5 * nk + mk + (beta ? k : 0);
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(1);
  for (let j = 2 * nk; j < 5 * nk; j++) colUpper[j] = Infinity;
  edges.forEach(([, , weight], e) => {
    for (let f = 0; f < k; f++) colCost[zCol(e, f)] = weight;
  });
  const rows: Row[] = [];
  const row = (lower: number, upper: number, terms: Array<[number, number]>) => rows.push({ lower, upper, index: terms.map((t) => t[0]), value: terms.map((t) => t[1]) });

  for (let v = 0; v < n; v++) row(1, 1, Array.from({ length: k }, (_, f) => [xCol(v, f), 1] as [number, number]));
  for (let f = 0; f < k; f++) row(min, max, Array.from({ length: n }, (_, v) => [xCol(v, f), problem.population[v]] as [number, number]));
  edges.forEach(([u, v], e) => {
    for (let f = 0; f < k; f++) row(0, Infinity, [[zCol(e, f), 1], [xCol(u, f), -1], [xCol(v, f), 1]]);
  });
  // The orbitope's extended formulation (Faenza and Kaibel), as Validi and Buchanan write it:
  // s(v,f) = Σ_{g ≥ f} x(v,g), w(v,f) = Σ_{p ≤ position(v)} r(order_p, f), s ≤ w, r ≤ x, and a unit
  // flow u through the (position, footprint) grid whose steps are the roots, so footprint f's root
  // comes before footprint f+1's.
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
  colLower[rCol(order[0], 0)] = 1;

  // Fixings and rows, each true of every contiguous plan labelled by its roots' order.
  const fixZero = (col: number) => {
    if (colUpper[col] > 0 && colLower[col] === 0) {
      colUpper[col] = 0;
      fixed++;
    }
  };
  const fixOne = (col: number) => {
    if (colLower[col] < 1) {
      colLower[col] = 1;
      fixed++;
    }
  };
  // Footprint f's root is at position ≥ f (diagonal) and the k − 1 − f footprints after f need
  // roots at later positions that can root.
  const { canRoot, rootsAfter, reach } = rootAnalysis(problem, order);
  const mayRoot = (p: number, f: number) => canRoot[p] === 1 && f <= p && k - 1 - f <= rootsAfter[p + 1];
  let roots = 0;
  for (let p = 0; p < n; p++) {
    if (canRoot[p]) roots++;
    for (let f = 0; f < k; f++) if (!mayRoot(p, f)) fixZero(rCol(order[p], f));
  }
  // Node v is in footprint f only if f's root is at or before it and a path inside the later nodes
  // joins them with at most `max` residents: x(v,f) ≤ Σ of those roots' r(·,f), or 0 when none can.
  for (let v = 0; v < n; v++) {
    for (let f = 0; f < k; f++) {
      const terms: Array<[number, number]> = [];
      for (let p = 0; p <= position[v]; p++) if (mayRoot(p, f) && reach[p]![v] <= max) terms.push([rCol(order[p], f), -1]);
      if (terms.length === 0) fixZero(xCol(v, f));
      else row(-Infinity, 0, [[xCol(v, f), 1], ...terms]);
    }
  }
  // U-fixing: while each next node of the order is too far, in population along any path, from
  // every earlier one to share a footprint, it roots the next footprint.
  const distance = populationDistances(problem);
  for (let j = 0; j < k && j < n; j++) {
    const v = order[j];
    let alone = true;
    for (let t = 0; t < j && alone; t++) if (distance[order[t] * n + v] <= max) alone = false;
    if (!alone) break;
    fixOne(rCol(v, j));
    fixOne(xCol(v, j));
    for (let g = 0; g < k; g++) if (g !== j) fixZero(xCol(v, g));
    for (let i = 0; i < n; i++) if (i !== v) fixZero(rCol(i, j));
  }

  if (beta) {
    // b(f): footprint f's boundary (edge weight leaving it). At a plan each cut edge leaves one
    // footprint and enters another, so Σ_f b(f) = 2·Σ_e w(e)·Σ_f z(e,f). A plan's footprint is
    // connected and within [min, max], so its boundary is at least β(v) for each member v
    // (exact/boundary.ts); hence b(f) ≥ β(v)·x(v,f), b(f) ≥ Σ_ρ β(ρ)·r(ρ,f) (one root), and, as the
    // population-weighted mean of its members' β is at most their largest and the footprint holds
    // at most max residents, max·b(f) ≥ Σ_v pop(v)·β(v)·x(v,f): the last holds a spread-out
    // fractional footprint to account, where the first two need x or r near 1. Tying b(f) to f's own
    // edges (two-sided z) gave the same bounds at twice the time per node.
    const total: Array<[number, number]> = Array.from({ length: k }, (_, f) => [bCol(f), 1] as [number, number]);
    edges.forEach(([, , weight], e) => {
      for (let f = 0; f < k; f++) total.push([zCol(e, f), -2 * weight]);
    });
    row(0, 0, total);
    for (let f = 0; f < k; f++) {
      colUpper[bCol(f)] = Infinity;
      for (let v = 0; v < n; v++) if (colUpper[xCol(v, f)] > 0 && beta[v] > 0) row(0, Infinity, [[bCol(f), 1], [xCol(v, f), -beta[v]]]);
      const roots: Array<[number, number]> = [[bCol(f), 1]];
      for (let v = 0; v < n; v++) if (colUpper[rCol(v, f)] > 0 && beta[v] > 0) roots.push([rCol(v, f), -beta[v]]);
      row(0, Infinity, roots);
      const mean: Array<[number, number]> = [[bCol(f), max]];
      for (let v = 0; v < n; v++) if (colUpper[xCol(v, f)] > 0 && beta[v] > 0) mean.push([xCol(v, f), -problem.population[v] * beta[v]]);
      row(0, Infinity, mean);
    }
  }
  const integral = edges.every(([, , weight]) => Number.isInteger(weight));
  const integer = [...Array.from({ length: 2 * nk }, (_, j) => j), ...(integral ? Array.from({ length: edges.length * k }, (_, j) => 5 * nk + j) : [])];

  const start = (assignment: ArrayLike<number>): Float64Array => {
    // Label footprints by their roots' order.
    const label = new Int32Array(n).fill(-1);
    const map = new Map<number, number>();
    for (const v of order) {
      if (!map.has(assignment[v])) map.set(assignment[v], map.size);
      label[v] = map.get(assignment[v])!;
    }
    const values = new Float64Array(numCols);
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
        if (beta) values[bCol(f)] += edges[e][2] * Math.abs(values[xCol(u, f)] - values[xCol(v, f)]);
      }
    });
    return values;
  };
  // Separator rows per footprint, x(a,f) + x(b,f) − Σ_{c∈S} x(c,f) ≤ 1 (Validi, Buchanan and Lykhovyd 2022).
  const separate = (col: ArrayLike<number>, deadline: number): Row[] => footprintSeparatorRows(problem, col, xCol, CUTS_PER_FOOTPRINT, deadline);
  const decode = (col: ArrayLike<number>): Int32Array =>
    Int32Array.from({ length: n }, (_, v) => {
      let best = 0;
      for (let f = 1; f < k; f++) if (col[xCol(v, f)] > col[xCol(v, best)]) best = f;
      return best;
    });
  return { numCols, colCost, colLower, colUpper, rows, integer, xCol, integral, fixed, roots, start, separate, decode };
}

export async function cutBound(problem: Problem, options: CutBoundOptions): Promise<CutBoundResult> {
  const began = performance.now();
  const deadline = options.timeLimitMs === undefined ? Infinity : began + options.timeLimitMs;
  if (!cutBoundApplies(problem)) throw new Error('cutBound: the model needs cut edges in the objective, no split areas and no locks');
  // No area spans two nodes, so the split terms are the same for every plan.
  const offset = splitOffset(problem);
  const scale = problem.compactnessWeight / problem.unitEdges;
  const steps = options.boundarySteps ?? BOUNDARY_STEPS;
  // A quarter of the time at most: β stays valid when the deadline stops it, only weaker.
  let beta: Int32Array | undefined = steps > 0 ? boundaryBounds(problem, began + (deadline - began) / 4, options.race, steps).beta : undefined;
  let betaBound = 0;
  if (beta) {
    // What the boundary rows prove on their own (Σ_f b(f) ≥ Σ_v pop(v)·β(v)/max, halved): where it is
    // far below the plan, β is too weak to lift the bound and the rows only slow each node down.
    for (let v = 0; v < problem.n; v++) betaBound += problem.population[v] * beta[v];
    betaBound /= 2 * problem.max;
    // Without a plan to measure it against, they go in.
    if (options.incumbentObjective !== undefined && betaBound < BOUNDARY_SHARE * ((options.incumbentObjective - offset) / scale)) beta = undefined;
  }
  const model = cutModel(problem, options.incumbent, beta);
  const highs = await loadHighs();
  const solved = solveWithRowGeneration(highs, model, {
    nodes: options.nodes,
    deadline,
    race: options.race,
    rounds: options.rounds ?? 50,
    start: options.incumbent ? model.start(options.incumbent) : null,
    // Cut edges are whole numbers when every edge weight is: HiGHS may stop below one edge of the
    // plan, and a bound of 48.2 edges proves 49.
    options: { mip_rel_gap: 0, mip_abs_gap: model.integral ? 0.999 : 1e-6, mip_heuristic_effort: 0, ...options.highs },
    boundOf: (dual) => offset + scale * (model.integral ? Math.ceil(dual - SAFETY) : dual - SAFETY) - 1e-12,
    target: options.incumbentObjective ?? Infinity,
    separate: (col) => model.separate(col, deadline),
  });
  const result: CutBoundResult = {
    bound: solved.bound,
    solved: solved.solved,
    nodes: solved.nodes,
    rounds: solved.rounds,
    cuts: solved.cuts,
    fixed: model.fixed,
    roots: model.roots,
    boundaryRows: beta !== undefined,
    // Solved with no contiguity row broken: the solve's plan is contiguous, and no plan is better.
    assignment: solved.solution ? model.decode(solved.solution) : null,
    ms: 0,
    timeLimitHit: solved.timeLimitHit,
  };
  result.bound = Math.max(0, result.bound);
  result.ms = performance.now() - began;
  return result;
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
