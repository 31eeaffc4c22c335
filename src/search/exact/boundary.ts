import type { Problem } from '../../plan/problem.js';
import { populationDistancesFrom } from '../paths.js';
import { pastDeadline, type Race } from '../race.js';

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

/**
 * Edge units a growing connected set must still cut whatever it adds, beyond the edges the caller
 * counts itself: edges to nodes `isOut` rejects (excluded, or never available), edges to nodes too
 * populous to join, and — because at most `room` more residents can join — the cheapest way to leave
 * behind frontier nodes that cannot all join (a fractional knapsack: leave first the frontier nodes
 * holding the fewest edge units per resident). Edges to nodes `isSkipped` accepts (members, or nodes
 * the caller accounts for) are ignored.
 */
export class CutScratch {
  readonly cost: Float64Array;
  readonly seen: Uint8Array;
  readonly frontier: number[] = [];
  constructor(n: number) {
    this.cost = new Float64Array(n);
    this.seen = new Uint8Array(n);
  }
}

export function certainCut(
  problem: Problem,
  members: ArrayLike<number>,
  count: number,
  room: number,
  isSkipped: (w: number) => boolean,
  isOut: (w: number) => boolean,
  scratch: CutScratch,
): number {
  const pop = problem.population;
  const { cost, seen, frontier } = scratch;
  let cut = 0;
  frontier.length = 0;
  for (let i = 0; i < count; i++) {
    const x = members[i];
    for (let j = problem.adjStart[x]; j < problem.adjStart[x + 1]; j++) {
      const w = problem.adjList[j];
      if (isSkipped(w)) continue;
      if (isOut(w) || pop[w] > room) cut += problem.adjEdges[j];
      else {
        if (!seen[w]) {
          seen[w] = 1;
          frontier.push(w);
        }
        cost[w] += problem.adjEdges[j];
      }
    }
  }
  let frontierPop = 0;
  for (const w of frontier) frontierPop += pop[w];
  if (frontierPop > room) {
    frontier.sort((a, b) => cost[a] * pop[b] - cost[b] * pop[a]);
    let excess = frontierPop - room;
    for (const w of frontier) {
      if (excess <= 0) break;
      if (pop[w] <= 0) continue;
      if (pop[w] <= excess) {
        cut += cost[w];
        excess -= pop[w];
      } else {
        cut += (cost[w] * excess) / pop[w];
        excess = 0;
      }
    }
  }
  for (const w of frontier) {
    cost[w] = 0;
    seen[w] = 0;
  }
  return cut;
}

/** Scratch for reachCut. */
export class ReachScratch {
  readonly dist: Float64Array;
  readonly done: Uint8Array;
  readonly flow: Int32Array;
  readonly reverse: Int32Array;
  readonly parentArc: Int32Array;
  readonly queue: Int32Array;
  readonly mark: Int32Array;
  now = 0;
  constructor(problem: Problem) {
    const { n } = problem;
    const arcs = problem.adjStart[n];
    this.dist = new Float64Array(n);
    this.done = new Uint8Array(n);
    this.flow = new Int32Array(arcs);
    this.reverse = new Int32Array(arcs);
    this.parentArc = new Int32Array(n);
    this.queue = new Int32Array(n);
    this.mark = new Int32Array(n);
    for (let u = 0; u < n; u++) {
      for (let e = problem.adjStart[u]; e < problem.adjStart[u + 1]; e++) {
        const w = problem.adjList[e];
        let r = problem.adjStart[w];
        while (problem.adjList[r] !== u) r++;
        this.reverse[e] = r;
      }
    }
  }
}

/**
 * A lower bound on the boundary of every connected D' ⊇ D with at most `room` more residents that
 * avoids the nodes `isOut` rejects: D' lies within the nodes whose fewest residents on a path from D
 * (D itself not counted) is at most room, so δ(D') separates D from every other node, and the
 * maximum flow from D to them bounds it (max-flow min-cut). Stops counting once it passes `enough`.
 */
