import type { ExactResult, ExactShare } from './types.js';

export type { ExactShare };

/**
 * One exact search shared out over threads. Every thread walks the same top of the search tree in
 * the same order and numbers the subtrees it meets there (the tasks: search.ts, SPLIT_MEMBERS). A
 * task is searched by the thread that draws its number from one shared counter, so a thread that
 * finishes early draws the next task instead of waiting: the shares stay even however uneven the
 * tasks are.
 *
 * The result does not depend on which thread did which task, nor on how many threads there were:
 *  - the top of the tree is pruned against the plan the search started from alone (every thread
 *    knows it), so all threads number the same tasks;
 *  - inside a task, a partial plan is pruned when its bound is no better than that plan or than
 *    this thread's best, or worse (strictly) than another thread's best: a tie with another
 *    thread's plan may come first in the search's order, so it is searched;
 *  - each thread keeps the first plan it meets of its best objective, with its task, and the
 *    results are combined by (objective, task) (combineShares). Tasks are numbered in the search's
 *    order, so this is the first optimal plan in that order: the plan one thread finds alone, since
 *    it prunes at equality only plans that come after one it has.
 * The search's order and bounds come from β (boundary.ts), which under a deadline may stop early:
 * so the first thread to start computes it and the others wait for it, and all search with the same.
 * Memory: Int32 [0] the next task number, [1] threads finished, [2] β's state (none, being
 * computed, ready), [3] β's `reached`; BigInt64 [2] the best objective found, as its IEEE 754 bits
 * (for numbers ≥ 0 the bits order as the numbers do, so a compare-and-swap keeps the least); then
 * Int32 β, one per node.
 */
const HEADER_BYTES = 24;
const BETA_NONE = 0;
const BETA_COMPUTING = 1;
const BETA_READY = 2;
/** How long a thread waiting for β sleeps between looks at its deadline. */
const BETA_WAIT_MS = 50;

/** A share for a problem of n nodes, over `threads` threads. */
export function createShare(threads: number, n: number): ExactShare {
  const memory = new SharedArrayBuffer(HEADER_BYTES + 4 * n);
  new BigInt64Array(memory, 16, 1)[0] = bitsOf(Infinity);
  return { memory, threads };
}

const scratch = new DataView(new ArrayBuffer(8));

function bitsOf(value: number): bigint {
  scratch.setFloat64(0, value);
  return scratch.getBigInt64(0);
}

function valueOf(bits: bigint): number {
  scratch.setBigInt64(0, bits);
  return scratch.getFloat64(0);
}

/** A thread's view of a share: the tasks it draws, the best objective found by any thread. */
export class ShareView {
  private readonly counters: Int32Array;
  private readonly best: BigInt64Array;

  constructor(readonly share: ExactShare) {
    this.counters = new Int32Array(share.memory, 0, 4);
    this.best = new BigInt64Array(share.memory, 16, 1);
  }

  /**
   * β for every thread: computed by the first to ask (`compute`), waited for by the others. A
   * thread that gives up waiting (`stop` true: its deadline or race) gets null.
   */
  beta(compute: () => { beta: Int32Array; reached: number }, stop: () => boolean): { beta: Int32Array; reached: number } | null {
    const { counters } = this;
    const values = new Int32Array(this.share.memory, HEADER_BYTES);
    if (Atomics.compareExchange(counters, 2, BETA_NONE, BETA_COMPUTING) === BETA_NONE) {
      const bounds = compute();
      values.set(bounds.beta);
      Atomics.store(counters, 3, bounds.reached);
      Atomics.store(counters, 2, BETA_READY);
      Atomics.notify(counters, 2);
      return bounds;
    }
    while (Atomics.load(counters, 2) !== BETA_READY) {
      if (stop()) return null;
      Atomics.wait(counters, 2, BETA_COMPUTING, BETA_WAIT_MS);
    }
    return { beta: Int32Array.from(values), reached: Atomics.load(counters, 3) };
  }

  /** The next task number no thread has drawn. */
  draw(): number {
    return Atomics.add(this.counters, 0, 1);
  }

  /** The least objective any thread has found (Infinity for none). */
  found(): number {
    return valueOf(Atomics.load(this.best, 0));
  }

  /** A plan of this objective was found: the shared least becomes it when lower. */
  offer(value: number): void {
    if (!(value >= 0)) return;
    const bits = bitsOf(value);
    for (let seen = Atomics.load(this.best, 0); bits < seen; ) {
      const was = Atomics.compareExchange(this.best, 0, seen, bits);
      if (was === seen) return;
      seen = was;
    }
  }

  /** This thread finished its tasks; true for the last of the threads to do so. */
  finish(): boolean {
    return Atomics.add(this.counters, 1, 1) + 1 === this.share.threads;
  }
}

/**
 * The shares' results as one: proven when every share finished, the plan of the least objective
 * and, among equal ones, of the first task (the incumbent, task −1, when no share beat it).
 */
export function combineShares(results: ExactResult[]): ExactResult {
  if (results.length === 0) throw new Error('combineShares needs at least one share');
  let best = results[0];
  for (const r of results.slice(1)) {
    if (r.objective < best.objective - 1e-12 || (Math.abs(r.objective - best.objective) <= 1e-12 && r.task < best.task)) best = r;
  }
  return {
    proven: results.every((r) => r.proven),
    assignment: best.assignment,
    objective: best.objective,
    task: best.task,
    leaves: results.reduce((s, r) => s + r.leaves, 0),
    pruned: results.reduce((s, r) => s + r.pruned, 0),
  };
}
