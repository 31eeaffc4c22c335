import { parentPort } from 'node:worker_threads';
import type { Coarsening } from '../../plan/coarsen.js';
import type { Problem } from '../../plan/problem.js';
import { solveExact, type ExactOptions, type ExactResult } from '../exact/index.js';
import type { LocalSearchOptions } from '../heuristic/index.js';
import type { Race } from '../race.js';
import { runRestart, type RestartOutcome } from '../heuristic/index.js';
import { fromEpoch } from './epoch.js';

/**
 * Worker thread entry for the restart pool (threads/pool.ts). A worker serves many problems: each arrives
 * once, under an id, and tasks (a restart, or an exact search) name the problem by that id, so a
 * problem is copied into a thread once however many of its restarts the thread runs. Deadlines are
 * sent as wall-clock milliseconds because performance.now() has a different origin in every thread.
 * Anything unexpected is posted back as an error rather than ignored, so the pool never waits for
 * an answer that will not come.
 */
export interface WorkerProblem {
  id: number;
  problem: Problem;
  coarsening: Coarsening | null;
}

export type WorkerSearchOptions = Omit<LocalSearchOptions, 'deadline'> & { deadlineEpochMs?: number };

export type WorkerTask =
  | { kind: 'restart'; problem: number; seed: number; index: number; options: WorkerSearchOptions }
  | { kind: 'exact'; problem: number; incumbent?: number; incumbentAssignment?: Int32Array; deadlineEpochMs?: number; race?: Race; limits?: ExactOptions['limits']; share?: ExactOptions['share'] };

export type WorkerRequest = { load: WorkerProblem } | { drop: number } | { task: number; run: WorkerTask };

export type WorkerReply = { task: number; outcome: RestartOutcome } | { task: number; exact: ExactResult } | { task: number; error: string };

const problems = new Map<number, WorkerProblem>();

function run(task: WorkerTask): Omit<WorkerReply, 'task'> {
  const entry = problems.get(task.problem);
  if (!entry) throw new Error(`a ${task.kind} task was sent for problem ${task.problem} before the problem`);
  if (task.kind === 'restart') {
    const { deadlineEpochMs, ...rest } = task.options;
    return { outcome: runRestart(entry.problem, task.seed, task.index, { ...rest, deadline: fromEpoch(deadlineEpochMs) }, entry.coarsening) };
  }
  return { exact: solveExact(entry.problem, { incumbent: task.incumbent, incumbentAssignment: task.incumbentAssignment, deadline: fromEpoch(task.deadlineEpochMs), race: task.race, limits: task.limits, share: task.share }) };
}

parentPort?.on('message', (message: WorkerRequest) => {
  if ('load' in message) {
    problems.set(message.load.id, message.load);
    return;
  }
  if ('drop' in message) {
    problems.delete(message.drop);
    return;
  }
  try {
    parentPort?.postMessage({ task: message.task, ...run(message.run) } as WorkerReply);
  } catch (error) {
    parentPort?.postMessage({ task: message.task, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerReply);
  }
});
