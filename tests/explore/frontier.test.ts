import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectAlternatives } from '../../src/explore/alternatives.js';
import { contestedUnits } from '../../src/explore/contested.js';
import { capPoints, dominates, epsilonLadder, nonDominated3, TERM_TOLERANCE } from '../../src/explore/frontier.js';
import { matchPlans, maxWeightAssignment } from '../../src/explore/match.js';
import { enumeratedPlanSet } from '../../src/explore/plan-set.js';
import { resolveTerms } from '../../src/explore/terms.js';
import { boundOnA, weightedLadder } from '../../src/explore/weighted.js';
import { evaluatePlan, footprintComponents } from '../../src/plan/evaluate.js';
import type { Problem } from '../../src/plan/problem.js';
import { enumeratePlans } from '../../src/search/enumerate/index.js';
import { labellings, tinyGridCase } from '../helpers/brute.js';
import { gridAdjacency, gridProblem } from '../helpers/grid.js';

/** (A, B) of every feasible plan by brute force over every labelling. */
function bruteValues(problem: Problem, a: number, b: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const x of labellings(problem.n, problem.k)) {
    const ev = evaluatePlan(problem, x);
    if (!ev.populations.every((p) => p >= problem.min && p <= problem.max)) continue;
    let connected = true;
    for (let f = 0; f < problem.k && connected; f++) connected = footprintComponents(problem, x, f).length === 1;
    if (connected) out.push([ev.splits[a], ev.splits[b]]);
  }
  return out;
}

/** The distinct non-dominated (A, B) points of a list, sorted by A. */
function paretoOf(values: Array<[number, number]>): Array<[number, number]> {
  const front = values.filter(([a, b]) => !values.some(([a2, b2]) => dominates(a2, b2, a, b)));
  const distinct: Array<[number, number]> = [];
  for (const p of front.sort((x, y) => x[0] - y[0] || x[1] - y[1])) if (!distinct.some((q) => Math.abs(q[0] - p[0]) <= TERM_TOLERANCE && Math.abs(q[1] - p[1]) <= TERM_TOLERANCE)) distinct.push(p);
  return distinct;
}

