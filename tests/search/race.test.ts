import fc from 'fast-check';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { buildProblem, type Problem } from '../../src/plan/problem.js';
import { cutBound } from '../../src/search/bounds/cut-edge-model.js';
import { solveExact } from '../../src/search/exact/solve.js';
import { createRace, endRace, raceOver, type Race } from '../../src/search/race.js';
import { gridAdjacency } from '../helpers/grid.js';
import { hasCompiledWorker, loadDist } from '../helpers/dist.js';

/** Cut edges alone on a rows × cols grid, population within ±spread of the mean (the county benchmark's shape). */
function cutEdgeGrid(rows: number, cols: number, k: number, spread: number, salt = 0, build = buildProblem): Problem {
  const population = Array.from({ length: rows * cols }, (_, u) => 1_000 + ((u * 7_919 + salt * 104_729) % 2_001));
  const mean = population.reduce((s, p) => s + p, 0) / k;
  return build({
    unitIds: population.map((_, u) => `U${u}`),
    population,
    adjacency: gridAdjacency(rows, cols),
    layers: [],
    k,
    min: Math.floor(mean * (1 - spread)),
    max: Math.ceil(mean * (1 + spread)),
    compactnessWeight: 1,
  });
}

/** Ends `race` from another thread after `ms`, as the exact search in its worker does when it proves. */
function endRaceFromAnotherThread(race: Race, ms: number): Worker {
  return new Worker(`const { workerData } = require('node:worker_threads'); setTimeout(() => Atomics.store(workerData, 0, 1), ${ms});`, { eval: true, workerData: race });
}

describe('racing proofs (race.ts)', () => {
  it('the exact search ends the race when it finishes, and gives up when the race is over', () => {
    // 7 × 7, k 4, ±2%: about 190,000 partial plans to prove, far past the first check (every 4,096).
    const problem = cutEdgeGrid(7, 7, 4, 0.02);
    const race = createRace();
    const finished = solveExact(problem, { race });
    expect(finished.proven).toBe(true);
    expect(raceOver(race)).toBe(true);

    const over = createRace();
    endRace(over);
    const stopped = solveExact(problem, { race: over, incumbent: finished.objective, incumbentAssignment: finished.assignment! });
    expect(stopped.proven).toBe(false);
    // What it had stands: the plan it was given.
    expect(stopped.assignment).toEqual(finished.assignment);
  });

  it('a HiGHS model stops mid-solve when another thread ends the race', async () => {
    // Without the interrupt this model runs its whole time limit (minutes): the test would time out.
    const problem = cutEdgeGrid(7, 7, 4, 0.02);
    const race = createRace();
    const other = endRaceFromAnotherThread(race, 300);
    try {
      const result = await cutBound(problem, { nodes: 1e9, timeLimitMs: 600_000, race });
      expect(result.solved).toBe(false);
      expect(result.timeLimitHit).toBe(true);
      expect(raceOver(race)).toBe(true);
    } finally {
      await other.terminate();
    }
  }, 30_000);
});

// The race needs a worker thread, which runs the compiled worker: these use dist/ (npm test builds it first).
describe.skipIf(!hasCompiledWorker)('optimise with the exact search racing the bound', () => {
  it('proves the same optimum as one search after the other, and leaves no thread behind (property)', async () => {
    const { optimise } = await loadDist<typeof import('../../src/search/optimise.js')>('search/optimise.js');
    const { liveWorkers } = await loadDist<typeof import('../../src/search/threads/pool.js')>('search/threads/pool.js');
    const { buildProblem: build } = await loadDist<typeof import('../../src/plan/problem.js')>('plan/problem.js');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 4, max: 6 }), fc.integer({ min: 4, max: 6 }), fc.integer({ min: 2, max: 3 }), fc.nat(1000), async (rows, cols, k, salt) => {
        const problem = cutEdgeGrid(rows, cols, k, 0.1, salt, build);
        const options = { seed: 1, restarts: 2, iterations: 2_000, boundNodes: 1e6, timeLimitMs: 60_000 };
        const raced = await optimise(problem, { ...options, workers: 2 });
        const oneAfterOther = await optimise(problem, { ...options, workers: 1 });
        expect(liveWorkers()).toBe(0);
        expect(raced.status).toBe('optimal');
        expect(oneAfterOther.status).toBe('optimal');
        expect(raced.evaluation.objective).toBeCloseTo(oneAfterOther.evaluation.objective, 12);
        expect(raced.gap).toBe(0);
        expect(raced.exact.attempted).toBe(true);
        // The bounds join the race only when the search has not finished in half the time left, and
        // are then named in the method; a search proven before that leaves them out.
        expect(raced.relaxation.attempted).toBe(raced.exact.besideBound);
        if (raced.exact.besideBound) expect(raced.method).toMatch(/in a thread beside|was stopped/);
        else expect(raced.method).toMatch(/^exact branch and bound/);
        expect(oneAfterOther.exact.besideBound).toBe(false);
        expect(raced.timeLimitHit).toBe(false);
      }),
      { numRuns: 6, seed: 16 },
    );
  }, 120_000);

  it('has the bounds join a search not finished in half the time, and stops both at the limit', async () => {
    const { optimise } = await loadDist<typeof import('../../src/search/optimise.js')>('search/optimise.js');
    const { liveWorkers } = await loadDist<typeof import('../../src/search/threads/pool.js')>('search/threads/pool.js');
    const { buildProblem: build } = await loadDist<typeof import('../../src/plan/problem.js')>('plan/problem.js');
    // 10 × 10, k 4, ±5%: the exact search runs for minutes, the cut-edge model's root for longer.
    const problem = cutEdgeGrid(10, 10, 4, 0.05, 0, build);
    const began = performance.now();
    const result = await optimise(problem, { seed: 1, restarts: 2, iterations: 2_000, boundNodes: 1e6, timeLimitMs: 3_000, workers: 2 });
    expect(performance.now() - began).toBeLessThan(20_000);
    expect(liveWorkers()).toBe(0);
    expect(result.exact).toMatchObject({ attempted: true, proven: false, besideBound: true });
    expect(result.relaxation.attempted).toBe(true);
    expect(result.status).toBe('heuristic');
    expect(result.timeLimitHit).toBe(true);
  }, 60_000);
});
