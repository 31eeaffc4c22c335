import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactLadder } from '../../src/explore/exact-ladder.js';
import { epsilonLadder } from '../../src/explore/frontier.js';
import { enumeratedPlanSet } from '../../src/explore/plan-set.js';
import { resolveTerms } from '../../src/explore/terms.js';
import { evaluatePlan } from '../../src/plan/evaluate.js';
import { enumeratePlans } from '../../src/search/enumerate/index.js';
import { solveExact } from '../../src/search/exact/solve.js';
import { tinyGridCase } from '../helpers/brute.js';
import { hasCompiledWorker, loadDist } from '../helpers/dist.js';
import { gridProblem } from '../helpers/grid.js';

describe('the exact search with limits on split terms', () => {
  it('finds the least objective among the plans within the limit, as the list of every plan does', () => {
    fc.assert(
      fc.property(tinyGridCase, fc.double({ min: 0, max: 1, noNaN: true }), (g, pick) => {
        const problem = gridProblem(g);
        const listed = enumeratePlans(problem);
        if (listed.count === 0) return;
        // A limit at one of the plans' own values of S(gp), so it binds exactly.
        const values = [...listed.splits[0]].sort((x, y) => x - y);
        const limit = values[Math.floor(pick * (values.length - 1))];
        let best = Infinity;
        for (let i = 0; i < listed.count; i++) if (listed.splits[0][i] <= limit) best = Math.min(best, listed.objective[i]);
        const result = solveExact(problem, { limits: [{ layer: 0, value: limit }] });
        expect(result.proven).toBe(true);
        expect(result.objective).toBeCloseTo(best, 10);
        expect(evaluatePlan(problem, result.assignment!).splits[0]).toBeLessThanOrEqual(limit + 1e-12);
      }),
      { numRuns: 40, seed: 17 },
    );
  });
});

describe('the ε-constraint ladder by the exact search', () => {
  it('finds every point of the frontier of every plan, each proven, in order', async () => {
    await fc.assert(
      fc.asyncProperty(tinyGridCase, async (g) => {
        const problem = gridProblem(g);
        const terms = resolveTerms(problem, ['gp', 'wards']);
        const set = enumeratedPlanSet(enumeratePlans(problem));
        const reference = epsilonLadder(set, terms[0], terms[1]);
        const ladder = await exactLadder(problem, [terms[0], terms[1]], { deadline: performance.now() + 60_000 });
        expect(ladder.complete).toBe(true);
        expect(ladder.points.length).toBe(reference.length);
        ladder.points.forEach((p, i) => {
          expect(p.proven).toBe(true);
          const ev = evaluatePlan(problem, p.plan);
          expect(ev.splits[0]).toBeCloseTo(set.term(terms[0], reference[i].plan), 9);
          expect(ev.splits[1]).toBeCloseTo(set.term(terms[1], reference[i].plan), 9);
          // The tie-break: the scenario's own objective of the listed ladder's plan.
          expect(ev.objective).toBeCloseTo(set.objective(reference[i].plan), 9);
        });
      }),
      { numRuns: 25, seed: 19 },
    );
  });

  it('stops at --points and says the ladder is not complete', async () => {
    const problem = gridProblem({ rows: 3, cols: 4, k: 3, seed: 2, populations: [90, 110, 70, 130, 100, 80, 120, 60, 140, 100, 95, 105] });
    const terms = resolveTerms(problem, ['gp', 'wards']);
    const all = await exactLadder(problem, [terms[0], terms[1]], { deadline: performance.now() + 60_000 });
    expect(all.points.length).toBeGreaterThan(1);
    const one = await exactLadder(problem, [terms[0], terms[1]], { deadline: performance.now() + 60_000, maxPoints: 1 });
    expect(one.points).toHaveLength(1);
    expect(one.complete).toBe(false);
  });

  it.skipIf(!hasCompiledWorker)('on the compiled worker thread, the limits reach the search: the same ladder as in this thread', async () => {
    const compiled = await loadDist<typeof import('../../src/explore/exact-ladder.js')>('explore/exact-ladder.js');
    const problem = gridProblem({ rows: 3, cols: 4, k: 3, seed: 2, populations: [90, 110, 70, 130, 100, 80, 120, 60, 140, 100, 95, 105] });
    const terms = resolveTerms(problem, ['gp', 'wards']);
    const here = await exactLadder(problem, [terms[0], terms[1]], { deadline: performance.now() + 60_000 });
    const there = await compiled.exactLadder(problem, [terms[0], terms[1]], { deadline: performance.now() + 60_000 });
    expect(here.points.length).toBeGreaterThan(1);
    expect(there.complete).toBe(here.complete);
    expect(there.points.map((p) => Array.from(p.plan))).toEqual(here.points.map((p) => Array.from(p.plan)));
  });
});
