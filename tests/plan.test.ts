import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InfeasibleError } from '../src/errors.js';
import { checkPlan, evaluatePlan, footprintComponents } from '../src/plan/evaluate.js';
import { assertFeasible, footprintWindow, infeasibilityReasons, tightWindow } from '../src/plan/feasibility.js';
import { buildProblem, unitAssignment, type Problem } from '../src/plan/problem.js';
import type { Adjacency } from '../src/geometry/types.js';
import { gridAdjacency, gridCase, gridLayer, gridProblem, type GridCase } from './helpers/grid.js';
import { coarsen, refineAssignment } from '../src/plan/coarsen.js';
import { PlanState } from '../src/plan/state.js';
import { solveExact } from '../src/search/exact/solve.js';
import { LocalSearch } from '../src/search/heuristic/local.js';
import { optimise } from '../src/search/optimise.js';
import { Random } from '../src/search/random.js';
import { seedPlan } from '../src/search/heuristic/seed.js';

describe('plan model', () => {
  it('the incremental objective equals a from-scratch evaluation after any sequence of moves (property)', () => {
    fc.assert(
      fc.property(gridCase, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 60 }), (g, moves) => {
        const problem = gridProblem(g);
        const start = Int32Array.from({ length: problem.n }, (_, v) => v % g.k);
        const state = new PlanState(problem, start);
        for (const [a, b] of moves) {
          const v = a % problem.n;
          const to = b % g.k;
          const before = state.objective();
          const delta = state.deltaMove(v, to);
          state.applyMove(v, to);
          expect(state.objective()).toBeCloseTo(before + delta, 10);
        }
        const fresh = evaluatePlan(problem, state.assignment);
        expect(state.objective()).toBeCloseTo(fresh.objective, 10);
        fresh.populations.forEach((p, f) => expect(state.footprintPopulation[f]).toBeCloseTo(p, 6));
      }),
      { numRuns: 60 },
    );
  });

  it('S of a layer is zero when every area lies in one footprint, and positive when one is cut', () => {
    const g: GridCase = { rows: 4, cols: 4, k: 2, populations: new Array(16).fill(100), seed: 1 };
    const problem = gridProblem(g);
    const wards = problem.layers.findIndex((l) => l.name === 'wards');
    const leftRight = Int32Array.from({ length: 16 }, (_, u) => (u % 4 < 2 ? 0 : 1));
    expect(evaluatePlan(problem, leftRight).splits[wards]).toBe(0);
    const cutting = Int32Array.from({ length: 16 }, (_, u) => (u % 4 < 1 ? 0 : 1));
    // Each of the two left wards loses 2 of its 4 units' residents: S = (2·200)/1600.
    expect(evaluatePlan(problem, cutting).splits[wards]).toBeCloseTo(400 / 1600, 12);
  });
});

