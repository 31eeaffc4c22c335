import { deadlineCallbacks, loadHighs, type Highs } from './highs.js';
import type { Problem } from '../../plan/problem.js';
import { compiledFile } from '../../io/compiled.js';
import { Worker } from 'node:worker_threads';
import { minVertexSeparator } from './separation.js';
import { highsModelInput } from './row-generation.js';
import type { PairMipReply, PairMipRequest } from './pair-mip-worker.js';
import { buildPairModel, SCALE, type Built } from './pair-model-rows.js';
import { pastDeadline, type Race } from '../race.js';

type HighsModel = ReturnType<Highs['createModel']>;

/**
 * A proven lower bound from the pair (clique-partitioning) formulation with contiguity cuts. Its
 * columns and rows are built in pair-model-rows.ts, one function per group below.
 *
 * The footprint-label formulation of label-model.ts has a linear relaxation of 0 on split terms whatever
 * the instance: footprints are interchangeable, so spreading every node evenly over them keeps
 * every area whole. Here a plan is described without labels, by one variable per pair of nodes:
 *   s(u,v) = 1 when u and v share a footprint.
 * Constraints (every contiguous plan within bounds satisfies them, so the optimum of any subset of
 * them is a lower bound):
 *   - transitivity: s(u,v) + s(v,w) − s(u,w) ≤ 1 (added when violated: there are n³/2);
 *   - population: min ≤ pop(u) + Σ_v pop(v) s(u,v) ≤ max for every u (u's footprint is in bounds);
 *   - footprint count: r(v) = 1 for the lowest node of each footprint, r(v) + s(u,v) ≤ 1 (u < v),
 *     r(v) + Σ_{u<v} s(u,v) ≥ 1, Σ_v r(v) = k;
 *   - contiguity (a–b separators, Validi–Buchanan–Lykhovyd 2022 in pair form): when S separates u
 *     from v in the unit graph, s(u,v) ≤ Σ_{c ∈ S} s(u,c) (added when violated);
 *   - reach: s(u,v) = 0 when every path from u to v holds more than max residents;
 *   - locks: s = 1 within a lock, 0 across two.
 * Objective: compactness is exact, c·Σ_e e(u,v)(1 − s(u,v))/E. For an area a of a layer held by
 * nodes 1..m with pieces p_i, its home footprint is named by its largest piece there, h(a,i) ∈ {0,1}
 * with Σ_i h(a,i) = 1 and h(a,i) + s(i,j) ≤ 1 for every j ranked above i (larger piece, ties by
 * index); residents kept = Σ_i p_i h(a,i) + Σ_{i, j below i} p_j t(a,i,j), t ≤ h(a,i), t ≤ s(i,j).
 */
export interface PairBoundOptions {
  /** Branch-and-bound nodes in all for the MIP solves after the cutting rounds (0: the cutting-plane bound alone). */
  nodes: number;
  /** Cutting rounds on the linear relaxation (separation + re-solve), at most. */
  rounds?: number;
  /** Safety cap in milliseconds; the bound is valid when it stops the solver, but may then vary. */
  timeLimitMs?: number;
  /** Stops, as at the time limit, once this race is over (race.ts): a proof came from another thread. */
  race?: Race;
  /** A node-level plan (the heuristic's best), the MIP's start. */
  incumbent?: Int32Array;
  /** Objective of the incumbent: the cutting rounds stop once the bound reaches it. */
  incumbentObjective?: number;
  /** Branch only when the cutting rounds' bound is at least this (a bound already in hand from another relaxation). */
  branchAbove?: number;
  /** Called with one line per cutting round and per re-solve (benchmarks and diagnosis). */
  trace?: (line: string) => void;
}

export interface PairBoundResult {
  bound: number;
  /** True when the bound is the optimum of the contiguous problem (an integral, connected, transitive solution was proven optimal). */
  solved: boolean;
  /** Branch-and-bound nodes explored in all. */
  nodes: number;
  /** Cutting rounds, transitivity rows and contiguity cuts added. */
  rounds: number;
  triangles: number;
  separators: number;
  /** Pairs fixed apart by reach, before solving. */
  fixedApart: number;
  ms: number;
  timeLimitHit: boolean;
}

/** Taken off every bound (relative to its size) so that solver tolerances never lift it above the optimum. */
const SAFETY = 1e-9;