describe('the ε-constraint frontier', () => {
  it('equals the non-dominated points of every contiguous plan found by brute force, ends included', () => {
    fc.assert(
      fc.property(tinyGridCase, (g) => {
        const problem = gridProblem(g);
        const terms = resolveTerms(problem, ['gp', 'wards']);
        const reference = paretoOf(bruteValues(problem, 0, 1));
        const set = enumeratedPlanSet(enumeratePlans(problem));
        const ladder = epsilonLadder(set, terms[0], terms[1]);
        expect(ladder.length).toBe(reference.length);
        ladder.forEach((p, i) => {
          expect(set.term(terms[0], p.plan)).toBeCloseTo(reference[i][0], 9);
          expect(set.term(terms[1], p.plan)).toBeCloseTo(reference[i][1], 9);
        });
        // No plan of the set dominates a point, and each point meets the limit it was found under.
        for (const p of ladder) {
          expect(set.term(terms[1], p.plan)).toBeLessThanOrEqual(p.epsilon);
          for (let i = 0; i < set.count; i++) expect(dominates(set.term(terms[0], i), set.term(terms[1], i), set.term(terms[0], p.plan), set.term(terms[1], p.plan))).toBe(false);
        }
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('with three terms keeps exactly the plans no other plan dominates in all three', () => {
    const problem = gridProblem({ rows: 3, cols: 4, k: 3, seed: 2, populations: [90, 110, 70, 130, 100, 80, 120, 60, 140, 100, 95, 105] });
    const listed = enumeratePlans(problem);
    const set = enumeratedPlanSet(listed);
    const terms = resolveTerms(problem, ['gp', 'wards', 'compactness']);
    const kept = nonDominated3(set, [terms[0], terms[1], terms[2]]);
    const value = (i: number) => terms.map((t) => set.term(t, i));
    expect(kept.length).toBeGreaterThan(0);
    for (const i of kept) for (let j = 0; j < set.count; j++) {
      const [vi, vj] = [value(i), value(j)];
      const strictlyBetter = vj.every((x, t) => x <= vi[t] + TERM_TOLERANCE) && vj.some((x, t) => x < vi[t] - TERM_TOLERANCE);
      expect(strictlyBetter).toBe(false);
    }
    // Every plan not kept is dominated by, or ties with, a kept one.
    for (let j = 0; j < set.count; j++) if (!kept.includes(j)) expect(kept.some((i) => value(i).every((x, t) => x <= value(j)[t] + TERM_TOLERANCE))).toBe(true);
  });

  it('a cap keeps both ends and spreads the rest', () => {
    expect(capPoints([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([1, 4, 7]);
    expect(capPoints([1, 2, 3], 5)).toEqual([1, 2, 3]);
  });
});

describe('weighted-sum points (plans too many to list)', () => {
  it('are proven by the optimiser on small grids, lie on the enumerated frontier, and bound A correctly', async () => {
    const problem = gridProblem({ rows: 3, cols: 4, k: 3, seed: 4, populations: [90, 110, 70, 130, 100, 80, 120, 60, 140, 100, 95, 105] });
    const terms = resolveTerms(problem, ['gp', 'wards']);
    const points = await weightedLadder(problem, [terms[0], terms[1]], { points: 4, seed: 1, restarts: 2, deadline: performance.now() + 60_000, boundNodes: 0, workers: 0, iterations: 2000 });
    const set = enumeratedPlanSet(enumeratePlans(problem));
    expect(points.length).toBe(4);
    for (const p of points) {
      expect(p.proven).toBe(true);
      expect(boundOnA([p], p.evaluation.splits[1], p.evaluation.splits[0])).toBeCloseTo(p.evaluation.splits[0], 9);
      const a = p.evaluation.splits[0];
      const b = p.evaluation.splits[1];
      for (let i = 0; i < set.count; i++) {
        expect(dominates(set.term(terms[0], i), set.term(terms[1], i), a, b)).toBe(false);
        // The bound holds for every plan within the point's limit on B.
        if (set.term(terms[1], i) <= b + TERM_TOLERANCE) expect(set.term(terms[0], i)).toBeGreaterThanOrEqual(boundOnA(points, b, a)! - 1e-9);
      }
    }
  });
});

describe('matching footprints between plans', () => {
  it('keeps as many residents as the best of all k! renamings', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.tuple(fc.nat(4), fc.nat(4), fc.integer({ min: 1, max: 100 })), { minLength: 1, maxLength: 30 }), (k, rows) => {
        const first = rows.map(([a]) => a % k);
        const second = rows.map(([, b]) => b % k);
        const pop = rows.map(([, , p]) => p);
        const { changed, rename } = matchPlans(first, second, pop, k);
        let bestKept = -1;
        const permute = (prefix: number[]): void => {
          if (prefix.length === k) {
            const kept = rows.reduce((s, _, i) => s + (prefix[second[i]] === first[i] ? pop[i] : 0), 0);
            bestKept = Math.max(bestKept, kept);
            return;
          }
          for (let c = 0; c < k; c++) if (!prefix.includes(c)) permute([...prefix, c]);
        };
        permute([]);
        const total = pop.reduce((s, p) => s + p, 0);
        expect(changed).toBeCloseTo(total - bestKept, 9);
        expect(new Set(rename).size).toBe(k);
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  it('solves an assignment whose greedy choice is wrong', () => {
    // Greedy takes (0,0)=10 and is left with (1,1)=0; the best is (0,1)+(1,0) = 9+9.
    expect(Array.from(maxWeightAssignment(Float64Array.from([10, 9, 9, 0]), 2))).toEqual([1, 0]);
  });
});

describe('alternatives', () => {
  it('are distinct plans within the share, the best first, and as many as exist when fewer than asked', () => {
    fc.assert(
      fc.property(tinyGridCase, fc.integer({ min: 1, max: 5 }), fc.constantFrom(0, 0.02, 0.1, 0.5), (g, count, within) => {
        const problem = gridProblem(g);
        const set = enumeratedPlanSet(enumeratePlans(problem));
        if (set.count === 0) return;
        const result = selectAlternatives(set, problem.population, problem.k, { count, within });
        const best = Math.min(...Array.from({ length: set.count }, (_, i) => set.objective(i)));
        const inShare = Array.from({ length: set.count }, (_, i) => i).filter((i) => set.objective(i) <= best * (1 + within) + 1e-9);
        expect(result.candidates).toBe(inShare.length);
        expect(result.chosen.length).toBe(Math.min(count, inShare.length));
        expect(set.objective(result.chosen[0])).toBeCloseTo(best, 12);
        for (const i of result.chosen) expect(set.objective(i)).toBeLessThanOrEqual(best * (1 + within) + 1e-9);
        for (let x = 0; x < result.chosen.length; x++)
          for (let y = 0; y < x; y++) expect(matchPlans(set.plan(result.chosen[x]), set.plan(result.chosen[y]), problem.population, problem.k).changed).toBeGreaterThan(0);
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('picks the farthest plan second', () => {
    const problem = gridProblem({ rows: 2, cols: 4, k: 2, seed: 0, populations: [100, 100, 100, 100, 100, 100, 100, 100] });
    const set = enumeratedPlanSet(enumeratePlans(problem));
    const result = selectAlternatives(set, problem.population, 2, { count: 2, within: 100 });
    const dist = (i: number) => matchPlans(set.plan(result.chosen[0]), set.plan(i), problem.population, 2).changed;
    const farthest = Math.max(...Array.from({ length: set.count }, (_, i) => dist(i)));
    expect(dist(result.chosen[1])).toBe(farthest);
  });
});

describe('contested units', () => {
  it('are settled when every plan agrees, and lose a neighbour\'s share each plan that moves the line beside them', () => {
    const adjacency = gridAdjacency(1, 4); // a line 0-1-2-3
    expect(Array.from(contestedUnits(adjacency, [Int32Array.from([0, 0, 1, 1]), Int32Array.from([0, 0, 1, 1])]).settled)).toEqual([1, 1, 1, 1]);
    // Three plans: the line between 1|2 twice, 2|3 once. Unit 2's usual: with 3, apart from 1.
    const { settled } = contestedUnits(adjacency, [Int32Array.from([0, 0, 1, 1]), Int32Array.from([0, 0, 1, 1]), Int32Array.from([0, 0, 0, 1])]);
    expect(settled[0]).toBe(1);
    expect(settled[1]).toBeCloseTo((1 + 1 + 1 + 1 + 1 + 0) / 6, 12);
    expect(settled[2]).toBeCloseTo((2 + 2 + 0) / 6, 12);
    expect(settled[3]).toBeCloseTo(2 / 3, 12);
  });
});
