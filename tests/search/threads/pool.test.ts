import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProblem, type Problem } from '../../../src/plan/problem.js';
import type { RestartOutcome } from '../../../src/search/heuristic/restart.js';
import { DEFAULT_LOCAL_SEARCH } from '../../../src/search/heuristic/local.js';
import { gridAdjacency, gridLayer } from '../../helpers/grid.js';
import { hasCompiledWorker, loadDist } from '../../helpers/dist.js';

type PoolModule = typeof import('../../../src/search/threads/pool.js');
type SearchModule = typeof import('../../../src/search/optimise.js');
type ExactModule = typeof import('../../../src/search/exact/solve.js');
const load = loadDist;

/** A grid problem: rows × cols units of 1,000–3,000 residents, k footprints within ±35% of the mean. */
function grid(rows: number, cols: number, k: number, salt: number): Problem {
  const population = Array.from({ length: rows * cols }, (_, u) => 1_000 + ((u * 7_919 + salt * 104_729) % 2_001));
  const total = population.reduce((s, p) => s + p, 0);
  return buildProblem({
    unitIds: population.map((_, u) => `U${u}`),
    population,
    adjacency: gridAdjacency(rows, cols),
    layers: [
      { crosswalk: gridLayer('w', rows, cols, 3, 0, false), weight: 1 },
      { crosswalk: gridLayer('m', rows, cols, 2, 1, true), weight: 2 },
    ],
    k,
    min: (0.65 * total) / k,
    max: (1.35 * total) / k,
  });
}

/** What a restart decides; `ms` and other timings differ between runs. */
const decided = (o: RestartOutcome) => ({ index: o.index, objective: o.objective, assignment: o.assignment ? Array.from(o.assignment) : null, iterations: o.iterations, timedOut: o.timedOut });