describe('search invariants on random grids (property)', () => {
  it('every unit is in exactly one footprint, footprints are connected and within bounds, locks hold, keep-whole groups stay whole', async () => {
    let plans = 0;
    await fc.assert(
      fc.asyncProperty(gridCase, fc.boolean(), async (g, keepWhole) => {
        const locked = { U0: 0, [`U${g.rows * g.cols - 1}`]: g.k - 1 };
        const problem = gridProblem(g, { keepWhole, locked });
        if (infeasibilityReasons(problem).length > 0) return;
        let result;
        try {
          result = await optimise(problem, { seed: g.seed, restarts: 2, iterations: 3000, workers: 1, exact: false });
        } catch {
          return; // no feasible plan found for a tight random instance is allowed; invariants are about plans
        }
        const a = result.assignment;
        expect(a).toHaveLength(problem.n);
        expect(a.every((f) => f >= 0 && f < g.k)).toBe(true);
        expect(checkPlan(problem, a)).toEqual([]);
        for (let f = 0; f < g.k; f++) expect(footprintComponents(problem, a, f)).toHaveLength(1);
        // Locked units: U0 in footprint 0, the last unit in footprint k−1.
        expect(a[problem.nodeOfUnit[0]]).toBe(0);
        expect(a[problem.nodeOfUnit[g.rows * g.cols - 1]]).toBe(g.k - 1);
        if (keepWhole) {
          // Every unit of a 2×2 ward is in the same footprint.
          const units = unitAssignment(problem, a);
          const wards = gridLayer('wards', g.rows, g.cols, 2, 0, false);
          const footprintOfWard = new Map<number, number>();
          units.forEach((f, u) => {
            const ward = wards.area[wards.start[u]];
            expect(footprintOfWard.get(ward) ?? f).toBe(f);
            footprintOfWard.set(ward, f);
          });
        }
        plans++;
      }),
      { numRuns: 25 },
    );
    expect(plans).toBeGreaterThan(10);
  });

  it('the same seed gives the same plan', async () => {
    const g: GridCase = { rows: 6, cols: 6, k: 3, populations: Array.from({ length: 36 }, (_, i) => 80 + ((i * 37) % 50)), seed: 5 };
    const problem = gridProblem(g);
    const a = await optimise(problem, { seed: 42, restarts: 3, iterations: 5000, workers: 1, exact: false });
    const b = await optimise(problem, { seed: 42, restarts: 3, iterations: 5000, workers: 1, exact: false });
    expect(Array.from(b.assignment)).toEqual(Array.from(a.assignment));
    expect(b.evaluation.objective).toBe(a.evaluation.objective);
  });

  it('on a tiny instance the heuristic finds the optimum proven by exact search', async () => {
    for (const seed of [1, 2, 3]) {
      const g: GridCase = { rows: 3, cols: 4, k: 3, populations: Array.from({ length: 12 }, (_, i) => 90 + ((i * 53 + seed * 7) % 40)), seed };
      const problem = gridProblem(g);
      const exact = solveExact(problem);
      expect(exact.proven).toBe(true);
      const heuristic = await optimise(problem, { seed, restarts: 4, iterations: 4000, workers: 1, exact: false });
      expect(heuristic.evaluation.objective).toBeCloseTo(exact.objective, 10);
      const full = await optimise(problem, { seed, restarts: 1, iterations: 100, workers: 1 });
      expect(full.status).toBe('optimal');
      expect(full.bound).toBeCloseTo(exact.objective, 10);
    }
  });

  it('exact search finds the true optimum (checked by brute force over all labelings)', () => {
    const g: GridCase = { rows: 2, cols: 4, k: 2, populations: [100, 120, 90, 110, 105, 95, 130, 80], seed: 0 };
    const problem = gridProblem(g);
    let best = Infinity;
    for (let mask = 0; mask < 1 << 8; mask++) {
      const a = Int32Array.from({ length: 8 }, (_, u) => (mask >> u) & 1);
      if (checkPlan(problem, a).length === 0) best = Math.min(best, evaluatePlan(problem, a).objective);
    }
    expect(solveExact(problem).objective).toBeCloseTo(best, 12);
  });

  it('seeding gives contiguous footprints within bounds', () => {
    const g: GridCase = { rows: 8, cols: 8, k: 4, populations: Array.from({ length: 64 }, (_, i) => 60 + ((i * 29) % 90)), seed: 0 };
    const problem = gridProblem(g);
    for (let s = 0; s < 10; s++) {
      const start = seedPlan(problem, new Random(s));
      expect(start).not.toBeNull();
      expect(checkPlan(problem, start!)).toEqual([]);
    }
  });

  it('annealing never worsens the start it was given', () => {
    const g: GridCase = { rows: 6, cols: 6, k: 3, populations: Array.from({ length: 36 }, (_, i) => 80 + ((i * 41) % 50)), seed: 0 };
    const problem = gridProblem(g);
    const random = new Random(9);
    const start = seedPlan(problem, random)!;
    const search = new LocalSearch(problem, start, random);
    const before = search.state.objective();
    const result = search.run({ iterations: 5000, startTemperature: 0.01, endTemperature: 0.0001, recombineEvery: 20 });
    expect(result.objective).toBeLessThanOrEqual(before + 1e-12);
    expect(checkPlan(problem, result.assignment)).toEqual([]);
  });
});

