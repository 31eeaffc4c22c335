import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Coarsening } from '../../plan/coarsen.js';
import type { Problem } from '../../plan/problem.js';
import { combineShares, createShare, solveExact, type ExactOptions, type ExactResult } from '../exact/index.js';
import type { LocalSearchOptions } from '../heuristic/index.js';
import { runRestart, type RestartOutcome } from '../heuristic/index.js';
import { compiledFile } from '../../io/compiled.js';
import type { WorkerReply, WorkerRequest, WorkerTask } from './worker.js';
import { toEpoch } from './epoch.js';

/**
 * The restart pool: worker threads (or this thread, when there is one worker or no compiled
 * worker) that run the restarts and exact searches of any number of problems at once, so a nested
 * run's small areas do not leave cores idle while a large one finishes. Each problem is copied
 * into a worker once, on the first task of it that worker runs.
 *
 * Determinism: a restart's result depends only on its problem, seed, index and move count, so a
 * problem's outcomes are the same whatever else shares the pool, unless a deadline cut them.
 * Deadlines are per task: no task starts after its deadline, and a worker still busy a grace period
 * after it is terminated (the task is lost) and replaced if work remains. Workers are ended on
 * every path — close(), a failing task, a worker that crashes or exits on its own.
 *
 * Over 400 lines on purpose: the schedule, the two task sources and the pool share one lifecycle
 * (workers started, replaced, terminated at the deadline, ended on every path), which is easier to
 * check for leaks read in one file than split across several.
 */
export interface RestartJob {
  problem: Problem;
  coarsening: Coarsening | null;
  seed: number;
  /** Local search settings; `deadline` is a performance.now() time. */
  options: LocalSearchOptions;
}

export interface RestartPlan {
  /** Restarts first … planned−1 always run (unless the deadline passes first); first defaults to 0. */
  planned: number;
  first?: number;
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
  return compiledFile(import.meta.url, './worker.js', { fromSource: false });
}

/**
 * Hands out restart indices: the planned ones, then extras while none has found a plan. Extras wait
 * until every planned restart has reported, so whenever a planned restart finds a plan the result
 * does not depend on which worker finished first.
 */
class Schedule {
  private nextIndex: number;
  private feasible = false;
  private plannedDone = 0;
  constructor(
    private readonly plan: RestartPlan,
    private readonly deadline: number | undefined,
  ) {
    this.nextIndex = plan.first ?? 0;
  }
  /** A restart reported (or was lost at the deadline: it counts as done, without a plan). */
  record(index: number, feasible: boolean): void {
    if (feasible) this.feasible = true;
    if (index < this.plan.planned) this.plannedDone++;
  }
  /** The next restart to run, 'wait' to ask again after the next outcome, or undefined when there is none. */
  peek(): number | 'wait' | undefined {
    if (this.deadline !== undefined && performance.now() > this.deadline) return undefined;
    const i = this.nextIndex;
    if (i >= this.plan.planned) {
      if (this.feasible) return undefined;
      const untilDeadline = this.plan.extraUntilDeadline && this.deadline !== undefined;
      if (!untilDeadline && i >= this.plan.planned + this.plan.extra) return undefined;
      if (this.plannedDone < this.plan.planned - (this.plan.first ?? 0)) return 'wait';
    }
    return i;
  }
  take(): void {
    this.nextIndex++;
  }
}

/** A problem known to the pool; workers are sent it under `id`. */
interface Entry {
  id: number;
  problem: Problem;
  coarsening: Coarsening | null;
  /** Sources not yet settled that use it, and whether its owner has said no more will come. */
  users: number;
  released: boolean;
}

type Task = { kind: 'restart'; index: number } | { kind: 'exact' };

/**
 * A task a source would run next. Ranks compare in order: exact searches first (each finishes a
 * problem), then planned restarts round by round (restart i of every problem before restart i+1 of
 * any, so when time runs short every problem has its first restarts), larger problems first within
 * a round (they take longest), then extras; ties by submission.
 */
interface Offer {
  rank: number[];
  deadline: number | undefined;
  task: Task;
}

const before = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
};

