import { Worker } from 'node:worker_threads';
import { compiledFile } from '../../io/compiled.js';
import type { Evaluation } from '../../plan/evaluate.js';
import type { Problem } from '../../plan/problem.js';
import { homeBound, runBoundChain, type BoundChainOptions, type HomeBoundOptions, type HomeBoundResult } from '../bounds/index.js';
import { enumeratePlans, type EnumeratedPlans, type EnumerateOptions } from '../enumerate/index.js';
import type { BoundReply, BoundRequest } from './bound-worker.js';
import { toEpoch } from './epoch.js';

/**
 * The lower bounds in a thread of their own (bound-worker.ts). HiGHS is WebAssembly: while it
 * solves, the thread it runs in runs nothing else, and a proof can take minutes. Run in the main
 * thread it kept Ctrl-C and SIGTERM from being acted on until it stopped (signal handlers run on
 * the main thread's event loop, and only there); here the main thread only waits for a message, so
 * a signal is acted on at once (io/output-folder.ts removes the staging folder and ends the process).
 * The bound, the plan and every figure are the same as in this thread: the same code on a copy of
 * the problem. The race flag (race.ts) is shared memory, so the exact search still stops the
 * bounds mid-solve from its own thread.
 *
 * Without the compiled worker (under a TypeScript runner) the bounds run in this thread, as the
 * restart pool's restarts do.
 */
type ChainResult = Awaited<ReturnType<typeof runBoundChain>>;

function boundWorkerUrl(): URL | null {
  return compiledFile(import.meta.url, './bound-worker.js', { fromSource: false });
}

export function boundChainInThread(problem: Problem, plan: { assignment: Int32Array; evaluation: Evaluation }, options: BoundChainOptions): Promise<ChainResult> {
  const url = boundWorkerUrl();
  if (!url) return runBoundChain(problem, plan, options);
  const { deadline, ...rest } = options;
  return inWorker<ChainResult>(url, { kind: 'chain', problem, plan, options: { ...rest, deadlineEpochMs: toEpoch(deadline) } });
}

export function homeBoundInThread(problem: Problem, options: HomeBoundOptions): Promise<HomeBoundResult> {
  const url = boundWorkerUrl();
  if (!url) return homeBound(problem, options);
  return inWorker<HomeBoundResult>(url, { kind: 'home', problem, options });
}

/**
 * Every plan of a small problem (enumerate/), listed in a thread of its own: the listing can take
 * half of explore's time limit, and in the main thread it kept Ctrl-C from being acted on until it ended.
 */
export function enumeratePlansInThread(problem: Problem, options: EnumerateOptions = {}): Promise<EnumeratedPlans> {
  const url = boundWorkerUrl();
  if (!url) return Promise.resolve(enumeratePlans(problem, options));
  const { deadline, ...rest } = options;
  return inWorker<EnumeratedPlans>(url, { kind: 'enumerate', problem, options: { ...rest, deadlineEpochMs: toEpoch(deadline) } });
}

function inWorker<T>(url: URL, request: BoundRequest): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(url, { workerData: request });
    let reply: BoundReply | null = null;
    worker.once('message', (message: BoundReply) => {
      reply = message;
    });
    worker.once('error', (error) => {
      reply ??= { ok: false, message: error.stack ?? error.message };
    });
    // Settled on exit, so the thread is gone whatever happens: no bound thread outlives its call.
    worker.once('exit', (code) => {
      if (reply?.ok) resolve(reply.result as T);
      else reject(new Error(reply ? `the bound thread failed: ${reply.message}` : `the bound thread ended (code ${code}) without a result`));
    });
  });
}