describe('feasibility first', () => {
  const base: GridCase = { rows: 4, cols: 4, k: 2, populations: new Array(16).fill(100), seed: 0 };
  const problemWith = (over: Partial<Parameters<typeof buildProblem>[0]>) =>
    buildProblem({
      unitIds: Array.from({ length: 16 }, (_, u) => `U${u}`),
      population: base.populations,
      adjacency: gridAdjacency(4, 4),
      layers: [],
      k: 2,
      min: 500,
      max: 1100,
      ...over,
    });
  const reasonsOf = (problem: Problem): string => {
    try {
      assertFeasible(problem);
    } catch (error) {
      expect(error).toBeInstanceOf(InfeasibleError);
      expect((error as InfeasibleError).exitCode).toBe(3);
      return (error as Error).message;
    }
    return '';
  };

  it('total population below k·min', () => expect(reasonsOf(problemWith({ min: 900 }))).toMatch(/1,600 residents, fewer than the 1,800 that 2 footprints of at least 900 need/));
  it('total population above k·max', () => expect(reasonsOf(problemWith({ max: 700 }))).toMatch(/more than the 1,400 that 2 footprints of at most 700 can hold/));
  it('a unit above max', () => expect(reasonsOf(problemWith({ population: [5000, ...new Array(15).fill(100)] }))).toMatch(/Unit U0 alone has 5,000 residents, above the maximum of 1,100/));
  it('a keep-whole group above max', () => {
    const wards = gridLayer('w', 4, 4, 4, 0, false); // one ward holding all 16 units
    expect(reasonsOf(problemWith({ keepWhole: [wards] }))).toMatch(/A kept-whole area \(16 units: U0, U1, U2, U3, …\) has 1,600 residents, above the maximum of 1,100/);
  });
  it('a disconnected piece that cannot hold a whole number of footprints', () => {
    const adj = gridAdjacency(4, 4);
    // Cut U15 off: remove its edges.
    const lists = Array.from({ length: 16 }, (_, u) => Array.from(adj.neighbour.subarray(adj.start[u], adj.start[u + 1])).filter((v) => v !== 15 && u !== 15));
    const start = new Int32Array(17);
    lists.forEach((l, i) => (start[i + 1] = start[i] + l.length));
    const cut: Adjacency = { ...adj, start, neighbour: Int32Array.from(lists.flat()), length: new Float64Array(start[16]).fill(1), islands: [15] };
    expect(reasonsOf(problemWith({ adjacency: cut }))).toMatch(/cut off from the rest \(1 unit\(s\): U15\) has 100 residents, which cannot make a whole number of footprints/);
  });
  it('locked units that conflict', () => {
    const wards = gridLayer('w', 4, 4, 2, 0, false);
    expect(reasonsOf(problemWith({ keepWhole: [wards], locked: { U0: 0, U1: 1 } }))).toMatch(/Units U0 and U1 must stay together \(a kept-whole area\) but are locked to different footprints \(1 and 2\)/);
    expect(reasonsOf(problemWith({ locked: { U0: 4 } }))).toMatch(/locked to footprint 5, but there are only 2 footprints/);
    expect(reasonsOf(problemWith({ locked: { NOPE: 0 } }))).toMatch(/Locked unit\(s\) NOPE are not among the units/);
  });
});

