import { loadHighs } from './highs.js';
import { solveWithRowGeneration, type Row, type RowModel } from './row-generation.js';
import type { Problem } from '../../plan/problem.js';
import { footprintSeparatorRows } from './separation.js';
import { homeAreaCount, splitOffset } from './home-relaxation.js';
import type { Race } from '../race.js';
import { rootFreeSet } from './root-free-set.js';
import { boundaryBounds } from '../exact/index.js';
import { CutModelBuilder, rootAnalysis } from './cut-edge-rows.js';

/**
 * A lower bound (or a proof) for plans scored by cut edges alone: the labelling model of Validi and
 * Buchanan, 'Political districting to minimize cut edges' (Mathematical Programming Computation
 * 2022), solved by HiGHS, with contiguity added by row generation. The rows, one function per
 * group below, are built in cut-edge-rows.ts.
 *
 *   x(v,f) ∈ {0,1}: node v in footprint f;  r(v,f) ∈ {0,1}: v is f's root, its first node in a
 *   fixed node order;  Σ_f x(v,f) = 1;  min ≤ Σ_v pop(v) x(v,f) ≤ max;
 *   z(e,f) ≥ x(u,f) − x(v,f) for each edge e = {u,v}: cut edges = Σ_e weight(e) Σ_f z(e,f).
 *
 * What makes it close where the plain labelled model (label-model.ts) does not:
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
/** Local-search rounds for the root-free set: cheap against the solve, and more found no larger set (docs/benchmarks.md). */
const ROOT_FREE_ITERATIONS = 2000;
/** β's budget in sets grown: a few seconds on the county instances (docs/benchmarks.md), and the same β every run. */
const BOUNDARY_STEPS = 10_000_000;
/**
 * Boundary rows go in when what they prove alone reaches this share of the plan's cut edges: where
 * β proves less, the rows slow each node down more than they lift the bound (on the county
 * instances, docs/benchmarks.md: Mississippi and Alabama go in, Iowa and Kansas stay out).
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
  /** Variables fixed by the rules of cut-edge-rows.ts, and nodes that may root a footprint. */
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
 * The model for `problem`, with its node order taken from `plan` when given (see cutOrder). Every
 * contiguous plan within the bounds is a point of it: tests/search/bounds/cut-edge-model.test.ts checks that against
 * brute force, fixings included.
 */
export function cutModel(problem: Problem, plan?: ArrayLike<number>, beta?: ArrayLike<number>): CutModel {
  const { n, k } = problem;
  const order = cutOrder(problem, plan);
  const model = new CutModelBuilder(problem, order, beta !== undefined);
  model.oneFootprintPerNode();
  model.populationBounds();
  model.cutEdges();
  model.orbitope();
  // Fixings and rows, each true of every contiguous plan labelled by its roots' order.
  const roots = rootAnalysis(problem, order);
  const rootCount = model.rootFixings(roots);
  model.reachableRoots(roots);
  model.uFixing();
  if (beta) model.boundaryRows(beta);
  const { edges, numCols, nk, xCol } = model;
  const integral = edges.every(([, , weight]) => Number.isInteger(weight));
  const integer = [...Array.from({ length: 2 * nk }, (_, j) => j), ...(integral ? Array.from({ length: edges.length * k }, (_, j) => 5 * nk + j) : [])];
  // Separator rows per footprint, x(a,f) + x(b,f) − Σ_{c∈S} x(c,f) ≤ 1 (Validi, Buchanan and Lykhovyd 2022).
  const separate = (col: ArrayLike<number>, deadline: number): Row[] => footprintSeparatorRows(problem, col, xCol, CUTS_PER_FOOTPRINT, deadline);
  const decode = (col: ArrayLike<number>): Int32Array =>
    Int32Array.from({ length: n }, (_, v) => {
      let best = 0;
      for (let f = 1; f < k; f++) if (col[xCol(v, f)] > col[xCol(v, best)]) best = f;
      return best;
    });
  const start = (assignment: ArrayLike<number>): Float64Array => model.columnsOf(assignment, beta !== undefined);
  const { colCost, colLower, colUpper, rows, fixed } = model;
  return { numCols, colCost, colLower, colUpper, rows, integer, xCol, integral, fixed, roots: rootCount, start, separate, decode };
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
