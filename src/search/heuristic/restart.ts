import type { Coarsening } from '../../plan/coarsen.js';
import { refineAssignment } from '../../plan/coarsen.js';
import type { Problem } from '../../plan/problem.js';
import { LocalSearch, type LocalSearchOptions } from './local.js';
import { Random } from '../random.js';
import { feasibleStart } from './seed.js';

export interface RestartOutcome {
  index: number;
  /** Null when no plan within the bounds was reached in this restart. */
  assignment: Int32Array | null;
  /** When assignment is null: residents beyond the bounds in all, and footprints outside them, of the closest attempt. */
  deviation: number;
  outside: number;
  objective: number;
  startObjective: number;
  iterations: number;
  timedOut: boolean;
  /** Whether the restart searched the coarse problem first (see plan/coarsen). */
  multilevel: boolean;
  ms: number;
}

/**
 * Share of a multilevel restart's moves spent on the coarse problem; the rest anneal the fine one
 * from the coarse result. Half and half, at the full temperature both times, was the best
 * compromise measured (docs/benchmarks.md): on Oldham's LSOAs it makes restarts reach the best
 * known plan far more often, and costs little on the example, where the coarse graph binds too much.
 */
export const COARSE_SHARE = 0.5;

/**
 * Bounds are tight when most nodes hold more than half the bounds' width: then a node can rarely
 * change footprint without taking one of the two out of bounds, single moves almost all fail, and
 * the search is a walk of recombinations (the Validi–Buchanan county instances at ±0.5%: no county
 * of Louisiana or Iowa is below half the width). Oldham's LSOAs at 30,000–55,000 are far from it.
 */
export function tightBounds(problem: Problem): boolean {
  const half = (problem.max - problem.min) / 2;
  let small = 0;
  for (let v = 0; v < problem.n; v++) if (problem.population[v] <= half) small++;
  return 2 * small < problem.n;
}

/**
 * The search under tight bounds: a recombination draws up to 16 trees until one splits the pair
 * within bounds (few do on the county instances), and the walk starts hot and ends at a third of
 * the usual start, since a recombination moves many nodes at once and its plans differ by several
 * cut edges. This took most restarts on Louisiana and Iowa to the optimum, where few reached it
 * before; 32 trees did a little better at twice the time (docs/benchmarks.md).
 */
export const TIGHT_SEARCH: Pick<LocalSearchOptions, 'startTemperature' | 'endTemperature' | 'recombineTrees'> = {
  startTemperature: 0.1,
  endTemperature: 0.001,
  recombineTrees: 16,
};

/** Seed-and-repair attempts of a restart under tight bounds, where only some attempts reach them (docs/benchmarks.md). */
const TIGHT_START_ATTEMPTS = 12;

/** Seed of restart i of a run: restarts are independent, so workers may run them in any order. */
export function restartSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(index + 1, 0x165667b1)) >>> 0;
}

/**
 * One restart: a ReCom start, then annealing with recombination. With a coarsening, the start and
 * the first half of the moves are on the coarse problem, whose plans are far fewer; the second
 * half anneals the fine problem from there, so units a coarse node bound together can still part.
 * The best plan seen is kept, so the fine half never loses the coarse result. Pure: no I/O, no
 * shared state.
 */
export function runRestart(problem: Problem, seed: number, index: number, searchOptions: LocalSearchOptions, coarsening: Coarsening | null = null): RestartOutcome {
  const began = performance.now();
  const tight = tightBounds(problem);
  const options = tight ? { ...searchOptions, ...TIGHT_SEARCH } : searchOptions;
  const random = new Random(restartSeed(seed, index));
  // One attempt on the coarse problem: its nodes are lumpier, so when it fails the fine one gets the time.
  const coarseStart = coarsening ? feasibleStart(coarsening.coarse, random, { attempts: 1, deadline: options.deadline }) : null;
  if (coarsening && coarseStart?.assignment) {
    const coarseIterations = Math.round(options.iterations * COARSE_SHARE);
    const coarse = new LocalSearch(coarsening.coarse, coarseStart.assignment, random);
    const startObjective = coarse.state.objective();
    const first = coarse.run({ ...options, iterations: coarseIterations });
    const fine = new LocalSearch(problem, refineAssignment(coarsening, first.assignment), random);
    const second = fine.run({ ...options, iterations: options.iterations - coarseIterations });
    return {
      index,
      assignment: second.assignment,
      deviation: 0,
      outside: 0,
      objective: second.objective,
      startObjective,
      iterations: first.iterations + second.iterations,
      timedOut: first.timedOut || second.timedOut,
      multilevel: true,
      ms: performance.now() - began,
    };
  }
  const start = feasibleStart(problem, random, { deadline: options.deadline, attempts: tight ? TIGHT_START_ATTEMPTS : undefined });
  if (!start.assignment) {
    // A coarse plan's populations are those of the fine plan it stands for, so its deviation counts too.
    const closest = coarseStart && coarseStart.deviation < start.deviation ? coarseStart : start;
    return {
      index,
      assignment: null,
      deviation: closest.deviation,
      outside: closest.outside,
      objective: Infinity,
      startObjective: Infinity,
      iterations: 0,
      timedOut: options.deadline !== undefined && performance.now() > options.deadline,
      multilevel: false,
      ms: performance.now() - began,
    };
  }
  const search = new LocalSearch(problem, start.assignment, random);
  const startObjective = search.state.objective();
  const result = search.run(options);
  return { index, assignment: result.assignment, deviation: 0, outside: 0, objective: result.objective, startObjective, iterations: result.iterations, timedOut: result.timedOut, multilevel: false, ms: performance.now() - began };
}