interface Source {
  readonly entry: Entry;
  settled: boolean;
  offer(): Offer | 'wait' | undefined;
  take(task: Task): void;
  /** Planned restarts not yet finished, in units of work (nodes × moves), for fair shares. */
  pendingWork(): number;
  /** The work of one task of this source, in the same units (0: not shared out). */
  taskWork(task: Task): number;
  message(task: Task, deadline: number | undefined): WorkerTask;
  inline(task: Task, deadline: number | undefined): WorkerReply;
  deliver(task: Task, reply: WorkerReply): void;
  lose(task: Task): void;
  /** Settles the promise when nothing is left to run or wait for; true when it did. */
  settleIfDone(): boolean;
  reject(error: Error): void;
}

class RestartSource implements Source {
  settled = false;
  private inflight = 0;
  private readonly outcomes: RestartOutcome[] = [];
  private readonly schedule: Schedule;
  constructor(
    readonly entry: Entry,
    private readonly job: RestartJob,
    private readonly plan: RestartPlan,
    private readonly order: number,
    private readonly onDone: (o: RestartOutcome) => void,
    private readonly done: { resolve: (o: RestartOutcome[]) => void; reject: (e: Error) => void },
  ) {
    this.schedule = new Schedule(plan, job.options.deadline);
  }
  private taken = 0;
  private get cost(): number {
    return this.job.problem.n * this.job.options.iterations;
  }
  offer(): Offer | 'wait' | undefined {
    const i = this.schedule.peek();
    if (typeof i !== 'number') return i;
    return { rank: [i < this.plan.planned ? 1 : 2, i, -this.cost, this.order], deadline: this.job.options.deadline, task: { kind: 'restart', index: i } };
  }
  take(): void {
    this.schedule.take();
    this.taken++;
    this.inflight++;
  }
  pendingWork(): number {
    return this.settled ? 0 : (Math.max(0, this.plan.planned - (this.plan.first ?? 0) - this.taken) + this.inflight) * this.cost;
  }
  taskWork(): number {
    return this.cost;
  }
  message(task: Task, deadline: number | undefined): WorkerTask {
    const { deadline: _, ...rest } = this.job.options;
    return { kind: 'restart', problem: this.entry.id, seed: this.job.seed, index: (task as { index: number }).index, options: { ...rest, deadlineEpochMs: toEpoch(deadline) } };
  }
  inline(task: Task, deadline: number | undefined): WorkerReply {
    return { task: -1, outcome: runRestart(this.job.problem, this.job.seed, (task as { index: number }).index, { ...this.job.options, deadline }, this.job.coarsening) };
  }
  deliver(_task: Task, reply: WorkerReply): void {
    this.inflight--;
    if (this.settled) return;
    if (!('outcome' in reply)) {
      this.reject(new Error('a search worker answered a restart with no outcome'));
      return;
    }
    this.outcomes.push(reply.outcome);
    this.schedule.record(reply.outcome.index, reply.outcome.assignment !== null);
    try {
      this.onDone(reply.outcome);
    } catch (error) {
      // A failing progress callback ends this problem's search, not the pool.
      this.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
  lose(task: Task): void {
    this.inflight--;
    this.schedule.record((task as { index: number }).index, false);
  }
  settleIfDone(): boolean {
    if (this.settled) return true;
    if (this.inflight > 0 || this.schedule.peek() !== undefined) return false;
    this.settled = true;
    this.done.resolve(this.outcomes.sort((a, b) => a.index - b.index));
    return true;
  }
  reject(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.done.reject(error);
  }
}

/** What an exact search lost at the deadline reports: nothing found, nothing proven. */
const LOST_EXACT: ExactResult = { proven: false, assignment: null, objective: Infinity, task: -1, leaves: 0, pruned: 0 };

class ExactSource implements Source {
  settled = false;
  private taken = false;
  private result: ExactResult | null = null;
  constructor(
    readonly entry: Entry,
    private readonly options: ExactOptions,
    private readonly order: number,
    private readonly done: { resolve: (r: ExactResult) => void; reject: (e: Error) => void },
  ) {}
  offer(): Offer | undefined {
    return this.taken ? undefined : { rank: [0, 0, -this.entry.problem.n, this.order], deadline: this.options.deadline, task: { kind: 'exact' } };
  }
  take(): void {
    this.taken = true;
  }
  pendingWork(): number {
    return 0;
  }
  taskWork(): number {
    return 0;
  }
  message(_task: Task, deadline: number | undefined): WorkerTask {
    const { deadline: _, ...rest } = this.options;
    return { kind: 'exact', problem: this.entry.id, ...rest, deadlineEpochMs: toEpoch(deadline) };
  }
  inline(_task: Task, deadline: number | undefined): WorkerReply {
    return { task: -1, exact: solveExact(this.entry.problem, { ...this.options, deadline }) };
  }
  deliver(_task: Task, reply: WorkerReply): void {
    if ('exact' in reply) this.result = reply.exact;
    else this.reject(new Error('a search worker answered an exact search with no result'));
  }
  lose(): void {
    this.result = LOST_EXACT;
  }
  settleIfDone(): boolean {
    if (this.settled) return true;
    if (!this.result) return false;
    this.settled = true;
    this.done.resolve(this.result);
    return true;
  }
  reject(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.done.reject(error);
  }
}

interface Slot {
  worker: Worker;
  /** Problems this worker has been sent. */
  loaded: Set<number>;
  running: { id: number; source: Source; task: Task } | null;
  timer: NodeJS.Timeout | undefined;
  /** Set when the pool ends the worker on purpose, so its exit is not taken for a crash. */
  ending: boolean;
}

export class RestartPool {
  private readonly url = workerUrl();
  private started = false;
  private size = 0;
  private slots: Slot[] = [];
  private readonly exits: Array<Promise<void>> = [];
  private sources: Source[] = [];
  private readonly entries: Entry[] = [];
  private nextId = 0;
  private nextTask = 0;
  private order = 0;
  private closed = false;
  private failure: Error | null = null;
  private inlineQueued = false;
  private pumpQueued = false;
  private sent = 0;
  private fairShare = false;

  /**
   * Starts `workers` worker threads; with 0 or 1, or without the compiled worker (under a
   * TypeScript runner), tasks run in this thread, one per turn of the event loop.
   *
   * With `fairShare`, a restart that starts with time short is cut at its share of the time left:
   * (deadline − now) × threads × its work / the planned work not yet finished (work = nodes ×
   * moves). With time to spare the share is far above what a restart needs and changes nothing;
   * when the limit is tight every problem still gets its restarts run, cut, rather than the
   * problems queued last getting none.
   *
   * With `threaded`, one worker runs in a thread too, so this thread stays free for other work (an
   * exact search racing the HiGHS bounds, race.ts); without the compiled worker there is still none.
   */
  start(workers: number, options: { fairShare?: boolean; threaded?: boolean } = {}): this {
    if (this.started) throw new Error('the restart pool was started twice');
    this.started = true;
    this.fairShare = options.fairShare ?? false;
    this.size = this.url && (workers > 1 || (options.threaded === true && workers === 1)) ? workers : 0;
    for (let w = 0; w < this.size; w++) this.spawn();
    return this;
  }

  /** Worker threads the pool runs on (0: this thread). */
  get workers(): number {
    return this.size;
  }

  /** Problems copied into workers so far (each at most once per worker thread). */
  get problemsSent(): number {
    return this.sent;
  }

  /** Runs a problem's restarts; the outcomes come back in restart order. */
  submit(job: RestartJob, plan: RestartPlan, onDone: (o: RestartOutcome) => void = () => undefined): Promise<RestartOutcome[]> {
    return new Promise<RestartOutcome[]>((resolve, reject) => {
      const refused = this.refusal();
      if (refused) return reject(refused);
      this.add(new RestartSource(this.entryFor(job.problem, job.coarsening), job, plan, this.order++, onDone, { resolve, reject }));
    });
  }

  /**
   * Runs the exact search (exact/solve.ts) of a problem, in a worker when there are any; with
   * `threads` above 1, shared out over that many tasks of the pool (exact/share.ts), with the same
   * result as in one.
   */
  async exact(problem: Problem, options: ExactOptions, threads = 1): Promise<ExactResult> {
    if (threads <= 1) return this.exactShare(problem, options);
    const share = createShare(threads, problem.n);
    return combineShares(await Promise.all(Array.from({ length: threads }, () => this.exactShare(problem, { ...options, share }))));
  }

  private exactShare(problem: Problem, options: ExactOptions): Promise<ExactResult> {
    return new Promise<ExactResult>((resolve, reject) => {
      const refused = this.refusal();
      if (refused) return reject(refused);
      const known = this.entries.find((e) => e.problem === problem && !e.released);
      this.add(new ExactSource(known ?? this.entryFor(problem, null), options, this.order++, { resolve, reject }));
    });
  }

  /** No more tasks of this problem will come: workers may forget it once its tasks have settled. */
  release(problem: Problem): void {
    for (const entry of this.entries) if (entry.problem === problem) entry.released = true;
    this.forgetUnused();
  }

  /** Ends every worker (waiting for them to exit); searches still pending are rejected. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      for (const source of this.sources) source.reject(new Error('the restart pool was closed before the search finished'));
      this.sources = [];
      this.endAll();
    }
    await Promise.all(this.exits);
  }

  private refusal(): Error | null {
    if (!this.started) return new Error('the restart pool was not started');
    if (this.failure) return this.failure;
    if (this.closed) return new Error('the restart pool is closed');
    return null;
  }

  private entryFor(problem: Problem, coarsening: Coarsening | null): Entry {
    const known = this.entries.find((e) => e.problem === problem && e.coarsening === coarsening && !e.released);
    if (known) return known;
    const entry: Entry = { id: this.nextId++, problem, coarsening, users: 0, released: false };
    this.entries.push(entry);
    return entry;
  }

  private add(source: Source): void {
    source.entry.users++;
    this.sources.push(source);
    // After the current synchronous code: problems submitted together are all known before the first task is handed out.
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /** A task's deadline: its source's, or with fair shares, its share of the time left when sooner. */
  private deadlineOf(source: Source, offer: Offer): number | undefined {
    const work = source.taskWork(offer.task);
    if (!this.fairShare || offer.deadline === undefined || work === 0) return offer.deadline;
    const now = performance.now();
    // Called once the task is taken, so its own work is among the pending.
    const pending = this.sources.reduce((s, src) => s + src.pendingWork(), 0);
    return Math.min(offer.deadline, now + ((offer.deadline - now) * Math.max(1, this.size) * work) / pending);
  }

  /** Settles finished sources, then hands the best waiting task to each idle worker. */
  private pump(): void {
    if (this.closed || this.failure) return;
    this.settleFinished();
    if (this.size === 0) {
      this.pumpInline();
      return;
    }
    for (const slot of this.slots) {
      if (slot.running) continue;
      const pick = this.best();
      if (!pick) break;
      this.assign(slot, pick.source, pick.offer);
    }
    // Workers ended at a deadline are replaced only while there is work for them.
    while (this.slots.length < this.size) {
      const pick = this.best();
      if (!pick) break;
      this.assign(this.spawn(), pick.source, pick.offer);
    }
  }

  private settleFinished(): void {
    const count = this.sources.length;
    this.sources = this.sources.filter((source) => {
      if (!source.settled && !source.settleIfDone()) return true;
      source.entry.users--;
      return false;
    });
    if (this.sources.length < count) this.forgetUnused();
  }

  private forgetUnused(): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i];
      if (!entry.released || entry.users > 0) continue;
      this.entries.splice(i, 1);
      for (const slot of this.slots) {
        if (slot.loaded.delete(entry.id)) slot.worker.postMessage({ drop: entry.id } satisfies WorkerRequest);
      }
    }
  }

  private best(): { source: Source; offer: Offer } | null {
    let pick: { source: Source; offer: Offer } | null = null;
    for (const source of this.sources) {
      if (source.settled) continue;
      const offer = source.offer();
      if (offer === undefined || offer === 'wait') continue;
      if (!pick || before(offer.rank, pick.offer.rank)) pick = { source, offer };
    }
    return pick;
  }

  private pumpInline(): void {
    if (this.inlineQueued || !this.best()) return;
    this.inlineQueued = true;
    // One task per turn of the event loop, so callers' progress and other awaits interleave.
    setImmediate(() => {
      this.inlineQueued = false;
      if (this.closed || this.failure) return;
      const pick = this.best();
      // The deadline may have passed since this turn was queued: the sources waiting on it finish now.
      if (!pick) {
        this.settleFinished();
        return;
      }
      pick.source.take(pick.offer.task);
      const deadline = this.deadlineOf(pick.source, pick.offer);
      let reply: WorkerReply;
      try {
        reply = pick.source.inline(pick.offer.task, deadline);
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      pick.source.deliver(pick.offer.task, reply);
      this.pump();
    });
  }

  private assign(slot: Slot, source: Source, offer: Offer): void {
    source.take(offer.task);
    const deadline = this.deadlineOf(source, offer);
    const id = this.nextTask++;
    if (!slot.loaded.has(source.entry.id)) {
      const { id: entryId, problem, coarsening } = source.entry;
      slot.worker.postMessage({ load: { id: entryId, problem, coarsening } } satisfies WorkerRequest);
      slot.loaded.add(entryId);
      this.sent++;
    }
    slot.worker.postMessage({ task: id, run: source.message(offer.task, deadline) } satisfies WorkerRequest);
    slot.running = { id, source, task: offer.task };
    if (deadline !== undefined) {
      slot.timer = setTimeout(() => this.overrun(slot, id), Math.max(0, deadline - performance.now()) + GRACE_MS);
    }
  }

  /** A task still running a grace period after its deadline: its worker is ended and the task lost. */
  private overrun(slot: Slot, id: number): void {
    if (this.closed || this.failure || slot.running?.id !== id) return;
    const { source, task } = slot.running;
    slot.running = null;
    this.end(slot);
    this.slots = this.slots.filter((s) => s !== slot);
    source.lose(task);
    this.pump();
  }

  private spawn(): Slot {
    const worker = new Worker(fileURLToPath(this.url!));
    live++;
    const slot: Slot = { worker, loaded: new Set(), running: null, timer: undefined, ending: false };
    this.slots.push(slot);
    this.exits.push(
      new Promise<void>((done) =>
        worker.once('exit', (code) => {
          live--;
          // A worker that ends while still counted on is a crash (out of memory, say), not a finish.
          if (!slot.ending) this.fail(new Error(`a search worker exited unexpectedly (code ${code})`));
          done();
        }),
      ),
    );
    worker.on('message', (reply: WorkerReply) => {
      if (slot.running?.id !== reply.task) return;
      if (slot.timer) clearTimeout(slot.timer);
      const { source, task } = slot.running;
      slot.running = null;
      if ('error' in reply) {
        this.fail(new Error(`a search worker failed: ${reply.error}`));
        return;
      }
      source.deliver(task, reply);
      this.pump();
    });
    worker.on('error', (error) => this.fail(error));
    return slot;
  }

  /** A failing task or worker is a bug: every pending search is rejected and every worker ended. */
  private fail(error: Error): void {
    if (this.failure || this.closed) return;
    this.failure = error;
    for (const source of this.sources) source.reject(error);
    this.sources = [];
    this.endAll();
  }

  private end(slot: Slot): void {
    slot.ending = true;
    if (slot.timer) clearTimeout(slot.timer);
    void slot.worker.terminate();
  }

  private endAll(): void {
    for (const slot of this.slots) this.end(slot);
    this.slots = [];
  }
}

/**
 * The restarts of one problem on a pool of their own (flat runs): `workers` threads, at most one
 * per planned restart, started here and ended before this returns, on every path.
 */
export async function runRestarts(job: RestartJob, plan: RestartPlan, workers: number, onDone: (o: RestartOutcome) => void): Promise<RestartOutcome[]> {
  const count = plan.planned - (plan.first ?? 0);
  const pool = new RestartPool().start(count <= 1 ? 0 : Math.min(workers, count));
  try {
    return await pool.submit(job, plan, onDone);
  } finally {
    await pool.close();
  }
}
