import { parentPort } from 'node:worker_threads';
import type { Coarsening } from '../plan/coarsen.js';
import type { Problem } from '../plan/problem.js';
import type { LocalSearchOptions } from './local.js';
import { runRestart } from './restart.js';

/**
 * Worker thread entry: receives the problem once, then restart indices to run, and posts each
 * outcome back. The deadline is sent as wall-clock milliseconds because performance.now() has a
 * different origin in every thread. Anything unexpected is posted back as an error rather than
 * ignored, so the pool never waits for an answer that will not come.
 */
export interface WorkerInit {
  problem: Problem;
  coarsening: Coarsening | null;
  seed: number;
  options: Omit<LocalSearchOptions, 'deadline'> & { deadlineEpochMs?: number };
}

export type WorkerRequest = { init: WorkerInit } | { restart: number };

let init: WorkerInit | null = null;
parentPort?.on('message', (message: WorkerRequest) => {
  if ('init' in message) {
    init = message.init;
    return;
  }
  try {
    if (!init) throw new Error(`restart ${message.restart} was sent before the problem`);
    const { deadlineEpochMs, ...rest } = init.options;
    const deadline = deadlineEpochMs === undefined ? undefined : performance.now() + (deadlineEpochMs - Date.now());
    parentPort?.postMessage({ outcome: runRestart(init.problem, init.seed, message.restart, { ...rest, deadline }, init.coarsening) });
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
