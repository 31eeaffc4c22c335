import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { footprintMinimum, footprintSeparatorRows, smallIslands } from '../../../src/search/bounds/separation.js';
import type { Problem } from '../../../src/plan/problem.js';
import { contiguousPlans } from '../../helpers/brute.js';
import { gridProblem } from '../../helpers/grid.js';


function neighbours(problem: Problem, v: number): number[] {
  return Array.from(problem.adjList.subarray(problem.adjStart[v], problem.adjStart[v + 1]));
}

/** A grid of 2×3 to 3×3 with populations 1–9, k 2 or 3 and a minimum drawn up to the mean: islands of every size. */
const smallGrid = fc
  .record({ rows: fc.integer({ min: 2, max: 3 }), cols: fc.integer({ min: 3, max: 3 }), k: fc.integer({ min: 2, max: 3 }), seed: fc.integer({ min: 0, max: 1 << 30 }), minShare: fc.double({ min: 0.2, max: 1, noNaN: true }), maxShare: fc.double({ min: 0, max: 1, noNaN: true }) })
  .chain((g) => fc.record({ g: fc.constant(g), populations: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: g.rows * g.cols, maxLength: g.rows * g.cols }) }))
  .map(({ g, populations }) => {
    const problem = gridProblem({ rows: g.rows, cols: g.cols, k: g.k, seed: g.seed, populations });
    const total = populations.reduce((s, p) => s + p, 0);
    // An integer minimum, so a part holding exactly the minimum (which may be a footprint) is drawn
    // too; and a maximum from the mean to the total, so that near the mean the others at their
    // maximum leave each footprint more than the minimum.
    const mean = total / g.k;
    return { ...problem, min: Math.max(1, Math.round(mean * g.minShare)), max: Math.ceil(mean + (total - mean) * g.maxShare * g.maxShare) };
  });

/** One footprint's shares: a whole labelling's footprint, or fractions with zeros. */
const shares = (n: number) => fc.array(fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: n, maxLength: n });

describe('island rows (contiguity rows lifted by population)', () => {
  it('every island is a connected part of the shares with fewer residents than the minimum, ringed by nodes the footprint does not hold, and its rows cut the shares off', () => {
    fc.assert(
      fc.property(smallGrid.chain((problem) => fc.record({ problem: fc.constant(problem), share: shares(problem.n) })), ({ problem, share }) => {
        const islands = smallIslands(problem, share, 100);
        for (const { island, around } of islands) {
          const inside = new Set(island);
          expect(island.every((v) => share[v] > 1e-6)).toBe(true);
          expect(island.reduce((s, v) => s + problem.population[v], 0)).toBeLessThan(footprintMinimum(problem));
          // Ringed: around is exactly the nodes next to the island, and none holds a share.
          const ring = new Set(island.flatMap((v) => neighbours(problem, v)).filter((w) => !inside.has(w)));
          expect([...ring].sort((x, y) => x - y)).toEqual(around);
          expect(around.every((c) => share[c] <= 1e-6)).toBe(true);
          // Connected, and not all of the footprint's shares (there is another part).
          const seen = new Set([island[0]]);
          for (const v of seen) for (const w of neighbours(problem, v)) if (inside.has(w)) seen.add(w);
          expect(seen.size).toBe(island.length);
          expect(share.some((x, v) => x > 1e-6 && !inside.has(v))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every contiguous plan within the bounds meets every row, in every footprint (property, brute force)', () => {
    let islandRows = 0;
    fc.assert(
      fc.property(smallGrid.chain((problem) => fc.record({ problem: fc.constant(problem), col: shares(problem.n * problem.k) })), ({ problem, col }) => {
        const { n, k } = problem;
        const xCol = (v: number, f: number) => v * k + f;
        const rows = footprintSeparatorRows(problem, col, xCol, 100);
        islandRows += rows.filter((r) => r.upper === 0).length;
        for (const plan of contiguousPlans(problem)) {
          const x = new Float64Array(n * k);
          plan.forEach((f, v) => (x[xCol(v, f)] = 1));
          for (const row of rows) expect(row.index.reduce((s, c, i) => s + row.value[i] * x[c], 0)).toBeLessThanOrEqual(row.upper + 1e-9);
        }
      }),
      { numRuns: 200 },
    );
    // The property means something only if island rows were made.
    expect(islandRows).toBeGreaterThan(50);
  });

  it('adds an island row for every footprint: the island found in one comes back in another otherwise', () => {
    // A line of six: footprint 0 holds 0–1 and 4–5; 4–5 is an island of 2 against a minimum of 3.
    const problem = { ...gridProblem({ rows: 1, cols: 6, k: 3, seed: 0, populations: [1, 1, 1, 1, 1, 1] }), min: 3, max: 6 };
    const k = 3;
    const col = new Float64Array(6 * k);
    [0, 1, 4, 5].forEach((v) => (col[v * k] = 1));
    [2, 3].forEach((v) => (col[v * k + 1] = 1));
    const rows = footprintSeparatorRows(problem, col, (v, f) => v * k + f, 10).filter((r) => r.upper === 0);
    // Both parts (0–1 and 4–5) are islands of 2 < 3: each node of each gives a row per footprint.
    expect(rows).toHaveLength(4 * k);
    expect(rows.filter((r) => r.index[0] === 4 * k + 2)).toEqual([{ lower: -Infinity, upper: 0, index: [4 * k + 2, 3 * k + 2], value: [1, -1] }]);
  });

  it('counts as the minimum what the other footprints at their maximum leave, where that is more', () => {
    // Salford: 269,927 residents in 5 footprints of 30,000–55,000 leave each at least 49,927.
    const line = gridProblem({ rows: 1, cols: 5, k: 5, seed: 0, populations: [50_000, 50_000, 50_000, 50_000, 69_927] });
    expect(footprintMinimum({ ...line, min: 30_000, max: 55_000 })).toBe(49_927);
    expect(footprintMinimum({ ...line, min: 30_000, max: 80_000 })).toBe(30_000);
  });

  it('makes no island rows without a minimum, or when the footprint is one part', () => {
    const problem = gridProblem({ rows: 1, cols: 4, k: 2, seed: 0, populations: [1, 1, 1, 1] });
    expect(smallIslands({ ...problem, min: 0 }, [1, 0, 0, 1], 10)).toEqual([]);
    expect(smallIslands({ ...problem, min: 3 }, [1, 1, 0, 0], 10)).toEqual([]);
    expect(smallIslands({ ...problem, min: 3 }, [1, 0, 0, 1], 10)).toEqual([
      { island: [0], around: [1] },
      { island: [3], around: [2] },
    ]);
  });
});
