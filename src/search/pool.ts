import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Coarsening } from '../plan/coarsen.js';
import type { Problem } from '../plan/problem.js';
import type { LocalSearchOptions } from './local.js';
import { runRestart, type RestartOutcome } from './restart.js';
import type { WorkerInit, WorkerRequest } from './worker.js';

/**
 * Runs restarts, in worker threads when there is more than one worker (and the compiled worker is
 * available), and keeps the time limit: no restart starts after the deadline, and workers still
 * busy a grace period after it are terminated, so a run never outlives its limit by more than that.
 * Workers are ended on every path — done, deadline, error, or a worker that exits on its own.
 */
export interface RestartJob {
  problem: Problem;
  coarsening: Coarsening | null;
  seed: number;
  /** Local search settings; `deadline` is a performance.now() time. */
  options: LocalSearchOptions;
}

export interface RestartPlan {
  /** Restarts 0 … planned−1 always run (unless the deadline passes first). */
  planned: number;
  /** Further restarts run while none has reached a plan within bounds: this many, */
  extra: number;
  /** or, when true and there is a deadline, as many as it allows. */
  extraUntilDeadline: boolean;
}

/** How long after the deadline busy workers are terminated (their restarts are lost). */
export const GRACE_MS = 1_000;

let live = 0;
/** Worker threads of this module not yet exited (for tests: none may outlive a run). */
export function liveWorkers(): number {
  return live;
}

/** The compiled worker, when running from dist/; under a TypeScript runner restarts stay in-process. */
function workerUrl(): URL | null {
  const here = new URL(import.meta.url);
  if (!here.pathname.endsWith('.js')) return null;
  return new URL('./worker.js', here);
}

/**
 * Hands out restart indices: the planned ones, then extras while none has found a plan. Extras wait
 * until every planned restart has reported, so whenever a planned restart finds a plan the result
 * does not depend on which worker finished first.
 */
class Schedule {
  private nextIndex = 0;
  private feasible = false;
  private plannedDone = 0;
  constructor(
    private readonly plan: RestartPlan,
    private readonly deadline: number | undefined,
  ) {}
  record(outcome: RestartOutcome): void {
    if (outcome.assignment) this.feasible = true;
    if (outcome.index < this.plan.planned) this.plannedDone++;
  }
  /** The next restart to run, 'wait' to ask again after the next outcome, or undefined when there is none. */
  next(): number | 'wait' | undefined {
    if (this.deadline !== undefined && performance.now() > this.deadline) return undefined;
    const i = this.nextIndex;
    if (i >= this.plan.planned) {
      if (this.feasible) return undefined;
      const untilDeadline = this.plan.extraUntilDeadline && this.deadline !== undefined;
      if (!untilDeadline && i >= this.plan.planned + this.plan.extra) return undefined;
      if (this.plannedDone < this.plan.planned) return 'wait';
    }
    this.nextIndex++;
    return i;
  }
}

export async function runRestarts(job: RestartJob, plan: RestartPlan, workers: number, onDone: (o: RestartOutcome) => void): Promise<RestartOutcome[]> {
  const schedule = new Schedule(plan, job.options.deadline);
  const url = workerUrl();
  const outcomes: RestartOutcome[] = [];
  if (!url || workers <= 1 || plan.planned <= 1) {
    // One restart at a time here, so every planned one has reported before an extra is asked for.
    for (let i = schedule.next(); typeof i === 'number'; i = schedule.next()) {
      const outcome = runRestart(job.problem, job.seed, i, job.options, job.coarsening);
      outcomes.push(outcome);
      schedule.record(outcome);
      onDone(outcome);
    }
    return outcomes;
  }
  await inWorkers(url, job, schedule, Math.min(workers, plan.planned), (outcome) => {
    outcomes.push(outcome);
    schedule.record(outcome);
    onDone(outcome);
  });
  return outcomes.sort((a, b) => a.index - b.index);
}

function inWorkers(url: URL, job: RestartJob, schedule: Schedule, count: number, onOutcome: (o: RestartOutcome) => void): Promise<void> {
  const { deadline, ...rest } = job.options;
  const deadlineEpochMs = deadline === undefined ? undefined : Date.now() + (deadline - performance.now());
  const init: WorkerInit = { problem: job.problem, coarsening: job.coarsening, seed: job.seed, options: { ...rest, deadlineEpochMs } };
  return new Promise<void>((resolve, reject) => {
    const active = new Set<Worker>();
    const exits: Array<Promise<number>> = [];
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const endAll = (): Promise<unknown> => {
      if (timer) clearTimeout(timer);
      const ending = [...active].map((w) => w.terminate());
      active.clear();
      return Promise.all([...ending, ...exits]);
    };
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      void endAll().then(() => (error ? reject(error) : resolve()));
    };
    const retire = (worker: Worker) => {
      active.delete(worker);
      void worker.terminate();
      if (active.size === 0) finish();
    };
    const idle = new Set<Worker>();
    const dispatch = (worker: Worker) => {
      const i = schedule.next();
      if (i === undefined) retire(worker);
      else if (i === 'wait') idle.add(worker);
      else worker.postMessage({ restart: i } satisfies WorkerRequest);
    };
    if (deadline !== undefined) {
      timer = setTimeout(() => finish(), Math.max(0, deadline - performance.now()) + GRACE_MS);
    }
    for (let w = 0; w < count; w++) {
      const worker = new Worker(fileURLToPath(url));
      live++;
      active.add(worker);
      exits.push(
        new Promise<number>((done) =>
          worker.once('exit', (code) => {
            live--;
            // A worker that ends while still counted on is a crash (out of memory, say), not a finish.
            if (active.has(worker)) finish(new Error(`a search worker exited unexpectedly (code ${code})`));
            done(code);
          }),
        ),
      );
      worker.on('message', (message: { outcome?: RestartOutcome; error?: string }) => {
        if (settled || !active.has(worker)) return;
        if (message.error !== undefined || !message.outcome) {
          finish(new Error(`a search worker failed: ${message.error ?? 'no outcome'}`));
          return;
        }
        try {
          onOutcome(message.outcome);
        } catch (error) {
          // A failing progress callback must still end the workers, not leave them running.
          finish(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        dispatch(worker);
        for (const waiting of [...idle]) {
          idle.delete(waiting);
          if (!settled) dispatch(waiting);
        }
      });
      worker.on('error', (error) => finish(error));
      worker.postMessage({ init } satisfies WorkerRequest);
      dispatch(worker);
    }
  });
}
