import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../src/plan/problem.js';
import { combineShares, createShare, prepareExact, solveExact, type ExactOptions, type ExactResult } from '../../../src/search/exact/solve.js';
import { gridProblem } from '../../helpers/grid.js';
import { contiguousOptimum, tinyGridCase } from '../../helpers/brute.js';
import { hasCompiledWorker, loadDist } from '../../helpers/dist.js';
import { ShareView } from '../../../src/search/exact/share.js';

/**
 * The exact search shared out over `threads` threads, emulated in this one: every thread is set up
 * first (each draws the next task: the first `threads` tasks go one to each), then they run in
 * `runOrder`; the first to run draws every task after those. The tasks of the later ones are
 * searched after the first has found its plans, as a slow thread's would be.
 */
function sharedInTurn(problem: Problem, options: ExactOptions, runOrder: number[]): ExactResult {
  const share = createShare(runOrder.length, problem.n);
  const threads = runOrder.map(() => prepareExact(problem, { ...options, share }));
  return combineShares(runOrder.map((t) => threads[t]()));
}

const decided = (r: ExactResult) => ({ proven: r.proven, objective: r.objective, assignment: r.assignment ? Array.from(r.assignment) : null });

/** A grid whose objective is cut edges alone, or cut edges and split layers; bounds ±spread of the mean. */
function variant(base: Problem, edgesOnly: boolean, spread: number): Problem {
  const mean = base.population.reduce((s, p) => s + p, 0) / base.k;
  return {
    ...base,
    min: Math.floor(mean * (1 - spread)),
    max: Math.ceil(mean * (1 + spread)),
    compactnessWeight: 1,
    layers: edgesOnly ? base.layers.map((l) => ({ ...l, weight: 0 })) : base.layers,
  };
}

const runOrders = fc.integer({ min: 2, max: 4 }).chain((threads) => fc.shuffledSubarray(Array.from({ length: threads }, (_, i) => i), { minLength: threads, maxLength: threads }));

describe('the exact search shared out over threads', () => {
  it('finds, however its tasks are shared out, the same plan as one thread, and the brute-force optimum, with or without a lock (property)', () => {
    fc.assert(
      fc.property(tinyGridCase, fc.boolean(), fc.constantFrom(0.4, 0.2), runOrders, fc.boolean(), (g, edgesOnly, spread, order, lock) => {
        // A lock on the last unit: footprints are then labelled, and the dead ends are not remembered.
        const problem = variant(gridProblem(g, lock ? { locked: { [`U${g.rows * g.cols - 1}`]: 1 } } : {}), edgesOnly, spread);
        const alone = solveExact(problem);
        const shared = sharedInTurn(problem, {}, order);
        expect(decided(shared)).toEqual(decided(alone));
        const reference = contiguousOptimum(problem);
        if (reference.plans > 0) expect(shared.objective).toBeCloseTo(reference.objective, 12);
        else expect(shared.assignment).toBeNull();
      }),
      { numRuns: 60 },
    );
  });

  it('on grids of 16–25 nodes, from no plan or from a plan worse than the optimum, gives one thread’s plan (property)', () => {
    const grids = fc
      .record({ rows: fc.integer({ min: 4, max: 5 }), cols: fc.integer({ min: 4, max: 5 }), k: fc.integer({ min: 2, max: 4 }), seed: fc.integer({ min: 0, max: 1 << 30 }) })
      .chain((g) => fc.record({ rows: fc.constant(g.rows), cols: fc.constant(g.cols), k: fc.constant(g.k), seed: fc.constant(g.seed), populations: fc.array(fc.integer({ min: 50, max: 150 }), { minLength: g.rows * g.cols, maxLength: g.rows * g.cols }) }));
    fc.assert(
      fc.property(grids, fc.constantFrom(0.3, 0.15), runOrders, fc.boolean(), (g, spread, order, warm) => {
        const problem = variant(gridProblem(g), true, spread);
        const cold = solveExact(problem);
        // A plan worse than the optimum, as the heuristic's may be: the search must still find the optimum.
        const options: ExactOptions = warm && cold.assignment ? { incumbent: cold.objective + 3 * (problem.compactnessWeight / problem.unitEdges) } : {};
        const alone = solveExact(problem, options);
        const shared = sharedInTurn(problem, options, order);
        expect(decided(shared)).toEqual(decided(alone));
        expect(shared.objective).toBeCloseTo(cold.objective, 12);
        expect(shared.task).toBe(alone.task);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps the incumbent given (task −1) when nothing beats it, and combines by objective, then task', () => {
    const g = { rows: 3, cols: 4, k: 3, seed: 1, populations: Array.from({ length: 12 }, (_, i) => 70 + ((i * 41 + 3) % 60)) };
    const problem = variant(gridProblem(g), true, 0.4);
    const cold = solveExact(problem);
    const warm = sharedInTurn(problem, { incumbent: cold.objective, incumbentAssignment: cold.assignment! }, [1, 0]);
    expect(warm.task).toBe(-1);
    expect(Array.from(warm.assignment!)).toEqual(Array.from(cold.assignment!));
    const a: ExactResult = { proven: true, assignment: Int32Array.of(0), objective: 1, task: 5, leaves: 1, pruned: 2 };
    const b: ExactResult = { proven: true, assignment: Int32Array.of(1), objective: 1, task: 3, leaves: 3, pruned: 4 };
    const c: ExactResult = { proven: false, assignment: Int32Array.of(2), objective: 2, task: 0, leaves: 0, pruned: 1 };
    expect(combineShares([a, b, c])).toEqual({ proven: false, assignment: Int32Array.of(1), objective: 1, task: 3, leaves: 4, pruned: 7 });
  });

  it('computes β once for every thread; one that gives up waiting for it (deadline, race) gets none', () => {
    const share = createShare(2, 3);
    const computed = { beta: Int32Array.of(4, 5, 6), reached: 5 };
    const first = new ShareView(share).beta(() => {
      // Another thread arrives while the first computes: it waits, and here its deadline has passed.
      expect(new ShareView(share).beta(() => { throw new Error('β computed twice'); }, () => true)).toBeNull();
      return computed;
    }, () => false);
    expect(first).toBe(computed);
    expect(new ShareView(share).beta(() => { throw new Error('β computed twice'); }, () => false)).toEqual(computed);
  });
});

type PoolModule = typeof import('../../../src/search/threads/pool.js');
type ExactModule = typeof import('../../../src/search/exact/solve.js');

// Worker threads run the compiled worker, so this uses dist/ (npm test builds it first).
describe.skipIf(!hasCompiledWorker)('the exact search on worker threads', () => {
  it('gives, on three threads at once, the plan one thread gives (property)', async () => {
    const { RestartPool } = await loadDist<PoolModule>('search/threads/pool.js');
    const exact = await loadDist<ExactModule>('search/exact/solve.js');
    const pool = new RestartPool().start(3);
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 1 << 30 }), fc.integer({ min: 2, max: 4 }), fc.boolean(), async (seed, k, edgesOnly) => {
          const populations = Array.from({ length: 30 }, (_, u) => 50 + ((u * 7_919 + seed) % 101));
          const problem = variant(gridProblem({ rows: 5, cols: 6, k, seed, populations }), edgesOnly, 0.25);
          if (!edgesOnly && problem.n > exact.EXACT_NODE_LIMIT) return;
          const alone = exact.solveExact(problem);
          const shared = await pool.exact(problem, {}, 3);
          expect(decided(shared)).toEqual(decided(alone));
        }),
        { numRuns: 12 },
      );
    } finally {
      await pool.close();
    }
  });
});
