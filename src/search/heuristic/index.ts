/**
 * The heuristic search (docs/algorithms.md, "Heuristic search"): a feasible start from a split
 * spanning tree (seed.ts, tree.ts, repair.ts), improved by single-unit moves and recombination under
 * simulated annealing (local.ts), one restart per seed (restart.ts).
 */
export { DEFAULT_LOCAL_SEARCH, LocalSearch, type LocalSearchOptions, type LocalSearchResult } from './local.js';
export { runRestart, restartSeed, tightBounds, type RestartOutcome } from './restart.js';
export { feasibleStart, seedPlan, seedPartition, type Start, type StartOptions } from './seed.js';
export { repairPopulations, type RepairOptions, type RepairResult } from './repair.js';
export { randomSpanningTree, SpanningTrees, type Tree } from './tree.js';
