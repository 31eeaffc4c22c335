import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePlan } from '../../../src/plan/evaluate.js';
import { buildProblem, type Problem } from '../../../src/plan/problem.js';
import { cutBound, cutBoundApplies, cutModel, cutOrder } from '../../../src/search/bounds/cut-edge-model.js';
import { reachablePopulation } from '../../../src/search/bounds/cut-edge-rows.js';
import { rootFreeSet } from '../../../src/search/bounds/root-free-set.js';
import { boundaryBounds } from '../../../src/search/exact/boundary.js';
import { optimise } from '../../../src/search/optimise.js';
import { solveExact } from '../../../src/search/exact/solve.js';
import { gridCase } from '../../helpers/grid.js';
import { contiguousOptimum, contiguousPlans, tinyGridCase } from '../../helpers/brute.js';
import { gridAdjacency, gridProblem, type GridCase } from '../../helpers/grid.js';

/** The county benchmark's shape on a grid: cut edges alone, population within ±spread of the mean. */
function cutEdgeGrid(g: GridCase, spread: number): Problem {
  const mean = g.populations.reduce((s, p) => s + p, 0) / g.k;
  return buildProblem({
    unitIds: Array.from({ length: g.rows * g.cols }, (_, u) => `U${u}`),
    population: g.populations,
    adjacency: gridAdjacency(g.rows, g.cols),
    layers: [],
    k: g.k,
    min: Math.floor(mean * (1 - spread)),
    max: Math.ceil(mean * (1 + spread)),
    compactnessWeight: 1,
  });
}


const spreads = [0.3, 0.15, 0.05];

