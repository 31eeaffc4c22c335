import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../src/plan/problem.js';
import { EXACT_NODE_LIMIT, EXACT_NODE_LIMIT_CUT_EDGES, exactNodeLimit, solveExact } from '../../../src/search/exact/solve.js';
import { gridProblem } from '../../helpers/grid.js';
import { expectExactMatchesBruteForce, tinyGridCase } from '../../helpers/brute.js';

describe('exact search with the compactness bound', () => {
  it('finds the brute-force optimum, with layers, with cut edges alone, and with the optimum as a near incumbent (property)', () => {
    fc.assert(
      fc.property(tinyGridCase, fc.constantFrom(0, 0.01, 0.5, 1), fc.boolean(), fc.integer({ min: 0, max: 2 }), (g, compactness, edgesOnly, tight) => {
        const base = gridProblem(g);
        const mean = base.population.reduce((s, p) => s + p, 0) / base.k;
        const spread = [0.4, 0.2, 0.1][tight];
        const problem: Problem = {
          ...base,
          min: Math.floor(mean * (1 - spread)),
          max: Math.ceil(mean * (1 + spread)),
          compactnessWeight: edgesOnly ? 1 : compactness,
          layers: edgesOnly ? base.layers.map((l) => ({ ...l, weight: 0 })) : base.layers,
        };
        expectExactMatchesBruteForce(problem);
      }),
      { numRuns: 40 },
    );
  });

  it('with the optimum as incumbent, no partition of a cut-edge instance is carved to the end (the bound is exact once every footprint is closed)', () => {
    const g = { rows: 3, cols: 4, k: 3, seed: 1, populations: Array.from({ length: 12 }, (_, i) => 70 + ((i * 41 + 3) % 60)) };
    const base = gridProblem(g);
    const edges: Problem = { ...base, compactnessWeight: 1, layers: base.layers.map((l) => ({ ...l, weight: 0 })) };
    const cold = solveExact(edges);
    expect(cold.leaves).toBeGreaterThan(0);
    const warm = solveExact(edges, { incumbent: cold.objective });
    expect(warm.proven).toBe(true);
    expect(warm.leaves).toBe(0);
    expect(warm.pruned).toBeGreaterThan(0);
  });
});

describe('exact node limit', () => {
  it('reaches further when the objective is cut edges alone', () => {
    const g = { rows: 3, cols: 4, k: 3, seed: 1, populations: Array.from({ length: 12 }, (_, i) => 70 + ((i * 41 + 3) % 60)) };
    const base = gridProblem(g);
    expect(exactNodeLimit(base)).toBe(EXACT_NODE_LIMIT);
    const edges: Problem = { ...base, compactnessWeight: 1, layers: base.layers.map((l) => ({ ...l, weight: 0 })) };
    expect(exactNodeLimit(edges)).toBe(EXACT_NODE_LIMIT_CUT_EDGES);
    expect(exactNodeLimit({ ...edges, compactnessWeight: 0 })).toBe(EXACT_NODE_LIMIT);
  });
});
