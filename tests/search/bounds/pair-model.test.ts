import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../src/plan/problem.js';
import { pairBound } from '../../../src/search/bounds/pair-model.js';
import { gapPercent } from '../../../src/search/gap.js';
import { minVertexSeparator } from '../../../src/search/bounds/separation.js';
import { populationDistances } from '../../../src/search/paths.js';
import { gridProblem, type GridCase } from '../../helpers/grid.js';
import { contiguousOptimum, tinyGridCase as tinyGrid } from '../../helpers/brute.js';

describe('pair bound with contiguity cuts', () => {
  it('never exceeds the contiguous optimum found by exhaustive search, and equals it when it says solved (property)', async () => {
    await fc.assert(
      fc.asyncProperty(tinyGrid, fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 2 }), async (g: GridCase, lock, which, tight) => {
        const locked = lock ? { [`U${which % (g.rows * g.cols)}`]: g.k - 1 } : undefined;
        const base = gridProblem(g, { locked });
        // Tighter population bounds make contiguity and balance bind harder.
        const mean = base.population.reduce((s, p) => s + p, 0) / base.k;
        const spread = [0.4, 0.2, 0.1][tight];
        const problem: Problem = { ...base, min: Math.floor(mean * (1 - spread)), max: Math.ceil(mean * (1 + spread)) };
        const reference = contiguousOptimum(problem);
        for (const nodes of [0, 10_000]) {
          const result = await pairBound(problem, { nodes });
          expect(result.bound).toBeGreaterThanOrEqual(0);
          if (reference.plans === 0) continue;
          expect(result.bound).toBeLessThanOrEqual(reference.objective + 1e-9);
          if (result.solved) expect(result.bound).toBeCloseTo(reference.objective, 6);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('proves the optimum of small grids when given the nodes', async () => {
    const g: GridCase = { rows: 3, cols: 4, k: 3, populations: Array.from({ length: 12 }, (_, i) => 70 + ((i * 41 + 3) % 60)), seed: 3 };
    const problem = gridProblem(g);
    const reference = contiguousOptimum(problem);
    const result = await pairBound(problem, { nodes: 10_000 });
    expect(result.solved).toBe(true);
    expect(result.bound).toBeCloseTo(reference.objective, 6);
  });

  it('with a time limit (branch and bound in a worker thread, from dist/) proves the same optimum as without', async () => {
    const g: GridCase = { rows: 3, cols: 4, k: 3, populations: Array.from({ length: 12 }, (_, i) => 70 + ((i * 41 + 3) % 60)), seed: 3 };
    const problem = gridProblem(g);
    const reference = contiguousOptimum(problem);
    // One cutting round leaves the proof to the branch and bound.
    const inline = await pairBound(problem, { nodes: 10_000, rounds: 1 });
    const threaded = await pairBound(problem, { nodes: 10_000, rounds: 1, timeLimitMs: 600_000 });
    expect(inline.solved).toBe(true);
    expect(threaded.solved).toBe(true);
    expect(threaded.bound).toBeCloseTo(reference.objective, 6);
    expect(threaded.timeLimitHit).toBe(false);
    expect(threaded.rounds).toBe(inline.rounds);
  });

  it('is the same on every run (a node budget, not a clock)', async () => {
    const g: GridCase = { rows: 3, cols: 5, k: 3, populations: Array.from({ length: 15 }, (_, i) => 70 + ((i * 41) % 60)), seed: 9 };
    const problem = gridProblem(g);
    const a = await pairBound(problem, { nodes: 3, rounds: 3 });
    const b = await pairBound(problem, { nodes: 3, rounds: 3 });
    expect(b).toMatchObject({ bound: a.bound, nodes: a.nodes, rounds: a.rounds, triangles: a.triangles, separators: a.separators });
  });
});

describe('separation routines', () => {
  const small = fc.record({ rows: fc.integer({ min: 2, max: 4 }), cols: fc.integer({ min: 2, max: 4 }), seed: fc.integer({ min: 0, max: 1 << 30 }) });

  it('a minimum vertex separator disconnects its pair, is minimal, and no lighter set does (property, brute force)', () => {
    fc.assert(
      fc.property(small, fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 16, maxLength: 16 }), fc.nat(), fc.nat(), (g, weights, i, j) => {
        const problem = gridProblem({ rows: g.rows, cols: g.cols, k: 2, seed: g.seed, populations: new Array(g.rows * g.cols).fill(100) });
        const n = problem.n;
        const a = i % n;
        const b = j % n;
        const cut = minVertexSeparator(problem, a, b, weights);
        const adjacent = Array.from(problem.adjList.subarray(problem.adjStart[a], problem.adjStart[a + 1])).includes(b);
        if (a === b || adjacent) {
          expect(cut).toBeNull();
          return;
        }
        expect(cut).not.toBeNull();
        const separates = (set: Set<number>): boolean => {
          const seen = new Set([a]);
          const stack = [a];
          while (stack.length > 0) {
            const v = stack.pop()!;
            for (let e = problem.adjStart[v]; e < problem.adjStart[v + 1]; e++) {
              const w = problem.adjList[e];
              if (!seen.has(w) && !set.has(w)) {
                seen.add(w);
                stack.push(w);
              }
            }
          }
          return !seen.has(b);
        };
        expect(cut!.includes(a) || cut!.includes(b)).toBe(false);
        expect(separates(new Set(cut))).toBe(true);
        // Minimal: every node of the separator is needed.
        for (const c of cut!) expect(separates(new Set(cut!.filter((x) => x !== c)))).toBe(false);
        const weight = cut!.reduce((s, c) => s + weights[c], 0);
        const others = Array.from({ length: n }, (_, v) => v).filter((v) => v !== a && v !== b);
        for (let mask = 0; mask < 1 << others.length; mask++) {
          const set = new Set(others.filter((_, t) => mask & (1 << t)));
          if (separates(set)) expect([...set].reduce((s, c) => s + weights[c], 0)).toBeGreaterThanOrEqual(weight - 1e-9);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('population distances are the lightest paths, both ends counted', () => {
    // A line of four with populations 1, 10, 100, 1000.
    const problem = gridProblem({ rows: 1, cols: 4, k: 2, seed: 0, populations: [1, 10, 100, 1000] });
    const d = populationDistances(problem);
    expect(d[0 * 4 + 3]).toBe(1111);
    expect(d[1 * 4 + 2]).toBe(110);
    expect(d[2 * 4 + 2]).toBe(100);
  });

  it('gap in percent, zero within the tolerance', () => {
    expect(gapPercent(0.0609, 0.0548)).toBeCloseTo(10.0164, 3);
    expect(gapPercent(0.5, 0.5 - 1e-9)).toBe(0);
    expect(gapPercent(0, 0)).toBe(0);
  });
});