/** Start values for a plan: pairs, representatives, homes. */
function startValues(problem: Problem, built: Built, assignment: Int32Array): Float64Array {
  const { n } = problem;
  const values = new Float64Array(built.numCols);
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      const c = built.pairCol[built.pairIndex(u, v)];
      if (c >= 0) values[c] = assignment[u] === assignment[v] ? 1 : 0;
    }
  }
  // Representatives are columns n·(n−1)/2-fixed… located by construction order: right after the pairs.
  const firstRep = built.pairCol.reduce((m, c) => Math.max(m, c), -1) + 1;
  const seen = new Set<number>();
  for (let v = 0; v < n; v++) {
    if (!seen.has(assignment[v])) {
      seen.add(assignment[v]);
      values[firstRep + v] = 1;
    }
  }
  for (const area of built.areas) {
    const held = new Map<number, number>();
    area.nodes.forEach((v, i) => held.set(assignment[v], (held.get(assignment[v]) ?? 0) + area.pieces[i]));
    let homeF = -1;
    let most = -1;
    for (const [f, q] of held) if (q > most || (q === most && f < homeF)) [homeF, most] = [f, q];
    const i = area.nodes.findIndex((v) => assignment[v] === homeF);
    values[area.home[i]] = 1;
    for (const t of area.t) if (t.i === i && assignment[area.nodes[t.j]] === homeF) values[t.col] = 1;
  }
  return values;
}

export async function pairBound(problem: Problem, options: PairBoundOptions): Promise<PairBoundResult> {
  const began = performance.now();
  const deadline = options.timeLimitMs === undefined ? Infinity : began + options.timeLimitMs;
  const { n } = problem;
  const built = buildPairModel(problem);
  const highs = await loadHighs();
  const model = highs.createModel(highsModelInput(built));
  const result: PairBoundResult = { bound: 0, solved: false, nodes: 0, rounds: 0, triangles: 0, separators: 0, fixedApart: built.apart, ms: 0, timeLimitHit: false };
  const step = objectiveStep(problem);
  const toBound = (objective: number): number => {
    const raw = Math.max(0, built.offset + objective / SCALE - SAFETY * Math.max(1, built.offset));
    // When every plan's objective is a multiple of one step, no plan lies strictly between two.
    return step > 0 ? Math.ceil(raw / step - 1e-6) * step : raw;
  };
  const target = options.incumbentObjective ?? Infinity;
  // HiGHS takes no infinite option values: without a deadline, a limit far past any run.
  const remainingSeconds = (): number => (Number.isFinite(deadline) ? Math.max(0.001, (deadline - performance.now()) / 1000) : 1e7);
  // Measured with highs 1.15.3: re-solves of the linear relaxation check time_limit against HiGHS's
  // clock summed over every run() on the model (so a budget stopped the cutting rounds well short of
  // it), while a MIP run checks it against its own time. So the rounds' limit adds the time used.
  let highsSeconds = 0;
  // The rounds stop at the deadline itself (highs.ts); the bound of those finished before it stands.
  const callbacks = deadlineCallbacks(highs, deadline, options.race);
  const run = (): void => {
    const t = performance.now();
    model.run(callbacks);
    highsSeconds += (performance.now() - t) / 1000;
  };
  const stopped = (status: number): boolean => status === highs.constants.modelStatus.timeLimit || status === highs.constants.modelStatus.interrupted;
  try {
    model.options.set({ output_flag: false, random_seed: 0 });
    const S = new Float64Array(n * n);
    const readPairs = (col: Float64Array): void => {
      for (let u = 0; u < n; u++) {
        S[u * n + u] = 1;
        for (let v = u + 1; v < n; v++) {
          const c = built.pairCol[built.pairIndex(u, v)];
          const x = c >= 0 ? col[c] : 0;
          S[u * n + v] = x;
          S[v * n + u] = x;
        }
      }
    };
    const addCuts = (integral: boolean): number => {
      const cuts = separate(problem, built, S, integral);
      for (const cut of cuts.rows) model.addRow(-Infinity, cut.upper, { indices: cut.index, values: cut.value });
      result.triangles += cuts.triangles;
      result.separators += cuts.separators;
      return cuts.rows.length;
    };

    // Cutting rounds on the linear relaxation.
    const maxRounds = options.rounds ?? 60;
    for (let round = 0; round < maxRounds; round++) {
      if (pastDeadline(deadline, options.race)) {
        result.timeLimitHit = true;
        break;
      }
      model.options.set({ time_limit: highsSeconds + remainingSeconds() });
      run();
      const status = model.getModelStatus();
      if (status !== highs.constants.modelStatus.optimal) {
        if (stopped(status)) result.timeLimitHit = true;
        break;
      }
      result.rounds = round + 1;
      result.bound = Math.max(result.bound, toBound(model.getObjectiveValue()));
      options.trace?.(`round ${round + 1}: LP ${(built.offset + model.getObjectiveValue() / SCALE).toFixed(6)} bound ${result.bound.toFixed(6)} ${((performance.now() - began) / 1000).toFixed(1)} s`);
      if (result.bound >= target - 1e-7) {
        // At a known plan's objective: that plan is optimal and the bound is the optimum.
        result.solved = true;
        break;
      }
      readPairs(model.getSolution().colValue);
      if (addCuts(false) === 0) break;
    }

    // Branch and bound on what the rounds left, re-solved while its optimum breaks a dropped row.
    if (options.nodes > 0 && !result.timeLimitHit && result.bound < target - 1e-7 && result.bound >= (options.branchAbove ?? 0)) {
      model.changeColsIntegrality({ kind: 'set', indices: built.integerCols }, new Int32Array(built.integerCols.length).fill(1));
      // The node budget is shared by the re-solves, so a budget bounds the whole run.
      const workerUrl = mipWorkerUrl();
      while (result.nodes < options.nodes && !pastDeadline(deadline, options.race)) {
        const mipOptions = { output_flag: false, random_seed: 0, mip_max_nodes: Math.max(1, Math.floor(options.nodes - result.nodes)), mip_rel_gap: 0, mip_abs_gap: 1e-6, time_limit: remainingSeconds() };
        const start = options.incumbent ? startValues(problem, built, options.incumbent) : null;
        let mip: MipOutcome;
        if (Number.isFinite(deadline) && workerUrl) {
          mip = await mipInWorker(workerUrl, { model: model.getModel(), integerCols: built.integerCols, options: mipOptions, start, race: options.race }, deadline);
        } else {
          model.options.set(mipOptions);
          if (start) model.setSolution({ colValue: start });
          run();
          const status = model.getModelStatus();
          const optimal = status === highs.constants.modelStatus.optimal;
          mip = { optimal, stopped: stopped(status), dual: Number(model.info.get('mip_dual_bound')), nodes: Number(model.info.get('mip_node_count')), colValue: optimal ? Float64Array.from(model.getSolution().colValue) : null, label: String(status) };
        }
        // A solve that ends at its root still counts as one node, so the loop always moves on.
        result.nodes += Math.max(1, mip.nodes);
        if (Number.isFinite(mip.dual)) result.bound = Math.max(result.bound, toBound(mip.dual));
        if (mip.stopped) result.timeLimitHit = true;
        options.trace?.(`MIP: status ${mip.label} nodes ${result.nodes} dual ${mip.dual} bound ${result.bound.toFixed(6)} ${((performance.now() - began) / 1000).toFixed(1)} s`);
        if (!mip.optimal || !mip.colValue) break;
        readPairs(mip.colValue);
        if (addCuts(true) === 0) {
          result.solved = true;
          break;
        }
      }
    }
  } finally {
    model.dispose();
  }
  result.ms = performance.now() - began;
  return result;
}