describe('coarsening for multilevel search', () => {
  /** Components of the fine nodes in one coarse node, through fine adjacency. */
  const connectedWithin = (problem: Problem, nodes: number[]): boolean => {
    const inside = new Set(nodes);
    const seen = new Set([nodes[0]]);
    const queue = [nodes[0]];
    while (queue.length > 0) {
      const v = queue.pop()!;
      for (let i = problem.adjStart[v]; i < problem.adjStart[v + 1]; i++) {
        const w = problem.adjList[i];
        if (inside.has(w) && !seen.has(w)) {
          seen.add(w);
          queue.push(w);
        }
      }
    }
    return seen.size === nodes.length;
  };

  it('groups every node once into connected groups, and a coarse plan scores exactly as the fine plan it stands for (property)', () => {
    fc.assert(
      fc.property(gridCase, fc.boolean(), fc.array(fc.nat(), { minLength: 64, maxLength: 64 }), (g, keepWhole, labels) => {
        const problem = gridProblem(g, { keepWhole, locked: { U0: 0 } });
        const { coarse, groupOfNode } = coarsen(problem);
        const members: number[][] = Array.from({ length: coarse.n }, () => []);
        groupOfNode.forEach((group, v) => members[group].push(v));
        expect(members.every((m) => m.length > 0 && connectedWithin(problem, m))).toBe(true);
        members.forEach((m, group) => {
          expect(coarse.population[group]).toBeCloseTo(m.reduce((sum, v) => sum + problem.population[v], 0), 9);
          expect(coarse.nodeUnits[group]).toEqual(m.flatMap((v) => problem.nodeUnits[v]).sort((a, b) => a - b));
        });
        expect(Array.from(coarse.nodeOfUnit)).toEqual(Array.from(problem.nodeOfUnit, (v) => groupOfNode[v]));
        const plan = Int32Array.from({ length: coarse.n }, (_, group) => labels[group % labels.length] % g.k);
        const fine = refineAssignment({ coarse, groupOfNode }, plan);
        expect(evaluatePlan(coarse, plan).objective).toBeCloseTo(evaluatePlan(problem, fine).objective, 12);
        expect(evaluatePlan(coarse, plan).populations).toEqual(evaluatePlan(problem, fine).populations.map((p) => expect.closeTo(p, 9)));
      }),
      { numRuns: 60 },
    );
  });

  it('merges neighbours with the same largest area in every layer and the same lock, and nothing else', () => {
    // 4 × 4 grid; wards are 2 × 2 blocks and the gp layer halves the grid, so signatures are the wards.
    const g: GridCase = { rows: 4, cols: 4, k: 2, populations: new Array(16).fill(100), seed: 1 };
    const base = {
      unitIds: Array.from({ length: 16 }, (_, u) => `U${u}`),
      population: g.populations,
      adjacency: gridAdjacency(4, 4),
      layers: [
        { crosswalk: gridLayer('wards', 4, 4, 2, 0, false), weight: 1 },
        { crosswalk: gridLayer('gp', 4, 4, 4, 0, false), weight: 1 },
      ],
      k: 2,
      min: 400,
      max: 1200,
    };
    const { coarse, groupOfNode } = coarsen(buildProblem(base));
    expect(coarse.n).toBe(4);
    expect(coarse.nodeUnits[0]).toEqual([0, 1, 4, 5]);
    // A lock on one unit keeps it apart from its ward-mates.
    const locked = coarsen(buildProblem({ ...base, locked: { U5: 1 } }));
    expect(locked.coarse.n).toBe(5);
    expect(locked.coarse.locked[locked.groupOfNode[5]]).toBe(1);
    // A group above the maximum would make the coarse problem infeasible: its nodes stay apart.
    const tight = coarsen(buildProblem({ ...base, max: 350, min: 100, k: 8 }));
    expect(tight.coarse.n).toBe(16);
    expect(Array.from(groupOfNode).filter((group) => group === 0)).toHaveLength(4);
  });

  it('optimise searches the coarse problem first unless told not to, and both give valid plans', async () => {
    const g: GridCase = { rows: 6, cols: 6, k: 3, populations: Array.from({ length: 36 }, (_, i) => 80 + ((i * 37) % 50)), seed: 5 };
    const problem = gridProblem(g);
    expect(coarsen(problem).coarse.n).toBeLessThan(problem.n);
    const multilevel = await optimise(problem, { seed: 3, restarts: 2, iterations: 4000, workers: 1, exact: false });
    const flat = await optimise(problem, { seed: 3, restarts: 2, iterations: 4000, workers: 1, exact: false, multilevel: false });
    expect(multilevel.restarts.every((r) => r.multilevel)).toBe(true);
    expect(multilevel.method).toMatch(/multilevel \(\d+ coarse nodes, refined on 36\)/);
    expect(flat.restarts.some((r) => r.multilevel)).toBe(false);
    expect(checkPlan(problem, multilevel.assignment)).toEqual([]);
    expect(checkPlan(problem, flat.assignment)).toEqual([]);
  });
});

describe('footprintWindow', () => {
  it('holds every footprint of every split into k within the bounds, and its ends are reached (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), (k, min, room, weights) => {
        const max = min + room;
        // A split into k within bounds: shares of the room above min.
        const parts = weights.slice(0, k).map((w) => min + (w % (room + 1)));
        const population = parts.reduce((s, p) => s + p, 0);
        const w = footprintWindow(population, k, min, max);
        for (const p of parts) {
          expect(p).toBeGreaterThanOrEqual(w.low);
          expect(p).toBeLessThanOrEqual(w.high);
        }
        // The low end: the others at max as far as the residents allow; the high end: the others at min.
        expect(population - (k - 1) * min).toBeGreaterThanOrEqual(w.high);
        expect(w.low === min || population - w.low === (k - 1) * max).toBe(true);
        expect(w.high === max || population - w.high === (k - 1) * min).toBe(true);
      }),
    );
  });

  it('calls Wigan tight (k 6 of 30,000–55,000: 54,323–55,000) and Oldham roomy (k 5)', () => {
    expect(footprintWindow(329_323, 6, 30_000, 55_000)).toEqual({ low: 54_323, high: 55_000 });
    expect(tightWindow(329_323, 6, 30_000, 55_000)).toBe(true);
    expect(tightWindow(242_104, 5, 30_000, 55_000)).toBe(false);
    expect(tightWindow(50_000, 1, 30_000, 55_000)).toBe(false);
  });
});
