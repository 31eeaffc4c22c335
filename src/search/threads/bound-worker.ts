import { parentPort, workerData } from 'node:worker_threads';
import type { Problem } from '../../plan/problem.js';
import type { Evaluation } from '../../plan/evaluate.js';
import { homeBound, runBoundChain, type BoundChainOptions, type HomeBoundOptions } from '../bounds/index.js';
import { enumeratePlans, type EnumerateOptions } from '../enumerate/index.js';
import { fromEpoch } from './epoch.js';

/**
 * Worker thread entry for the lower bounds and footprint explore's plan listing
 * (threads/bound-thread.ts): one request, one reply, then the thread ends. Each blocks the thread it
 * runs in for as long as it solves (HiGHS is WebAssembly; the listing a plain recursion), so it runs
 * here and the main thread stays free to act on Ctrl-C at once.
 */
export type BoundRequest =
  | {
      kind: 'chain';
      problem: Problem;
      plan: { assignment: Int32Array; evaluation: Evaluation };
      /** The deadline as wall-clock milliseconds: performance.now() has its own origin in every thread. */
      options: Omit<BoundChainOptions, 'deadline'> & { deadlineEpochMs?: number };
    }
  | { kind: 'home'; problem: Problem; options: HomeBoundOptions }
  | { kind: 'enumerate'; problem: Problem; options: Omit<EnumerateOptions, 'deadline'> & { deadlineEpochMs?: number } };

export type BoundReply = { ok: true; result: unknown } | { ok: false; message: string };

async function answer(request: BoundRequest): Promise<unknown> {
  if (request.kind === 'home') return homeBound(request.problem, request.options);
  if (request.kind === 'enumerate') {
    const { deadlineEpochMs, ...rest } = request.options;
    return enumeratePlans(request.problem, { ...rest, deadline: fromEpoch(deadlineEpochMs) });
  }
  const { deadlineEpochMs, ...rest } = request.options;
  return runBoundChain(request.problem, request.plan, { ...rest, deadline: fromEpoch(deadlineEpochMs) });
}

answer(workerData as BoundRequest).then(
  (result) => parentPort?.postMessage({ ok: true, result } satisfies BoundReply),
  (error: unknown) => parentPort?.postMessage({ ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies BoundReply),
);
