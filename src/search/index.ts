/**
 * The search for a plan (docs/algorithms.md): optimise.ts drives restarts of the heuristic
 * (heuristic/) on worker threads (threads/), the exact search (exact/) and the lower bounds
 * (bounds/); race.ts is the flag by which one proof stops the other, gap.ts what "proven" means.
 * The search reads only the plan problem (plan/): nothing here knows about files.
 */
export { optimise, defaultIterations, searchCoarsening, DEFAULT_RESTARTS, type OptimiseOptions, type OptimiseProgress, type BoundSlot, type OptimiseResult } from './optimise.js';
export { gapPercent, OPTIMAL_TOLERANCE } from './gap.js';
export { solveExact, exactNodeLimit, EXACT_NODE_LIMIT, type ExactOptions, type ExactResult } from './exact/index.js';
export { enumeratePlans, ENUMERATE_NODE_LIMIT, DEFAULT_MAX_PLANS, type EnumeratedPlans, type EnumerateOptions } from './enumerate/index.js';
export { RestartPool, liveWorkers, enumeratePlansInThread } from './threads/index.js';
