import type { Problem } from '../../plan/problem.js';
import { populationDistancesFrom } from '../paths.js';
import { pastDeadline, type Race } from '../race.js';
import { certainCut, CutScratch, FREE, MEMBER, OUT, reachCut, ReachScratch, restCanHold, RestScratch } from './cuts.js';

/**
 * β(v): a lower bound on the boundary w(δ(D)) (edge units leaving D, problem.adjEdges) of every
 * footprint D that could hold node v in a plan — connected, population within [min, max], and the
 * rest able to hold the other k − 1 footprints as far as restCanHold can tell. The exact search
 * adds these up over the footprints still to be carved.
 *
 * Computed by raising a threshold t = 0, 1, 2, …: at each t every node not yet settled is asked
 * "is there a footprint holding v with boundary ≤ t?" by enumerating the connected sets holding v
 * (each once: frontier nodes in order, siblings exclude those tried before them), pruned when the
 * edges they must cut (counted at the frontier, or as the maximum flow to the nodes out of reach:
 * reachCut) already exceed t, or the rest could not hold the other footprints. A "no" proves β(v) ≥ t + 1; a "yes" finds a footprint of
 * boundary exactly t (every node has passed t − 1), which settles β = t for all its unsettled
 * members at once. Within a round, a node that answered "no" is left out of the later nodes'
 * searches: no footprint through it has boundary ≤ t. Weights are integers (adjEdges), so the
 * thresholds step by one. Stopped by the deadline, every unsettled node keeps the last threshold it
 * is proven to reach — still a valid bound, only weaker.
 */
export interface BoundaryBounds {
  /** Lower bound on the boundary of any footprint holding each node. */
  beta: Int32Array;
  /** True when every β is exact: the least boundary of such a footprint holding the node (above the total edge weight when none does). */
  complete: boolean;
  /** Every unsettled node's β is at least this (the last threshold every node was asked about, + 1). */
  reached: number;
}

/** `maxSteps` caps the sets grown, a budget that, unlike the deadline, gives the same β every run. */
export function boundaryBounds(problem: Problem, deadline?: number, race?: Race, maxSteps = Infinity): BoundaryBounds {
  const { n, min, max } = problem;
  const pop = problem.population;
  const beta = new Int32Array(n);
  const settled = new Uint8Array(n);
  let unsettled = n;
  for (let v = 0; v < n; v++) {
    // A node too populous for any footprint is in none: any bound holds. Mark it settled at a
    // value that never prunes wrongly (the search fails such instances before it needs β).
    if (pop[v] > max) {
      settled[v] = 1;
      unsettled--;
    }
  }
  let total = 0;
  for (let j = 0; j < problem.adjStart[n]; j++) total += problem.adjEdges[j];

  const members = new Int32Array(n);
  const scratch = new CutScratch(n);
  let count = 0;
  let membersPop = 0;
  let steps = 0;
  let timedOut = false;
  let found: Int32Array | null = null;

  // MEMBER for a node of the set being grown; OUT for a node excluded (per search: a frontier node
  // tried by an earlier sibling) or barred (per round: proven to have no footprint within t); FREE
  // otherwise (cuts.ts).
  const state = new Uint8Array(n);
  const owed = problem.k - 1;
  const restScratch = new RestScratch(n);
  const reachScratch = new ReachScratch(problem);
  // flows[c]: the reach cut's flow for the set of c members on the branch being grown.
  const flows: Int32Array[] = [];

  const boundaryOf = (): number => {
    let cut = 0;
    for (let i = 0; i < count; i++) {
      const x = members[i];
      for (let j = problem.adjStart[x]; j < problem.adjStart[x + 1]; j++) if (state[problem.adjList[j]] !== MEMBER) cut += problem.adjEdges[j];
    }
    return cut;
  };

  const grow = (t: number): void => {
    if (++steps > maxSteps || ((steps & 1023) === 0 && pastDeadline(deadline, race))) timedOut = true;
    if (timedOut || found) return;
    if (certainCut(problem, members, count, max - membersPop, state, scratch) > t + 1e-9) return;
    // The nodes it can still reach within the room left fence it in: a maximum flow bounds its boundary.
    // Augmenting the flow found for the set one member smaller, on this branch (reachCut's `warm`).
    if (count > 1) reachScratch.flow.set(flows[count - 1]);
    if (reachCut(problem, count, members, state, max - membersPop, min - membersPop, t, reachScratch, count > 1) > t) return;
    (flows[count] ??= new Int32Array(reachScratch.flow.length)).set(reachScratch.flow);
    // Only footprints whose complement can still hold the other k − 1 count (restCanHold).
    if (!restCanHold(problem, owed, max - membersPop, state, restScratch)) return;
    if (membersPop >= min && boundaryOf() <= t && restCanHold(problem, owed, 0, state, restScratch)) {
      found = members.slice(0, count);
      return;
    }
    const frontier: number[] = [];
    for (let i = 0; i < count; i++) {
      const x = members[i];
      for (let j = problem.adjStart[x]; j < problem.adjStart[x + 1]; j++) {
        const w = problem.adjList[j];
        if (state[w] === FREE && membersPop + pop[w] <= max && !frontier.includes(w)) frontier.push(w);
      }
    }
    frontier.sort((a, b) => a - b);
    const tried: number[] = [];
    for (const w of frontier) {
      state[w] = MEMBER;
      members[count++] = w;
      membersPop += pop[w];
      grow(t);
      count--;
      membersPop -= pop[w];
      state[w] = OUT;
      tried.push(w);
      if (timedOut || found) break;
    }
    // A frontier node was neither barred nor excluded before.
    for (const w of tried) state[w] = FREE;
  };

  let reached = 0;
  for (let t = 0; unsettled > 0 && t <= total; t++) {
    // No node is barred yet this round.
    state.fill(FREE);
    for (let v = 0; v < n && !timedOut; v++) {
      if (settled[v]) continue;
      if (pastDeadline(deadline, race)) {
        timedOut = true;
        break;
      }
      found = null;
      state[v] = MEMBER;
      members[0] = v;
      count = 1;
      membersPop = pop[v];
      grow(t);
      state[v] = FREE;
      if (timedOut) break;
      if (found !== null) {
        for (const u of found as Int32Array) {
          if (!settled[u]) {
            settled[u] = 1;
            beta[u] = t;
            unsettled--;
          }
        }
      } else {
        // Proven: no footprint through v has boundary ≤ t.
        beta[v] = t + 1;
        state[v] = OUT;
      }
    }
    if (timedOut) break;
    reached = t + 1;
  }
  // Past the total edge weight, a node still unsettled is in no footprint at all.
  return { beta, complete: !timedOut, reached };
}

/**
 * reachCost[u·n + w]: the fewest residents on a path from u to w (w counted, u not), by Dijkstra
 * from every node (n ≤ a few hundred here, so n² numbers).
 */
export function pathPopulations(problem: Problem): Float64Array {
  const { n } = problem;
  const cost = new Float64Array(n * n);
  for (let s = 0; s < n; s++) populationDistancesFrom(problem, s, cost.subarray(s * n, s * n + n), { countSource: false });
  return cost;
}
