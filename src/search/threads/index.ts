/**
 * Worker threads (docs/algorithms.md, "Heuristic search"): a pool that runs restarts and exact
 * searches on every core (pool.ts), and the script each thread runs (worker.ts); the lower bounds in
 * a thread of their own (bound-thread.ts, bound-worker.ts), and explore's plan listing with them, so
 * the main thread stays free for signals.
 */
export { RestartPool, runRestarts, liveWorkers, GRACE_MS, type RestartJob, type RestartPlan } from './pool.js';
export { boundChainInThread, homeBoundInThread, enumeratePlansInThread } from './bound-thread.js';
