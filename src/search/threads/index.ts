/**
 * Worker threads (docs/algorithms.md, "Heuristic search"): a pool that runs restarts and exact
 * searches on every core (pool.ts), and the script each thread runs (worker.ts).
 */
export { RestartPool, runRestarts, liveWorkers, GRACE_MS, type RestartJob, type RestartPlan } from './pool.js';
