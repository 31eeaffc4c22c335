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
}

export interface ExactResult {
  /** True when the search finished: the assignment is optimal. */
  proven: boolean;
  assignment: Int32Array | null;
  objective: number;
  /** Partitions evaluated to the end, and partial plans pruned, for reports and benchmarks. */
  leaves: number;
  pruned: number;
}
