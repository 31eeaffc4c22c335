import type { Problem } from '../plan/problem.js';
import { LocalSearch, type LocalSearchOptions } from './local.js';
import { Random } from './random.js';
import { seedPlan } from './seed.js';

export interface RestartOutcome {
  index: number;
  /** Null when no feasible start was found for this restart. */
  assignment: Int32Array | null;
  objective: number;
  startObjective: number;
  iterations: number;
  timedOut: boolean;
  ms: number;
}

/** Seed of restart i of a run: restarts are independent, so workers may run them in any order. */
export function restartSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(index + 1, 0x165667b1)) >>> 0;
}

/** One restart: a ReCom start, then annealing with recombination. Pure: no I/O, no shared state. */
export function runRestart(problem: Problem, seed: number, index: number, options: LocalSearchOptions): RestartOutcome {
  const began = performance.now();
  const random = new Random(restartSeed(seed, index));
  const start = seedPlan(problem, random);
  if (!start) return { index, assignment: null, objective: Infinity, startObjective: Infinity, iterations: 0, timedOut: false, ms: performance.now() - began };
  const search = new LocalSearch(problem, start, random);
  const startObjective = search.state.objective();
  const result = search.run(options);
  return { index, assignment: result.assignment, objective: result.objective, startObjective, iterations: result.iterations, timedOut: result.timedOut, ms: performance.now() - began };
}
