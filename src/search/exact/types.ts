import type { Race } from '../race.js';

/** What the exact search (solve.ts) is given and returns. */
export interface ExactOptions {
  /** Objective of a known plan: only strictly better plans are searched for. */
  incumbent?: number;
  incumbentAssignment?: Int32Array;
  /** performance.now() time after which the search gives up (the result is then not proven). */
  deadline?: number;
  /** Racing a proof on another thread (race.ts): it gives up when that one ends the race, and ends it when it finishes first. */
  race?: Race;
  /**
   * Limits on split terms, S(L|F) ≤ value for layer index `layer` (unweighted), as constraints: a
   * plan above one is no plan. The ε-constraint method of footprint explore (docs/algorithms.md,
   * "Trade-offs"). A footprint is not closed when the carved ones already force a term past its
   * limit (the split tally's bound, taken unweighted); finished plans above a limit are dropped.
   */
  limits?: Array<{ layer: number; value: number }>;
  /**
   * The search shared out over threads (share.ts): this call searches the tasks it draws. Each
   * thread's result goes to combineShares. Without it the call searches every task itself.
   */
  share?: ExactShare;
}

export interface ExactResult {
  /** True when the search finished: the assignment is optimal. */
  proven: boolean;
  assignment: Int32Array | null;
  objective: number;
  /** The task (share.ts) the plan was found in, in the search's order; −1 for the incumbent given. */
  task: number;
  /** Partitions evaluated to the end, and partial plans pruned, for reports and benchmarks. */
  leaves: number;
  pruned: number;
}

/** One exact search shared out over threads: memory they all see (share.ts lays it out). */
export interface ExactShare {
  memory: SharedArrayBuffer;
  /** Threads the search is shared out over: the last to finish ends the race (race.ts). */
  threads: number;
}
