import { deadlineCallbacks, type Highs } from './highs.js';
import { pastDeadline, type Race } from '../race.js';

/** One linear row, lower ≤ Σ value·x[index] ≤ upper. */
export interface Row {
  lower: number;
  upper: number;
  index: number[];
  value: number[];
}

/** A mixed-integer model as rows, ready for HiGHS. */
export interface RowModel {
  numCols: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rows: Row[];
  integer: number[];
}

/** The columns and rows as HiGHS's createModel takes them (rows in compressed sparse row form). */
export function highsModelInput(model: Omit<RowModel, 'integer'>) {
  const numRows = model.rows.length;
  const starts = new Int32Array(numRows + 1);
  model.rows.forEach((r, i) => (starts[i + 1] = starts[i] + r.index.length));
  return {
    numCols: model.numCols,
    numRows,
    offset: 0,
    colCost: model.colCost,
    colLower: model.colLower,
    colUpper: model.colUpper,
    rowLower: Float64Array.from(model.rows, (r) => r.lower),
    rowUpper: Float64Array.from(model.rows, (r) => r.upper),
    matrix: { format: 'csr' as const, numRows, numCols: model.numCols, starts, indices: Int32Array.from(model.rows.flatMap((r) => r.index)), values: Float64Array.from(model.rows.flatMap((r) => r.value)) },
  };
}

export interface RowGenerationOptions {
  /** Branch-and-bound nodes over all solves (each solve counts at least one). */
  nodes: number;
  /** performance.now() time to stop at; Infinity for none. */
  deadline: number;
  /** Stop, as at the deadline, once this race is over (a proof came from another thread). */
  race?: Race;
  /** Solves at most. */
  rounds: number;
  /** Column values of a plan every row (added ones too) holds, given to each solve as its start. */
  start: Float64Array | null;
  /** HiGHS options for every solve (gaps, tolerances). */
  options: Record<string, number | boolean | string>;
  /** The proven lower bound on the plan objective from a solve's dual bound (rounding, offsets, safety). */
  boundOf: (dual: number) => number;
  /** Stop once the bound reaches this (a known plan's objective). */
  target: number;
  /**
   * Rows a solve's optimum breaks, each one that every plan meets; none means the optimum is a plan.
   * Without it the model is solved once and its optimum is the answer.
   */
  separate?: (col: ArrayLike<number>) => Row[];
  /**
   * Separate on every improving solution HiGHS finds, not only on a solve's optimum: a solution
   * below the target that breaks rows stops the solve at once, its rows are added, and the next
   * solve starts. Proving such a solution optimal first (as without it) spends most of a round on
   * a point the next round cuts off anyway.
   */
  eager?: boolean;
}

export interface RowGenerationResult {
  bound: number;
  /** The last solve was optimal and broke no row (or the bound reached the target). */
  solved: boolean;
  nodes: number;
  rounds: number;
  cuts: number;
  timeLimitHit: boolean;
  /** Column values of the last optimum when it broke no row, so it is a plan. */
  solution: Float64Array | null;
}

/**
 * Solve, add the rows the optimum breaks, solve again: until none is broken, the bound reaches the
 * target, or the node budget, the rounds or the time run out. Every row added holds for every plan,
 * so every solve's dual bound is valid and the best one stands.
 */
