import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../src/plan/problem.js';
import { homeBound } from '../../../src/search/bounds/home-relaxation.js';
import { optimise } from '../../../src/search/optimise.js';
import { gridProblem, oneAreaLine, type GridCase } from '../../helpers/grid.js';
import { contiguousOptimum, relaxedOptimum, tinyGridCase as tinyGrid } from '../../helpers/brute.js';
import { solveExact } from '../../../src/search/exact/solve.js';
import { evaluatePlan, footprintComponents } from '../../../src/plan/evaluate.js';

/** The same grid with tighter population bounds, where balance forces splits. */
function tightened(problem: Problem, spread: number): Problem {
  const mean = problem.population.reduce((s, p) => s + p, 0) / problem.k;
  return { ...problem, min: Math.floor(mean * (1 - spread)), max: Math.ceil(mean * (1 + spread)) };
}

describe('home relaxation bound (areas whole, nodes fractional)', () => {
  it('never exceeds the optimum without contiguity, so never a contiguous plan, with locks, warm starts and tight bounds (property)', async () => {
    await fc.assert(
      fc.asyncProperty(tinyGrid, fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 2 }), async (g: GridCase, lock, which, tight) => {
        const locked = lock ? { [`U${which % (g.rows * g.cols)}`]: g.k - 1 } : undefined;
        const problem = tightened(gridProblem(g, { locked }), [0.4, 0.2, 0.1][tight]);
        const relaxed = relaxedOptimum(problem);
        const contiguous = contiguousOptimum(problem);
        const cold = await homeBound(problem, { nodes: 100_000 });
        expect(cold.bound).toBeGreaterThanOrEqual(0);
        if (Number.isFinite(relaxed)) expect(cold.bound).toBeLessThanOrEqual(relaxed + 1e-9);
        if (contiguous.plans > 0) {
          expect(cold.bound).toBeLessThanOrEqual(contiguous.objective + 1e-9);
          expect(cold.solved).toBe(true);
          // A warm start changes how fast HiGHS gets there, never where: both solve the same relaxation.
          const plan = await optimise(problem, { seed: 1, restarts: 1, iterations: 2_000, workers: 1 });
          const warm = await homeBound(problem, { nodes: 100_000, incumbent: plan.assignment });
          expect(warm.bound).toBeCloseTo(cold.bound, 6);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('with whole nodes, solved, it is the optimum without contiguity found by brute force, cut edges counted (property)', async () => {
    await fc.assert(
      fc.asyncProperty(tinyGrid, fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 2 }), async (g: GridCase, lock, which, tight) => {
        const locked = lock ? { [`U${which % (g.rows * g.cols)}`]: g.k - 1 } : undefined;
        const problem = tightened(gridProblem(g, { locked }), [0.4, 0.2, 0.1][tight]);
        const relaxed = relaxedOptimum(problem);
        const result = await homeBound(problem, { nodes: 100_000, wholeNodes: true });
        if (!Number.isFinite(relaxed)) return;
        expect(result.solved).toBe(true);
        expect(result.bound).toBeCloseTo(relaxed, 6);
        expect(result.bound).toBeLessThanOrEqual(relaxed + 1e-9);
        // Never weaker than the fractional relaxation it tightens.
        const fractional = await homeBound(problem, { nodes: 100_000 });
        expect(result.bound).toBeGreaterThanOrEqual(fractional.bound - 1e-9);
      }),
      { numRuns: 25 },
    );
  });

  it('with contiguity cuts it stays at or below the contiguous optimum; with whole nodes, solved, it is that optimum (property)', async () => {
    await fc.assert(
      fc.asyncProperty(tinyGrid, fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 2 }), async (g: GridCase, lock, which, tight) => {
        const locked = lock ? { [`U${which % (g.rows * g.cols)}`]: g.k - 1 } : undefined;
        const problem = tightened(gridProblem(g, { locked }), [0.4, 0.2, 0.1][tight]);
        const reference = contiguousOptimum(problem);
        const fractional = await homeBound(problem, { nodes: 100_000, contiguity: true });
        const whole = await homeBound(problem, { nodes: 100_000, contiguity: true, wholeNodes: true });
        if (reference.plans === 0) return;
        expect(fractional.bound).toBeLessThanOrEqual(reference.objective + 1e-9);
        expect(whole.bound).toBeLessThanOrEqual(reference.objective + 1e-9);
        expect(whole.solved).toBe(true);
        expect(whole.bound).toBeCloseTo(reference.objective, 6);
        // The cuts only ever add: never below the model without them.
        const plain = await homeBound(problem, { nodes: 100_000 });
        expect(fractional.bound).toBeGreaterThanOrEqual(plain.bound - 1e-9);
      }),
      { numRuns: 25 },
    );
  });

  it('with contiguity cuts, a plan it gives is contiguous, within bounds and optimal for the split terms (property)', async () => {
    await fc.assert(
      fc.asyncProperty(tinyGrid, fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 2 }), async (g: GridCase, lock, which, tight) => {
        const locked = lock ? { [`U${which % (g.rows * g.cols)}`]: g.k - 1 } : undefined;
        // Split terms alone, so the relaxation's optimum with whole nodes is the plan problem's.
        const problem = { ...tightened(gridProblem(g, { locked }), [0.4, 0.2, 0.1][tight]), compactnessWeight: 0 };
        const reference = contiguousOptimum(problem);
        const result = await homeBound(problem, { nodes: 100_000, contiguity: true });
        if (reference.plans === 0) return;
        expect(result.bound).toBeLessThanOrEqual(reference.objective + 1e-9);
        if (result.assignment === null) return;
        // Solved, every node whole, no contiguity row broken: the brute-force optimum, and a plan of it.
        expect(result.solved).toBe(true);
        const plan = evaluatePlan(problem, result.assignment);
        expect(plan.populations.every((p) => p >= problem.min && p <= problem.max)).toBe(true);
        for (let f = 0; f < problem.k; f++) if (plan.populations[f] > 0) expect(footprintComponents(problem, result.assignment, f)).toHaveLength(1);
        for (let v = 0; v < problem.n; v++) if (problem.locked[v] >= 0) expect(result.assignment[v]).toBe(problem.locked[v]);
        expect(plan.objective).toBeCloseTo(reference.objective, 6);
        expect(result.bound).toBeCloseTo(reference.objective, 6);
      }),
      { numRuns: 30 },
    );
  });

  it('makes a shared node whole when the fractional optimum falls short of the plan, and then proves the plan', async () => {
    // One area of 1,000 along a line of ten units of 100, two footprints of 450–550: with nodes
    // shared out the relaxation keeps 550 whole (a footprint holds 550 of the area's residents);
    // with whole nodes no contiguous plan keeps more than 500.
    const problem = oneAreaLine(new Array(10).fill(100), 2, 450, 550);
    const fractional = await homeBound(problem, { nodes: 1_000 });
    expect(fractional.bound).toBeCloseTo(0.45, 6);
    const plan = await optimise(problem, { seed: 1, restarts: 2, iterations: 2_000, workers: 1, exact: false });
    expect(plan.evaluation.objective).toBeCloseTo(0.5, 6);
    const result = await homeBound(problem, { nodes: 1_000, contiguity: true, incumbent: plan.assignment, incumbentObjective: plan.evaluation.objective });
    expect(result.wholeNodes).toBeGreaterThan(0);
    expect(result.solved).toBe(true);
    expect(result.bound).toBeCloseTo(0.5, 6);
    // Without the plan to stop at, the same passes end at a plan of the optimum.
    const cold = await homeBound(problem, { nodes: 1_000, contiguity: true });
    expect(cold.assignment).not.toBeNull();
    expect(evaluatePlan(problem, cold.assignment!).objective).toBeCloseTo(0.5, 6);
  });

  it('proves the line split exactly: one area of 1,000 in footprints of at most 600 keeps at most 600', async () => {
    const problem = oneAreaLine(new Array(10).fill(100), 2, 300, 600);
    const result = await homeBound(problem, { nodes: 1_000 });
    expect(result.solved).toBe(true);
    expect(result.areas).toBe(1);
    expect(result.bound).toBeCloseTo(0.4, 6);
  });

  it('is stronger than nothing where areas cross: two layers over a grid with tight balance', async () => {
    // Wards of 2×2 cells and a GP layer shifted by one column, each unit split 70/30 across its GP
    // boundary: no plan in three footprints keeps every area whole.
    const g: GridCase = { rows: 4, cols: 4, k: 3, populations: Array.from({ length: 16 }, (_, i) => 70 + ((i * 41 + 3) % 60)), seed: 3 };
    const problem = tightened(gridProblem(g), 0.1);
    const result = await homeBound(problem, { nodes: 100_000 });
    const reference = solveExact(problem);
    expect(reference.proven).toBe(true);
    expect(result.solved).toBe(true);
    expect(result.bound).toBeGreaterThan(0);
    expect(result.bound).toBeLessThanOrEqual(reference.objective + 1e-9);
  });

  it('has nothing to decide when every area sits in one node: the bound is 0 and HiGHS does not run', async () => {
    const problem = oneAreaLine(new Array(4).fill(100), 2, 100, 300);
    const single: Problem = { ...problem, layers: problem.layers.map((l) => ({ ...l, weight: 0 })) };
    const result = await homeBound(single, { nodes: 10 });
    expect(result).toMatchObject({ bound: 0, solved: true, areas: 0, nodes: 0 });
  });

  it('is the same on every run (a node budget, not a clock)', async () => {
    const g: GridCase = { rows: 3, cols: 5, k: 3, populations: Array.from({ length: 15 }, (_, i) => 70 + ((i * 41) % 60)), seed: 9 };
    const problem = tightened(gridProblem(g), 0.1);
    const a = await homeBound(problem, { nodes: 2 });
    const b = await homeBound(problem, { nodes: 2 });
    expect(b.bound).toBe(a.bound);
    expect(b.nodes).toBe(a.nodes);
  });

  it('optimise reports the home relaxation in its method and proof', async () => {
    const problem = oneAreaLine(new Array(10).fill(100), 2, 300, 600);
    const result = await optimise(problem, { seed: 1, restarts: 2, iterations: 2_000, workers: 1, exact: false, boundNodes: 1_000 });
    expect(result.status).toBe('optimal');
    expect(result.relaxation.home).toMatchObject({ areas: 1, solved: true });
    expect(result.relaxation.pairAttempted).toBe(false);
    expect(result.method).toMatch(/lower bound by HiGHS on the home relaxation \(homes of 1 areas whole/);
  });
});