interface MipOutcome {
  optimal: boolean;
  /** Stopped by the time limit or the deadline. */
  stopped: boolean;
  dual: number;
  nodes: number;
  colValue: Float64Array | null;
  label: string;
}

/**
 * The compiled worker: beside this module in dist/, or, under a TypeScript runner (benchmarks,
 * tests), the one `npm run build` put in dist/ (a thread does not inherit the runner's loader).
 * Null when there is none: the branch and bound then runs in this thread and stops at HiGHS's
 * checkpoints only.
 */
function mipWorkerUrl(): URL | null {
  return compiledFile(import.meta.url, './pair-mip-worker.js');
}

/** How long past the deadline a branch and bound may take to stop on its own before its thread is ended. */
const MIP_GRACE_MS = 250;

/**
 * One branch and bound in a worker thread (bounds/pair-mip-worker.ts), ended at the deadline if HiGHS has
 * not stopped by then: it checks its time limit only at checkpoints, which on the county instances
 * came up to a minute apart in the first node. A run ended that way reports the dual bound of its
 * last checkpoint (valid), and no solution.
 */
function mipInWorker(url: URL, request: PairMipRequest, deadline: number): Promise<MipOutcome> {
  const worker = new Worker(url, { workerData: request });
  return new Promise<MipOutcome>((resolve, reject) => {
    let dual = NaN;
    let nodes = 0;
    let settled = false;
    const finish = (outcome: MipOutcome | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(() => finish({ optimal: false, stopped: true, dual, nodes, colValue: null, label: 'ended at the deadline' }), Math.max(0, deadline - performance.now()) + MIP_GRACE_MS);
    worker.on('message', (reply: PairMipReply) => {
      if (reply.kind === 'progress') {
        dual = Number.isFinite(dual) ? Math.max(dual, reply.dual) : reply.dual;
        nodes = Math.max(nodes, reply.nodes);
      } else if (reply.kind === 'error') finish(new Error(`the pair bound's branch and bound failed: ${reply.message}`));
      else {
        const best = Number.isFinite(reply.dual) ? (Number.isFinite(dual) ? Math.max(dual, reply.dual) : reply.dual) : dual;
        finish({ optimal: reply.optimal, stopped: reply.timeLimit || reply.status === 17, dual: best, nodes: Math.max(nodes, reply.nodes), colValue: reply.colValue, label: String(reply.status) });
      }
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) => finish(new Error(`the pair bound's branch and bound thread exited (code ${code}) without an answer`)));
  });
}

/**
 * The step every plan's objective is a multiple of, or 0 when there is none: with no weighted
 * layer the objective is c·(cut edges)/E, and cut edges are whole numbers.
 */
function objectiveStep(problem: Problem): number {
  if (problem.layers.some((l) => l.weight > 0 && l.total > 0)) return 0;
  if (problem.compactnessWeight <= 0 || problem.unitEdges <= 0) return 0;
  return problem.compactnessWeight / problem.unitEdges;
}

interface Cuts {
  rows: Array<{ upper: number; index: number[]; value: number[] }>;
  triangles: number;
  separators: number;
}

/** Most violated transitivity rows and separator cuts of a solution (S: dense pair values). */
function separate(problem: Problem, built: Built, S: Float64Array, integral: boolean): Cuts {
  const { n } = problem;
  const col = (u: number, v: number): number => built.pairCol[built.pairIndex(u, v)];
  const found: Array<{ violation: number; upper: number; index: number[]; value: number[]; kind: 0 | 1 }> = [];
  // Transitivity: s(u,v) + s(u,w) − s(v,w) ≤ 1 with u the apex.
  for (let u = 0; u < n; u++) {
    for (let v = 0; v < n; v++) {
      if (v === u) continue;
      const suv = S[u * n + v];
      if (suv < 0.05) continue;
      for (let w = v + 1; w < n; w++) {
        if (w === u) continue;
        const violation = suv + S[u * n + w] - S[v * n + w] - 1;
        if (violation > 1e-4) {
          const a = col(u, v);
          const b = col(u, w);
          const c = col(v, w);
          if (a < 0 || b < 0) continue;
          found.push({ violation, upper: 1, index: c >= 0 ? [a, b, c] : [a, b], value: c >= 0 ? [1, 1, -1] : [1, 1], kind: 0 });
        }
      }
    }
  }
  // Separators: for u and v apart in the graph with s(u,v) > 0, a minimum u–v vertex separator
  // weighted by s(u,·).
  const cap = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      const suv = S[u * n + v];
      if (suv < (integral ? 0.5 : 0.1)) continue;
      let adjacent = false;
      for (let e = problem.adjStart[u]; e < problem.adjStart[u + 1]; e++) if (problem.adjList[e] === v) adjacent = true;
      if (adjacent) continue;
      for (let c = 0; c < n; c++) cap[c] = S[u * n + c];
      const cut = minVertexSeparator(problem, u, v, cap);
      if (cut === null) continue;
      const total = cut.reduce((sum, c) => sum + cap[c], 0);
      if (suv - total > 1e-4) {
        const index = [col(u, v)];
        const value = [1];
        for (const c of cut) {
          const cc = col(u, c);
          if (cc >= 0) {
            index.push(cc);
            value.push(-1);
          }
        }
        found.push({ violation: suv - total, upper: 0, index, value, kind: 1 });
      }
    }
  }
  found.sort((a, b) => b.violation - a.violation || a.kind - b.kind);
  // An integral solution breaks few rows, and each must go for the re-solve to move.
  const limit = integral ? found.length : Math.max(200, 6 * n);
  const rows = found.slice(0, limit);
  return {
    rows: rows.map(({ upper, index, value }) => ({ upper, index, value })),
    triangles: rows.filter((r) => r.kind === 0).length,
    separators: rows.filter((r) => r.kind === 1).length,
  };
}