export function reachCut(problem: Problem, count: number, members: ArrayLike<number>, isMember: (w: number) => boolean, isOut: (w: number) => boolean, room: number, enough: number, scratch: ReachScratch): number {
  const { n } = problem;
  const pop = problem.population;
  const { dist, done, flow, reverse, parentArc, queue, mark } = scratch;
  dist.fill(Infinity);
  done.fill(0);
  // Dijkstra over the few nodes in reach: the open ones are kept in a list (queue), not scanned for in all n.
  let open = 0;
  for (let i = 0; i < count; i++) {
    dist[members[i]] = 0;
    queue[open++] = members[i];
  }
  while (open > 0) {
    let at = 0;
    for (let i = 1; i < open; i++) if (dist[queue[i]] < dist[queue[at]]) at = i;
    const v = queue[at];
    // The nearest node left is out of reach, so are all the others.
    if (dist[v] > room) break;
    queue[at] = queue[--open];
    done[v] = 1;
    for (let e = problem.adjStart[v]; e < problem.adjStart[v + 1]; e++) {
      const w = problem.adjList[e];
      if (done[w] || isMember(w) || isOut(w)) continue;
      const d = dist[v] + pop[w];
      if (d < dist[w]) {
        if (dist[w] === Infinity) queue[open++] = w;
        dist[w] = d;
      }
    }
  }
  // Sinks: every node D' cannot hold.
  const sink = (w: number) => !isMember(w) && (isOut(w) || !(dist[w] <= room));
  flow.fill(0);
  let total = 0;
  while (total <= enough) {
    const stamp = ++scratch.now;
    let head = 0;
    let tail = 0;
    for (let i = 0; i < count; i++) {
      queue[tail++] = members[i];
      mark[members[i]] = stamp;
      parentArc[members[i]] = -1;
    }
    let reached = -1;
    while (head < tail && reached < 0) {
      const u = queue[head++];
      for (let e = problem.adjStart[u]; e < problem.adjStart[u + 1]; e++) {
        const w = problem.adjList[e];
        if (mark[w] === stamp || flow[e] >= problem.adjEdges[e]) continue;
        mark[w] = stamp;
        parentArc[w] = e;
        if (sink(w)) {
          reached = w;
          break;
        }
        queue[tail++] = w;
      }
    }
    if (reached < 0) break;
    let bottleneck = Infinity;
    for (let w = reached; parentArc[w] >= 0; ) {
      const e = parentArc[w];
      bottleneck = Math.min(bottleneck, problem.adjEdges[e] - flow[e]);
      w = problem.adjList[reverse[e]];
    }
    for (let w = reached; parentArc[w] >= 0; ) {
      const e = parentArc[w];
      flow[e] += bottleneck;
      flow[reverse[e]] -= bottleneck;
      w = problem.adjList[reverse[e]];
    }
    total += bottleneck;
  }
  return total;
}

/** Scratch arrays for restCanHold, one set per search. */
export class RestScratch {
  readonly stamp: Int32Array;
  readonly stack: Int32Array;
  now = 0;
  constructor(n: number) {
    this.stamp = new Int32Array(n);
    this.stack = new Int32Array(n);
  }
}

/**
 * Whether the nodes outside a growing set D (`isMember`) and outside footprints already carved
 * (`isCarved`) can still form `owed` footprints when D takes in at most `room` more residents, none
 * that `isOut` rejects. A necessary condition for every plan below the branch, so it prunes only
 * branches with no plan:
 *
 * such a plan adds a set A to D (pop(A) ≤ room, no rejected node), and each part of A lies in one
 * component P of the free nodes and touches D itself (the components meet only through D). The
 * rest of P forms c_P whole footprints (they are connected and avoid D), so
 * c_P·min ≤ pop(P) − pop(A ∩ P) ≤ c_P·max with Σ c_P = owed, and c_P = 0 only when A takes all of P.
 * Each P is checked with the whole room (as if no other took any), then the sum's range.
 *
 * On the tight counties this is what a pocket of free nodes left between D and the map's edge
 * fails: too many residents for D to take and too few (or too many) for whole footprints.
 */
