import type { Problem } from '../../plan/problem.js';
import { Random } from '../random.js';

/**
 * A large root-free set B: nodes every component of which (in the graph of B alone) holds fewer
 * than `min` residents, so that no node of B can root a footprint once B ends the node order of
 * the cut-edge model. Validi and Buchanan find the largest such set by a 60-second MIP; this is an
 * iterated local search, deterministic for its seed and iteration count: start from the given set
 * (or none), then repeatedly take a few random nodes out, fill greedily back in, and keep the
 * result unless it is smaller.
 */
export function rootFreeSet(problem: Problem, initial: Uint8Array | null, iterations = 400, seed = 1): Uint8Array {
  const { n, min } = problem;
  const pop = problem.population;
  const random = new Random(seed);
  const inB = initial ? Uint8Array.from(initial) : new Uint8Array(n);
  const comp = new Int32Array(n);
  const compPop: number[] = [];
  const label = () => {
    comp.fill(-1);
    compPop.length = 0;
    const stack: number[] = [];
    for (let s = 0; s < n; s++) {
      if (!inB[s] || comp[s] >= 0) continue;
      const c = compPop.length;
      let total = 0;
      comp[s] = c;
      stack.push(s);
      while (stack.length > 0) {
        const x = stack.pop()!;
        total += pop[x];
        for (let e = problem.adjStart[x]; e < problem.adjStart[x + 1]; e++) {
          const y = problem.adjList[e];
          if (inB[y] && comp[y] < 0) {
            comp[y] = c;
            stack.push(y);
          }
        }
      }
      compPop.push(total);
    }
  };
  // v may join B when it and the components it would merge stay below min.
  const joined = (v: number): number => {
    let total = pop[v];
    const seen: number[] = [];
    for (let e = problem.adjStart[v]; e < problem.adjStart[v + 1]; e++) {
      const c = comp[problem.adjList[e]];
      if (c >= 0 && !seen.includes(c)) {
        seen.push(c);
        total += compPop[c];
      }
    }
    return total;
  };
  // Lightest merged component first, ties broken at random: keeps room for later nodes.
  const fill = (tabu: number[] = []): void => {
    label();
    for (;;) {
      let best = -1;
      let bestCost = Infinity;
      let ties = 0;
      for (let v = 0; v < n; v++) {
        if (inB[v] || tabu.includes(v)) continue;
        const cost = joined(v);
        if (cost >= min) continue;
        if (cost < bestCost) {
          bestCost = cost;
          best = v;
          ties = 1;
        } else if (cost === bestCost && random.int(++ties) === 0) best = v;
      }
      if (best < 0) return;
      inB[best] = 1;
      label();
    }
  };
  const size = (s: Uint8Array) => s.reduce((a, b) => a + b, 0);
  // Start from a valid set: drop the heaviest node of any component at or above min.
  label();
  for (let heavy = compPop.findIndex((p) => p >= min); heavy >= 0; heavy = compPop.findIndex((p) => p >= min)) {
    let drop = -1;
    for (let v = 0; v < n; v++) if (comp[v] === heavy && (drop < 0 || pop[v] > pop[drop])) drop = v;
    inB[drop] = 0;
    label();
  }
  fill();
  let best = Uint8Array.from(inB);
  let bestSize = size(best);
  const members: number[] = [];
  for (let it = 0; it < iterations; it++) {
    members.length = 0;
    for (let v = 0; v < n; v++) if (inB[v]) members.push(v);
    if (members.length === 0) break;
    const saved = Uint8Array.from(inB);
    // Out: 1–3 nodes, the later ones near the first so that a region is rebuilt.
    const first = members[random.int(members.length)];
    inB[first] = 0;
    const removed = [first];
    const out = 1 + random.int(3);
    for (let t = 1; t < out; t++) {
      const near: number[] = [];
      for (let e = problem.adjStart[first]; e < problem.adjStart[first + 1]; e++) {
        const y = problem.adjList[e];
        if (inB[y]) near.push(y);
        for (let f = problem.adjStart[y]; f < problem.adjStart[y + 1]; f++) if (inB[problem.adjList[f]] && problem.adjList[f] !== first) near.push(problem.adjList[f]);
      }
      if (near.length > 0) {
        const y = near[random.int(near.length)];
        inB[y] = 0;
        removed.push(y);
      }
    }
    // The removed nodes sit out one fill, so that others take their place, then may come back.
    fill(removed);
    fill();
    const s = size(inB);
    if (s > bestSize) {
      best = Uint8Array.from(inB);
      bestSize = s;
    } else if (s < size(saved)) inB.set(saved);
  }
  return best;
}
