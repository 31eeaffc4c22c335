import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../src/plan/problem.js';
import { FREE, MEMBER, OUT, reachCut, ReachScratch } from '../../../src/search/exact/cuts.js';
import { gridProblem } from '../../helpers/grid.js';
import { maskConnected, tinyGridCase } from '../../helpers/brute.js';

/** The least boundary of a connected D' ⊇ D, at least `need` and at most `room` residents more, avoiding `out`: by brute force over node sets. */
function leastBoundary(problem: Problem, inD: boolean[], out: boolean[], room: number, need: number): number {
  const { n } = problem;
  const pop = problem.population;
  let best = Infinity;
  for (let mask = 1; mask < 1 << n; mask++) {
    let ok = true;
    let added = 0;
    for (let v = 0; v < n && ok; v++) {
      const has = (mask & (1 << v)) !== 0;
      if (inD[v] && !has) ok = false;
      if (has && out[v]) ok = false;
      if (has && !inD[v]) added += pop[v];
    }
    if (!ok || added > room || added < need) continue;
    if (!maskConnected(problem, mask)) continue;
    let boundary = 0;
    for (let v = 0; v < n; v++) {
      if (!(mask & (1 << v))) continue;
      for (let e = problem.adjStart[v]; e < problem.adjStart[v + 1]; e++) if (!(mask & (1 << problem.adjList[e]))) boundary += problem.adjEdges[e];
    }
    best = Math.min(best, boundary);
  }
  return best;
}

describe('reach cut', () => {
  it('warm-started from the flow of a smaller set on the same branch (or any other flow), gives the cold maximum flow, which bounds every footprint grown from the set (property)', () => {
    fc.assert(
      fc.property(
        tinyGridCase,
        fc.boolean(),
        fc.constantFrom(0.4, 0.2, 0.1),
        fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 12 })), { minLength: 1, maxLength: 10 }),
        (g, keepWhole, spread, moves) => {
          const base = gridProblem(g, { keepWhole });
          const mean = base.population.reduce((s, p) => s + p, 0) / base.k;
          const problem: Problem = { ...base, min: Math.floor(mean * (1 - spread)), max: Math.ceil(mean * (1 + spread)) };
          const { n } = problem;
          const pop = problem.population;
          const inD = new Array<boolean>(n).fill(false);
          const out = new Array<boolean>(n).fill(false);
          const members = [moves[0][1] % n];
          inD[members[0]] = true;
          let room = problem.max - pop[members[0]];
          const warmScratch = new ReachScratch(problem);
          let warm = false;
          const state = new Uint8Array(n);
          for (const [join, pick, enoughPick] of moves) {
            // Grow the set by a frontier node that fits, or exclude one: either way the branch narrows.
            const frontier: number[] = [];
            for (const x of members) {
              for (let e = problem.adjStart[x]; e < problem.adjStart[x + 1]; e++) {
                const w = problem.adjList[e];
                if (!inD[w] && !out[w] && !frontier.includes(w)) frontier.push(w);
              }
            }
            if (frontier.length > 0) {
              const w = frontier[pick % frontier.length];
              if (join && pop[w] <= room) {
                inD[w] = true;
                members.push(w);
                room -= pop[w];
              } else out[w] = true;
            }
            for (let v = 0; v < n; v++) state[v] = inD[v] ? MEMBER : out[v] ? OUT : FREE;
            const need = problem.min - (problem.max - room);
            const cold = reachCut(problem, members.length, members, state, room, need, Infinity, new ReachScratch(problem));
            expect(cold).toBeLessThanOrEqual(leastBoundary(problem, inD, out, room, need));
            // Stopped at `enough`, a call returns a flow past it or the bound; the next augments it.
            const enough = enoughPick === 12 ? Infinity : enoughPick;
            const value = reachCut(problem, members.length, members, state, room, need, enough, warmScratch, warm);
            warm = true;
            expect(value).toBeLessThanOrEqual(cold);
            // Short of the bound only past `enough`, or by the + 1 where it would not pass it.
            if (value < cold && value <= enough) {
              expect(value).toBe(cold - 1);
              expect(value + 1).toBeLessThanOrEqual(enough);
            }
            // Augmented to the end (on a copy, so the next step starts from the flow stopped at `enough`).
            const check = new ReachScratch(problem);
            check.flow.set(warmScratch.flow);
            expect(reachCut(problem, members.length, members, state, room, need, Infinity, check, true)).toBe(cold);
            // A flow found for another set (not on this branch) is checked and, if it is no flow here, dropped.
            const other = (members[0] + 1 + pick) % n;
            if (!inD[other]) {
              const stale = new ReachScratch(problem);
              const alone = new Uint8Array(n);
              alone[other] = MEMBER;
              reachCut(problem, 1, [other], alone, problem.max - pop[other], 0, Infinity, stale);
              expect(reachCut(problem, members.length, members, state, room, need, Infinity, stale, true)).toBe(cold);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