export function restCanHold(
  problem: Problem,
  owed: number,
  room: number,
  isMember: (w: number) => boolean,
  isCarved: (w: number) => boolean,
  isOut: (w: number) => boolean,
  scratch: RestScratch,
): boolean {
  const { n, min, max } = problem;
  const pop = problem.population;
  const { stamp, stack } = scratch;
  const now = ++scratch.now;
  let lo = 0;
  let hi = 0;
  for (let s = 0; s < n; s++) {
    if (stamp[s] === now || isMember(s) || isCarved(s)) continue;
    let size = 0;
    stack[size++] = s;
    stamp[s] = now;
    let p = 0;
    let takeable = 0;
    let barred = false;
    let reached = false;
    while (size > 0) {
      const v = stack[--size];
      p += pop[v];
      const canJoin = !isOut(v) && pop[v] <= room;
      if (canJoin) takeable += pop[v];
      else barred = true;
      for (let e = problem.adjStart[v]; e < problem.adjStart[v + 1]; e++) {
        const w = problem.adjList[e];
        if (stamp[w] === now) continue;
        if (isMember(w)) {
          if (canJoin) reached = true;
        } else if (!isCarved(w)) {
          stamp[w] = now;
          stack[size++] = w;
        }
      }
    }
    const most = Math.floor(p / min + 1e-9);
    if (reached && !barred && p <= room) {
      // D may take all of it.
      hi += most;
      continue;
    }
    const least = Math.max(1, Math.ceil((p - (reached ? Math.min(room, takeable) : 0)) / max - 1e-9));
    if (least > most) return false;
    lo += least;
    hi += most;
    if (lo > owed) return false;
  }
  return owed >= lo && owed <= hi;
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

  const inSet = new Uint8Array(n);
  const excluded = new Uint8Array(n); // per search: frontier nodes tried by earlier siblings
  const barred = new Uint8Array(n); // per round: nodes proven to have no footprint within t
  const members = new Int32Array(n);
  const scratch = new CutScratch(n);
  let count = 0;
  let membersPop = 0;
  let steps = 0;
  let timedOut = false;
  let found: Int32Array | null = null;

  const isMember = (w: number) => inSet[w] === 1;
  const isOut = (w: number) => excluded[w] === 1 || barred[w] === 1;
  const isCarved = () => false;
  const owed = problem.k - 1;
  const restScratch = new RestScratch(n);
  const reachScratch = new ReachScratch(problem);

  const boundaryOf = (): number => {
    let cut = 0;
    for (let i = 0; i < count; i++) {
      const x = members[i];
      for (let j = problem.adjStart[x]; j < problem.adjStart[x + 1]; j++) if (!inSet[problem.adjList[j]]) cut += problem.adjEdges[j];
    }
    return cut;
  };

  const grow = (t: number): void => {
    if (++steps > maxSteps || ((steps & 1023) === 0 && pastDeadline(deadline, race))) timedOut = true;
    if (timedOut || found) return;
    if (certainCut(problem, members, count, max - membersPop, isMember, isOut, scratch) > t + 1e-9) return;
    // The nodes it can still reach within the room left fence it in: a maximum flow bounds its boundary.
    if (reachCut(problem, count, members, isMember, isOut, max - membersPop, t, reachScratch) > t) return;
    // Only footprints whose complement can still hold the other k − 1 count (restCanHold).
    if (!restCanHold(problem, owed, max - membersPop, isMember, isCarved, isOut, restScratch)) return;
    if (membersPop >= min && boundaryOf() <= t && restCanHold(problem, owed, 0, isMember, isCarved, isOut, restScratch)) {
      found = members.slice(0, count);
      return;
    }
    const frontier: number[] = [];
    for (let i = 0; i < count; i++) {
      const x = members[i];
      for (let j = problem.adjStart[x]; j < problem.adjStart[x + 1]; j++) {
        const w = problem.adjList[j];
        if (!inSet[w] && !isOut(w) && membersPop + pop[w] <= max && !frontier.includes(w)) frontier.push(w);
      }
    }
    frontier.sort((a, b) => a - b);
    const tried: number[] = [];
    for (const w of frontier) {
      inSet[w] = 1;
      members[count++] = w;
      membersPop += pop[w];
      grow(t);
      count--;
      membersPop -= pop[w];
      inSet[w] = 0;
      excluded[w] = 1;
      tried.push(w);
      if (timedOut || found) break;
    }
    for (const w of tried) excluded[w] = 0;
  };

  let reached = 0;
  for (let t = 0; unsettled > 0 && t <= total; t++) {
    barred.fill(0);
    for (let v = 0; v < n && !timedOut; v++) {
      if (settled[v]) continue;
      if (pastDeadline(deadline, race)) {
        timedOut = true;
        break;
      }
      found = null;
      inSet[v] = 1;
      members[0] = v;
      count = 1;
      membersPop = pop[v];
      grow(t);
      inSet[v] = 0;
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
        barred[v] = 1;
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
