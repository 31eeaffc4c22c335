import { parentPort } from 'node:worker_threads';
import type { Coarsening } from '../plan/coarsen.js';
import type { Problem } from '../plan/problem.js';
import type { LocalSearchOptions } from './local.js';
import { runRestart } from './restart.js';

/**
 * Worker thread entry: receives the problem once, then restart indices to run, and posts each
 * outcome back. The deadline is sent as wall-clock milliseconds because performance.now() has a
 * different origin in every thread.
 */
interface Init {
  problem: Problem;
  coarsening: Coarsening | null;
  seed: number;
  options: Omit<LocalSearchOptions, 'deadline'> & { deadlineEpochMs?: number };
}

let init: Init | null = null;
parentPort?.on('message', (message: { init?: Init; restart?: number; stop?: boolean }) => {
  if (message.init) {
    init = message.init;
    return;
  }
  if (message.stop) {
    parentPort?.close();
    return;
  }
  if (message.restart !== undefined && init) {
    const { deadlineEpochMs, ...rest } = init.options;
    const deadline = deadlineEpochMs === undefined ? undefined : performance.now() + (deadlineEpochMs - Date.now());
    const outcome = runRestart(init.problem, init.seed, message.restart, { ...rest, deadline }, init.coarsening);
    parentPort?.postMessage(outcome);
  }
});
