import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePlan, footprintComponents } from '../../src/plan/evaluate.js';
import type { Problem } from '../../src/plan/problem.js';
import { enumeratePlans } from '../../src/search/enumerate/index.js';
import { solveExact } from '../../src/search/exact/solve.js';
import { labellings, tinyGridCase } from '../helpers/brute.js';
import { gridProblem } from '../helpers/grid.js';

/** A partition as text, whatever its labels: each node's footprint renumbered by first appearance. */
function partitionKey(plan: ArrayLike<number>): string {
  const seen = new Map<number, number>();
  return Array.from(plan, (f) => {
    if (!seen.has(f)) seen.set(f, seen.size);
    return seen.get(f)!;
  }).join(',');
}

/** Every feasible plan by brute force over all k^n labellings, as partitions (footprints not locked are interchangeable). */
function brutePlans(problem: Problem): Map<string, number> {
  const plans = new Map<string, number>();
  for (const a of labellings(problem.n, problem.k)) {
    if (Array.from(problem.locked).some((f, v) => f >= 0 && a[v] !== f)) continue;
    const { objective, populations } = evaluatePlan(problem, a);
    if (!populations.every((p) => p >= problem.min && p <= problem.max)) continue;
    let connected = true;
    for (let f = 0; f < problem.k && connected; f++) connected = footprintComponents(problem, a, f).length === 1;
    if (connected) plans.set(partitionKey(a), objective);
  }
  return plans;
}

describe('enumeratePlans', () => {
  it('lists every feasible contiguous plan exactly once, with its terms, as brute force over every labelling does', () => {
    fc.assert(
      fc.property(tinyGridCase, fc.boolean(), (g, lock) => {
        const problem = gridProblem(g, lock ? { locked: { U0: g.k - 1 } } : {});
        const reference = brutePlans(problem);
        const listed = enumeratePlans(problem);
        expect(listed.complete).toBe(true);
        expect(listed.count).toBe(reference.size);
        const keys = new Set<string>();
        for (let i = 0; i < listed.count; i++) {
          const plan = Int32Array.from(listed.assignments.subarray(i * problem.n, (i + 1) * problem.n));
          const key = partitionKey(plan);
          problem.locked.forEach((f, v) => f >= 0 && expect(plan[v]).toBe(f));
          keys.add(key);
          expect(reference.has(key)).toBe(true);
          const ev = evaluatePlan(problem, plan);
          expect(listed.objective[i]).toBeCloseTo(ev.objective, 12);
          expect(listed.compactness[i]).toBeCloseTo(ev.compactness, 12);
          ev.splits.forEach((s, l) => expect(listed.splits[l][i]).toBeCloseTo(s, 12));
        }
        expect(keys.size).toBe(listed.count);
      }),
      { numRuns: 60, seed: 23 },
    );
  });

  it('finds the optimum the exact search proves on larger grids with kept-whole groups', () => {
    fc.assert(
      fc.property(
        fc.record({ rows: fc.integer({ min: 4, max: 5 }), cols: fc.integer({ min: 4, max: 6 }), k: fc.integer({ min: 2, max: 4 }), seed: fc.integer() }).chain((g) =>
          fc.record({ rows: fc.constant(g.rows), cols: fc.constant(g.cols), k: fc.constant(g.k), seed: fc.constant(g.seed), populations: fc.array(fc.integer({ min: 50, max: 150 }), { minLength: g.rows * g.cols, maxLength: g.rows * g.cols }) }),
        ),
        (g) => {
          const problem = gridProblem(g, { keepWhole: true });
          const listed = enumeratePlans(problem);
          const exact = solveExact(problem);
          expect(exact.proven).toBe(true);
          if (exact.assignment === null) expect(listed.count).toBe(0);
          else expect(Math.min(...listed.objective)).toBeCloseTo(exact.objective, 10);
        },
      ),
      { numRuns: 25, seed: 5 },
    );
  });

  it('stops at the plan cap and says the list is incomplete', () => {
    const problem = gridProblem({ rows: 3, cols: 4, k: 2, seed: 1, populations: new Array(12).fill(100) });
    const all = enumeratePlans(problem);
    expect(all.count).toBeGreaterThan(3);
    const capped = enumeratePlans(problem, { maxPlans: 3 });
    expect(capped.complete).toBe(false);
    expect(capped.count).toBe(3);
  });
});