// Worker threads run the compiled worker, so these use dist/ (npm test builds it first).
describe.skipIf(!hasCompiledWorker)('the shared restart pool (worker threads)', () => {
  it('runs the restarts of two problems interleaved on one pool, each with the outcomes it has alone, sending each problem once per worker', async () => {
    const { RestartPool, runRestarts, liveWorkers } = await load<PoolModule>('search/threads/pool.js');
    const { searchCoarsening } = await load<SearchModule>('search/optimise.js');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 5, max: 6 }), fc.integer({ min: 1, max: 3 }), async (seed, restartsA, restartsB) => {
        const a = grid(12, 12, 6, seed);
        const b = grid(8, 9, 4, seed + 1);
        const jobA = { problem: a, coarsening: searchCoarsening(a), seed, options: { ...DEFAULT_LOCAL_SEARCH, iterations: 4_000 } };
        const jobB = { problem: b, coarsening: null, seed: seed ^ 0x55, options: { ...DEFAULT_LOCAL_SEARCH, iterations: 2_000 } };
        const planA = { planned: restartsA, extra: 0, extraUntilDeadline: false };
        const planB = { planned: restartsB, extra: 0, extraUntilDeadline: false };
        const aloneA = await runRestarts(jobA, planA, 2, () => undefined);
        const aloneB = await runRestarts(jobB, planB, 2, () => undefined);

        const pool = new RestartPool().start(2);
        const order: string[] = [];
        try {
          const [sharedA, sharedB] = await Promise.all([
            pool.submit(jobA, planA, (o) => order.push(`A${o.index}`)),
            pool.submit(jobB, planB, (o) => order.push(`B${o.index}`)),
          ]);
          expect(sharedA.map(decided)).toEqual(aloneA.map(decided));
          expect(sharedB.map(decided)).toEqual(aloneB.map(decided));
          expect(order.sort()).toEqual([...Array.from({ length: restartsA }, (_, i) => `A${i}`), ...Array.from({ length: restartsB }, (_, i) => `B${i}`)].sort());
          expect(pool.workers).toBe(2);
          expect(pool.problemsSent).toBeLessThanOrEqual(4);
        } finally {
          await pool.close();
        }
        // Interleaved: restart i of every problem before restart i+1 of any, the larger problem first
        // in each round. With one worker the reports come in the order the tasks were handed out (with
        // two they come as they finish, which depends on how long each restart takes).
        const single = new RestartPool().start(1);
        const handedOut: string[] = [];
        try {
          await Promise.all([single.submit(jobA, planA, (o) => handedOut.push(`A${o.index}`)), single.submit(jobB, planB, (o) => handedOut.push(`B${o.index}`))]);
        } finally {
          await single.close();
        }
        const rounds = Array.from({ length: Math.max(restartsA, restartsB) }, (_, i) => [...(i < restartsA ? [`A${i}`] : []), ...(i < restartsB ? [`B${i}`] : [])]).flat();
        expect(handedOut).toEqual(rounds);
        expect(liveWorkers()).toBe(0);
      }),
      { numRuns: 3 },
    );
  }, 120_000);

  it('runs exact searches on the workers with the result of the search in this thread', async () => {
    const { RestartPool, liveWorkers } = await load<PoolModule>('search/threads/pool.js');
    const { solveExact } = await load<ExactModule>('search/exact/solve.js');
    const small = grid(4, 5, 3, 7);
    const other = grid(4, 6, 3, 8);
    const pool = new RestartPool().start(2);
    try {
      const [first, second] = await Promise.all([pool.exact(small, {}), pool.exact(other, {})]);
      const inThread = solveExact(small, {});
      expect(first.proven).toBe(true);
      expect(first.objective).toBe(inThread.objective);
      expect(Array.from(first.assignment!)).toEqual(Array.from(inThread.assignment!));
      expect(second.objective).toBe(solveExact(other, {}).objective);
    } finally {
      await pool.close();
    }
    expect(liveWorkers()).toBe(0);
  }, 60_000);

  it('stops starting restarts at a deadline, keeps the other problem whole, and ends every worker', async () => {
    const { RestartPool, runRestarts, liveWorkers } = await load<PoolModule>('search/threads/pool.js');
    const quick = grid(8, 8, 4, 3);
    const quickJob = { problem: quick, coarsening: null, seed: 5, options: { ...DEFAULT_LOCAL_SEARCH, iterations: 2_000 } };
    const quickPlan = { planned: 3, extra: 0, extraUntilDeadline: false };
    const alone = await runRestarts(quickJob, quickPlan, 2, () => undefined);
    const slow = grid(12, 12, 6, 4);
    // Far more moves than the deadline allows: only the deadline ends these restarts.
    const slowJob = { problem: slow, coarsening: null, seed: 6, options: { ...DEFAULT_LOCAL_SEARCH, iterations: 1e9, deadline: performance.now() + 400 } };
    const pool = new RestartPool().start(2);
    try {
      const [cut, whole] = await Promise.all([pool.submit(slowJob, { planned: 6, extra: 0, extraUntilDeadline: false }), pool.submit(quickJob, quickPlan)]);
      expect(cut.length).toBeLessThan(6);
      expect(cut.every((o) => o.timedOut)).toBe(true);
      expect(whole.map(decided)).toEqual(alone.map(decided));
    } finally {
      await pool.close();
    }
    expect(liveWorkers()).toBe(0);
  }, 60_000);

  it('rejects every pending search and ends every worker when a task fails', async () => {
    const { RestartPool, liveWorkers } = await load<PoolModule>('search/threads/pool.js');
    const good = grid(8, 8, 4, 3);
    const broken = { ...grid(8, 8, 4, 3), adjStart: undefined } as unknown as Problem;
    const options = { ...DEFAULT_LOCAL_SEARCH, iterations: 200_000 };
    const pool = new RestartPool().start(2);
    const results = await Promise.allSettled([
      pool.submit({ problem: good, coarsening: null, seed: 1, options }, { planned: 4, extra: 0, extraUntilDeadline: false }),
      pool.submit({ problem: broken, coarsening: null, seed: 1, options }, { planned: 4, extra: 0, extraUntilDeadline: false }),
    ]);
    await pool.close();
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/a search worker failed/);
    await expect(pool.submit({ problem: good, coarsening: null, seed: 1, options }, { planned: 1, extra: 0, extraUntilDeadline: false })).rejects.toThrow(/a search worker failed/);
    expect(liveWorkers()).toBe(0);
  }, 60_000);
});
