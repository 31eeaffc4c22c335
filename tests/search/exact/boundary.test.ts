import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../src/plan/problem.js';
import { boundaryBounds, pathPopulations } from '../../../src/search/exact/boundary.js';
import { solveExact } from '../../../src/search/exact/solve.js';
import { gridProblem } from '../../helpers/grid.js';
import { expectExactMatchesBruteForce, maskConnected, tinyGridCase } from '../../helpers/brute.js';

/** Every connected node set within the population bounds, with its boundary (edge units leaving it). */
function feasibleDistricts(problem: Problem): Array<{ nodes: number[]; boundary: number; mask: number }> {
  const { n } = problem;
  const out: Array<{ nodes: number[]; boundary: number; mask: number }> = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    const nodes: number[] = [];
    let p = 0;
    for (let v = 0; v < n; v++) {
      if (mask & (1 << v)) {
        nodes.push(v);
        p += problem.population[v];
      }
    }
    if (p < problem.min || p > problem.max) continue;
    if (!maskConnected(problem, mask)) continue;
    let boundary = 0;
    for (const v of nodes) for (let e = problem.adjStart[v]; e < problem.adjStart[v + 1]; e++) if (!(mask & (1 << problem.adjList[e]))) boundary += problem.adjEdges[e];
    out.push({ nodes, boundary, mask });
  }
  return out;
}

/** The feasible districts that are a footprint of some plan: the rest splits into k − 1 feasible districts. */
function planFootprints(problem: Problem, districts: Array<{ nodes: number[]; boundary: number; mask: number }>) {
  const full = (1 << problem.n) - 1;
  const feasible = new Set(districts.map((d) => d.mask));
  const memo = new Map<string, boolean>();
  const splits = (mask: number, parts: number): boolean => {
    if (parts === 1) return feasible.has(mask);
    const key = `${mask}:${parts}`;
    if (!memo.has(key)) {
      // The part holding the lowest node of the mask, then the rest.
      const low = mask & -mask;
      memo.set(key, districts.some((d) => d.mask & low && (d.mask & mask) === d.mask && d.mask !== mask && splits(mask ^ d.mask, parts - 1)));
    }
    return memo.get(key)!;
  };
  return districts.filter((d) => splits(full ^ d.mask, problem.k - 1));
}

/** A tiny grid, wards kept whole or not (kept whole, node edges carry weights above 1), bounds of ±spread. */
function caseProblem(g: Parameters<typeof gridProblem>[0], spread: number, keepWhole: boolean, layers: boolean): Problem {
  const base = gridProblem(g, { keepWhole });
  const mean = base.population.reduce((s, p) => s + p, 0) / base.k;
  return {
    ...base,
    min: Math.floor(mean * (1 - spread)),
    max: Math.ceil(mean * (1 + spread)),
    compactnessWeight: layers ? 0.5 : 1,
    layers: layers ? base.layers : base.layers.map((l) => ({ ...l, weight: 0 })),
  };
}

const spreadArb = fc.constantFrom(0.4, 0.2, 0.1, 0.05);

describe('boundary bound β', () => {
  it('is at most the boundary of every footprint of every plan holding the node, and when complete at least that of every feasible district (property)', () => {
    fc.assert(
      fc.property(tinyGridCase, spreadArb, fc.boolean(), (g, spread, keepWhole) => {
        const problem = caseProblem(g, spread, keepWhole, false);
        const { beta, complete } = boundaryBounds(problem);
        expect(complete).toBe(true);
        const districts = feasibleDistricts(problem);
        // β counts only districts whose rest could hold the other footprints: never more than a plan's
        // footprint, never less than the least feasible district.
        const inPlan = new Array<number>(problem.n).fill(Infinity);
        for (const d of planFootprints(problem, districts)) for (const v of d.nodes) inPlan[v] = Math.min(inPlan[v], d.boundary);
        const anyDistrict = new Array<number>(problem.n).fill(Infinity);
        for (const d of districts) for (const v of d.nodes) anyDistrict[v] = Math.min(anyDistrict[v], d.boundary);
        for (let v = 0; v < problem.n; v++) {
          expect(beta[v]).toBeLessThanOrEqual(inPlan[v]);
          if (Number.isFinite(anyDistrict[v])) expect(beta[v]).toBeGreaterThanOrEqual(anyDistrict[v]);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('stopped by its deadline, every β is still at most the exact one', () => {
    const g = { rows: 3, cols: 4, k: 3, seed: 2, populations: Array.from({ length: 12 }, (_, i) => 60 + ((i * 37 + 11) % 80)) };
    const problem = caseProblem(g, 0.1, false, false);
    const exact = boundaryBounds(problem);
    const cut = boundaryBounds(problem, performance.now() - 1);
    expect(cut.complete).toBe(false);
    for (let v = 0; v < problem.n; v++) expect(cut.beta[v]).toBeLessThanOrEqual(exact.beta[v]);
  });

  it('path populations are the fewest residents on a path, the start left out', () => {
    const g = { rows: 2, cols: 3, k: 2, seed: 0, populations: [10, 20, 30, 40, 50, 60] };
    const problem = caseProblem(g, 0.4, false, false);
    const cost = pathPopulations(problem);
    const n = problem.n;
    expect(cost[0 * n + 0]).toBe(0);
    expect(cost[0 * n + 1]).toBe(20);
    // 0 → 1 → 2 (20 + 30) beats 0 → 3 → 4 → 5 → 2.
    expect(cost[0 * n + 2]).toBe(50);
    expect(cost[0 * n + 5]).toBe(Math.min(20 + 30 + 60, 20 + 50 + 60, 40 + 50 + 60));
  });
});

describe('exact search with the boundary bound', () => {
  it('returns the brute-force optimum: cut edges alone or with layers, weighted edges, tight bounds, incumbent at the optimum (property)', () => {
    fc.assert(
      fc.property(tinyGridCase, spreadArb, fc.boolean(), fc.boolean(), (g, spread, keepWhole, layers) => {
        const problem = caseProblem(g, spread, keepWhole, layers);
        const reference = expectExactMatchesBruteForce(problem);
        if (reference.plans === 0) return;
        // And with the optimum itself as the bar, nothing better exists to be found.
        const bar = solveExact(problem, { incumbent: reference.objective });
        expect(bar.proven).toBe(true);
        expect(bar.assignment).toBeNull();
      }),
      { numRuns: 40 },
    );
  });
});