describe('cut-edge model (labelling with orbitope, fixings and contiguity rows)', () => {
  it('holds every contiguous plan: its columns meet every row, bound and fixing, and cost its cut edges (property)', () => {
    fc.assert(
      fc.property(tinyGridCase, fc.integer({ min: 0, max: 2 }), fc.nat(), (g, tight, pick) => {
        const problem = cutEdgeGrid(g, spreads[tight]);
        const plans = contiguousPlans(problem);
        if (plans.length === 0) return;
        // The node order (and so every fixing) is taken from one plan, or from none; all plans must still fit.
        for (const model of [cutModel(problem, plans[pick % plans.length]), cutModel(problem), cutModel(problem, plans[pick % plans.length], boundaryBounds(problem).beta)]) {
        for (const plan of plans) {
          const values = model.start(plan);
          // Collected, then one assertion: an expect per column and row made this test the suite's slowest.
          const broken: string[] = [];
          for (let j = 0; j < model.numCols; j++) if (values[j] < model.colLower[j] - 1e-9 || values[j] > model.colUpper[j] + 1e-9) broken.push(`column ${j} = ${values[j]}`);
          for (const j of model.integer) if (Math.abs(values[j] - Math.round(values[j])) >= 1e-9) broken.push(`column ${j} fractional`);
          model.rows.forEach((row, r) => {
            const activity = row.index.reduce((s, j, i) => s + row.value[i] * values[j], 0);
            if (activity < row.lower - 1e-6 || activity > row.upper + 1e-6) broken.push(`row ${r}: ${activity} outside [${row.lower}, ${row.upper}]`);
          });
          expect(broken).toEqual([]);
          const cost = model.colCost.reduce((s, c, j) => s + c * values[j], 0);
          expect(cost / problem.unitEdges).toBeCloseTo(evaluatePlan(problem, plan).objective, 9);
          // And back: the plan's columns decode to the same partition.
          const decoded = model.decode(values);
          for (let u = 0; u < problem.n; u++) for (let v = 0; v < problem.n; v++) expect(decoded[u] === decoded[v]).toBe(plan[u] === plan[v]);
        }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('never exceeds the contiguous optimum, and when solved it is that optimum, with or without a starting plan (property)', async () => {
    await fc.assert(
      fc.asyncProperty(tinyGridCase, fc.integer({ min: 0, max: 2 }), async (g, tight) => {
        const problem = cutEdgeGrid(g, spreads[tight]);
        const reference = contiguousOptimum(problem);
        if (reference.plans === 0) return;
        const cold = await cutBound(problem, { nodes: 100_000 });
        expect(cold.solved).toBe(true);
        expect(cold.bound).toBeLessThanOrEqual(reference.objective + 1e-9);
        expect(cold.bound).toBeCloseTo(reference.objective, 9);
        // Solved with no row broken, the model hands back an optimal contiguous plan.
        expect(cold.assignment).not.toBeNull();
        expect(evaluatePlan(problem, cold.assignment!).objective).toBeCloseTo(reference.objective, 9);
        const plan = await optimise(problem, { seed: 1, restarts: 1, iterations: 2_000, workers: 1, exact: false });
        const warm = await cutBound(problem, { nodes: 100_000, incumbent: plan.assignment, incumbentObjective: plan.evaluation.objective });
        expect(warm.solved).toBe(true);
        expect(warm.bound).toBeLessThanOrEqual(reference.objective + 1e-9);
        expect(warm.bound).toBeCloseTo(reference.objective, 9);
      }),
      { numRuns: 25 },
    );
  });

  it('optimise --bound-nodes proves cut-edge plans with it, and hands back its plan when the heuristic missed the optimum (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        gridCase.filter((g) => g.rows * g.cols <= 20),
        fc.integer({ min: 1, max: 2 }),
        async (g, tight) => {
          const problem = cutEdgeGrid(g, spreads[tight]);
          const exact = solveExact(problem);
          if (!exact.assignment) return;
          // A short heuristic, so that some runs miss the optimum and the model's plan must replace it.
          let result;
          try {
            result = await optimise(problem, { seed: 1, restarts: 1, iterations: 300, workers: 1, exact: false, boundNodes: 100_000 });
          } catch {
            return; // no plan found by so short a search: nothing to prove
          }
          expect(result.relaxation.cutEdges).not.toBeNull();
          expect(result.status).toBe('optimal');
          expect(result.gap).toBe(0);
          expect(result.evaluation.objective).toBeCloseTo(exact.objective, 9);
          expect(result.method).toMatch(/cut-edge labelling model/);
        },
      ),
      { numRuns: 10 },
    );
  });

  it('puts the nodes that cannot root a footprint last: every component of them holds fewer residents than the minimum', () => {
    // A 3 × 4 grid, k 2: a plan's halves lose their borders and are trimmed below the minimum.
    const g: GridCase = { rows: 3, cols: 4, k: 2, seed: 0, populations: [100, 90, 80, 70, 60, 110, 120, 130, 95, 85, 75, 65] };
    const problem = cutEdgeGrid(g, 0.05);
    const plan = Int32Array.from({ length: 12 }, (_, u) => (u % 4 < 2 ? 0 : 1));
    const order = cutOrder(problem, plan);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, u) => u));
    const model = cutModel(problem, plan);
    // Fewer roots than nodes: the point of the order.
    expect(model.roots).toBeLessThan(problem.n);
    expect(model.roots).toBeGreaterThanOrEqual(problem.k);
  });

  it('finds a root-free set whose every component holds fewer residents than the minimum, the same one each time (property)', () => {
    fc.assert(
      fc.property(gridCase, fc.integer({ min: 0, max: 2 }), fc.boolean(), (g, tight, fromPlan) => {
        const problem = cutEdgeGrid(g, spreads[tight]);
        const initial = fromPlan ? Uint8Array.from({ length: problem.n }, (_, v) => (v % 3 === 0 ? 0 : 1)) : null;
        const set = rootFreeSet(problem, initial, 200);
        for (let v = 0; v < problem.n; v++) if (set[v]) expect(reachablePopulation(problem, set, v)).toBeLessThan(problem.min);
        expect(rootFreeSet(problem, initial, 200)).toEqual(set);
        // Maximal: no node outside it can join.
        for (let v = 0; v < problem.n; v++) {
          if (set[v]) continue;
          const grown = Uint8Array.from(set);
          grown[v] = 1;
          expect(reachablePopulation(problem, grown, v)).toBeGreaterThanOrEqual(problem.min);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('needs cut edges, no split areas and no locks', () => {
    const g: GridCase = { rows: 3, cols: 3, k: 2, seed: 0, populations: [100, 100, 100, 100, 100, 100, 100, 100, 100] };
    expect(cutBoundApplies(cutEdgeGrid(g, 0.3))).toBe(true);
    expect(cutBoundApplies({ ...cutEdgeGrid(g, 0.3), compactnessWeight: 0 })).toBe(false);
    // The grid helper's GP layer splits areas between units.
    expect(cutBoundApplies(gridProblem(g))).toBe(false);
    const locked = cutEdgeGrid(g, 0.3);
    expect(cutBoundApplies({ ...locked, locked: Int32Array.from(locked.locked, (_, v) => (v === 0 ? 1 : -1)) })).toBe(false);
  });
});