export function solveWithRowGeneration(highs: Highs, model: RowModel, o: RowGenerationOptions): RowGenerationResult {
  const result: RowGenerationResult = { bound: -Infinity, solved: false, nodes: 0, rounds: 0, cuts: 0, timeLimitHit: false, solution: null };
  const instance = highs.createModel(highsModelInput(model));
  // Its own time_limit is checked only between larger steps: the callbacks stop it at the deadline.
  // Rows broken by an improving solution found during the current solve (eager separation).
  let pending: Row[] = [];
  const callbacks = o.eager && o.separate ? eagerCallbacks(highs, o, (rows) => (pending = rows), () => pending.length > 0) : deadlineCallbacks(highs, o.deadline, o.race);
  try {
    instance.changeColsIntegrality({ kind: 'set', indices: Int32Array.from(model.integer) }, new Int32Array(model.integer.length).fill(1));
    instance.options.set({ output_flag: false, random_seed: 0, ...o.options });
    for (let round = 0; round < o.rounds; round++) {
      const nodesLeft = Math.floor(o.nodes) - result.nodes;
      if (round > 0 && nodesLeft <= 0) break;
      if (pastDeadline(o.deadline, o.race)) {
        result.timeLimitHit = true;
        break;
      }
      instance.options.set({
        mip_max_nodes: Math.max(0, nodesLeft),
        // HiGHS takes no infinite option value: without a deadline, a limit far past any run.
        time_limit: Number.isFinite(o.deadline) ? Math.max(0.001, (o.deadline - performance.now()) / 1000) : 1e7,
      });
      if (o.start) instance.setSolution({ colValue: o.start });
      pending = [];
      instance.run(callbacks);
      const status = instance.getModelStatus();
      const dual = Number(instance.info.get('mip_dual_bound'));
      // A solve that ends at its root still counts as one node, so the budget always runs down.
      result.nodes += Math.max(1, Number(instance.info.get('mip_node_count')));
      result.rounds = round + 1;
      if (Number.isFinite(dual)) result.bound = Math.max(result.bound, o.boundOf(dual));
      if (pending.length > 0 && status === highs.constants.modelStatus.interrupted && !pastDeadline(o.deadline, o.race)) {
        // Stopped by eager separation: the solve's bound holds, and the rows go in for the next one.
        addRows(instance, pending);
        result.cuts += pending.length;
        continue;
      }
      if (status === highs.constants.modelStatus.timeLimit || status === highs.constants.modelStatus.interrupted) result.timeLimitHit = true;
      if (status !== highs.constants.modelStatus.optimal) break;
      if (result.bound >= o.target - 1e-7) {
        result.solved = true;
        break;
      }
      const col = instance.getSolution().colValue;
      if (!o.separate) {
        result.solved = true;
        result.solution = Float64Array.from(col);
        break;
      }
      const cuts = o.separate(col);
      addRows(instance, cuts);
      result.cuts += cuts.length;
      if (pastDeadline(o.deadline, o.race)) {
        // Separation may have been cut short, so "no row broken" would prove nothing: stop with the bound in hand.
        result.timeLimitHit = true;
        break;
      }
      if (cuts.length === 0) {
        result.solved = true;
        result.solution = Float64Array.from(col);
        break;
      }
    }
  } finally {
    instance.dispose();
  }
  return result;
}

type HighsModel = ReturnType<Highs['createModel']>;

function addRows(instance: HighsModel, rows: Row[]): void {
  for (const cut of rows) {
    const order = cut.index.map((_, i) => i).sort((i, j) => cut.index[i] - cut.index[j]);
    instance.addRow(cut.lower, cut.upper, { indices: Int32Array.from(order, (i) => cut.index[i]), values: Float64Array.from(order, (i) => cut.value[i]) });
  }
}

/**
 * The deadline's interrupts, plus eager separation: each improving solution below the target is
 * separated as it is found (the solution callback cannot stop HiGHS itself), and the next interrupt
 * check stops the solve while rows are pending (deadlineCallbacks' `stop`).
 */
function eagerCallbacks(highs: Highs, o: RowGenerationOptions, found: (rows: Row[]) => void, pending: () => boolean) {
  const improving = (event: { data: { mip_solution?: Float64Array; objective_function_value?: number } }): undefined => {
    const col = event.data.mip_solution;
    if (pending() || !col || !o.separate) return undefined;
    const value = event.data.objective_function_value;
    if (value !== undefined && o.boundOf(value) >= o.target - 1e-7) return undefined;
    const rows = o.separate(col);
    if (rows.length > 0) found(rows);
    return undefined;
  };
  return { ...deadlineCallbacks(highs, o.deadline, o.race, pending), [highs.constants.callbackType.mipImprovingSolution]: improving };
}