describe('restarts pruned by the bound', () => {
  it('runs half the restarts when the home relaxation proves their plan optimal, with the same plan as all of them', async () => {
    const problem = oneAreaLine(new Array(10).fill(100), 2, 300, 600);
    const all = await optimise(problem, { seed: 3, restarts: 6, iterations: 2_000, workers: 1, exact: false });
    const pruned = await optimise(problem, { seed: 3, restarts: 6, iterations: 2_000, workers: 1, exact: false, boundNodes: 1_000 });
    expect(pruned.status).toBe('optimal');
    expect(pruned.restarts.length).toBe(3);
    expect(all.restarts.length).toBe(6);
    expect(Array.from(pruned.assignment)).toEqual(Array.from(all.assignment));
    expect(pruned.timeLimitHit).toBe(false);
    expect(pruned.method).toMatch(/^3 of 6 planned restarts \(the bound proved the plan of the first 3 optimal\)/);
  });

  it('runs every restart when the bound does not prove the plan, and returns what the restarts alone return or a better plan the bound found (property)', async () => {
    await fc.assert(
      fc.asyncProperty(tinyGrid, fc.integer({ min: 1, max: 1000 }), async (g: GridCase, seed) => {
        const problem = tightened(gridProblem(g), 0.2);
        const options = { seed, restarts: 4, iterations: 1_500, workers: 1, exact: false } as const;
        let plain;
        try {
          plain = await optimise(problem, options);
        } catch {
          return; // no plan within bounds: nothing to compare
        }
        const bounded = await optimise(problem, { ...options, boundNodes: 200 });
        expect(bounded.restarts.length === 4 || bounded.status === 'optimal').toBe(true);
        // The restarts' plan, unless the home relaxation, solved with every node whole and every
        // footprint connected, gave a strictly better one (the bound chain adopts it).
        if (Array.from(bounded.assignment).join() === Array.from(plain.assignment).join()) expect(bounded.evaluation.objective).toBe(plain.evaluation.objective);
        else {
          expect(bounded.evaluation.objective).toBeLessThan(plain.evaluation.objective - 1e-12);
          expect(bounded.relaxation.home?.solved).toBe(true);
        }
      }),
      { numRuns: 15 },
    );
  });
});
