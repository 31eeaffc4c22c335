import fc from 'fast-check';
import { expect } from 'vitest';
import { solveExact } from '../../src/search/exact/solve.js';
import { evaluatePlan, footprintComponents } from '../../src/plan/evaluate.js';
import type { Problem } from '../../src/plan/problem.js';

/** Every labelling of the nodes with 0…k−1 (k^n of them: tiny instances only). */
export function* labellings(n: number, k: number): Generator<Int32Array> {
  const a = new Int32Array(n);
  for (;;) {
    yield a;
    let i = 0;
    while (i < n && a[i] === k - 1) a[i++] = 0;
    if (i === n) return;
    a[i]++;
  }
}

/** Every contiguous plan within the bounds and the locks, by brute force (tiny instances only). */
export function contiguousPlans(problem: Problem): Int32Array[] {
  const plans: Int32Array[] = [];
  for (const a of labellings(problem.n, problem.k)) {
    if (a.some((f, v) => problem.locked[v] >= 0 && problem.locked[v] !== f)) continue;
    const { populations } = evaluatePlan(problem, a);
    if (!populations.every((p) => p >= problem.min && p <= problem.max)) continue;
    let connected = true;
    for (let f = 0; f < problem.k && connected; f++) connected = footprintComponents(problem, a, f).length === 1;
    if (connected) plans.push(Int32Array.from(a));
  }
  return plans;
}

/** The contiguous optimum by brute force over every labelling: the reference bounds and exact searches are held to. */
export function contiguousOptimum(problem: Problem): { objective: number; plans: number } {
  let best = Infinity;
  let plans = 0;
  for (const a of labellings(problem.n, problem.k)) {
    let ok = true;
    for (let v = 0; v < problem.n && ok; v++) if (problem.locked[v] >= 0 && problem.locked[v] !== a[v]) ok = false;
    if (!ok) continue;
    const { objective, populations } = evaluatePlan(problem, a);
    if (!populations.every((p) => p >= problem.min && p <= problem.max)) continue;
    let connected = true;
    for (let f = 0; f < problem.k && connected; f++) connected = footprintComponents(problem, a, f).length === 1;
    if (!connected) continue;
    plans++;
    best = Math.min(best, objective);
  }
  return { objective: best, plans };
}

/** The optimum without contiguity, by brute force: what a relaxation that drops contiguity must stay below. */
export function relaxedOptimum(problem: Problem): number {
  let best = Infinity;
  for (const a of labellings(problem.n, problem.k)) {
    let ok = true;
    for (let v = 0; v < problem.n; v++) if (problem.locked[v] >= 0 && problem.locked[v] !== a[v]) ok = false;
    if (!ok) continue;
    const { objective, populations } = evaluatePlan(problem, a);
    if (populations.every((p) => p >= problem.min && p <= problem.max)) best = Math.min(best, objective);
  }
  return best;
}

/** Grids small enough (k^n ≤ 300,000 labellings) for contiguousOptimum to enumerate. */
export const tinyGridCase = fc
  .record({ rows: fc.integer({ min: 2, max: 3 }), cols: fc.integer({ min: 3, max: 4 }), k: fc.integer({ min: 2, max: 3 }), seed: fc.integer({ min: 0, max: 1 << 30 }) })
  .filter((g) => g.k ** (g.rows * g.cols) <= 300_000)
  .chain((g) =>
    fc.record({
      rows: fc.constant(g.rows),
      cols: fc.constant(g.cols),
      k: fc.constant(g.k),
      seed: fc.constant(g.seed),
      populations: fc.array(fc.integer({ min: 50, max: 150 }), { minLength: g.rows * g.cols, maxLength: g.rows * g.cols }),
    }),
  );

/**
 * The exact search against brute force on one instance: proven, the optimum found cold and with an
 * incumbent just above it (which must not prune it away), none when no contiguous plan exists.
 * Returns the reference so callers can check more.
 */
export function expectExactMatchesBruteForce(problem: Problem): { objective: number; plans: number } {
  const reference = contiguousOptimum(problem);
  const cold = solveExact(problem);
  expect(cold.proven).toBe(true);
  if (reference.plans === 0) {
    expect(cold.assignment).toBeNull();
    return reference;
  }
  expect(cold.objective).toBeCloseTo(reference.objective, 12);
  const warm = solveExact(problem, { incumbent: reference.objective + 1e-9 });
  expect(warm.objective).toBeCloseTo(reference.objective, 12);
  return reference;
}

/** Whether the nodes in `mask` (bit v for node v; n ≤ 31) form one connected piece (an empty mask does not). */
export function maskConnected(problem: Problem, mask: number): boolean {
  let first = -1;
  let size = 0;
  for (let v = 0; v < problem.n; v++) {
    if (mask & (1 << v)) {
      if (first < 0) first = v;
      size++;
    }
  }
  if (first < 0) return false;
  const seen = new Set([first]);
  const stack = [first];
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (let e = problem.adjStart[v]; e < problem.adjStart[v + 1]; e++) {
      const w = problem.adjList[e];
      if (mask & (1 << w) && !seen.has(w)) {
        seen.add(w);
        stack.push(w);
      }
    }
  }
  return seen.size === size;
}
