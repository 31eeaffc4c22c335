import type { Problem } from '../../plan/problem.js';

/**
 * The cuts a growing connected set must pay, shared by the exact search (search.ts) and β
 * (boundary.ts): what it must still cut whatever it adds (certainCut), the maximum flow to the
 * nodes it can no longer take in (reachCut), and whether the rest can still hold the footprints
 * owed (restCanHold). Each keeps its work arrays in a scratch object made once per search.
 */

/**
 * What each node is to the growing set D, in the `state` array the functions below read (one byte a
 * node, kept by the caller as the branch changes): free, a member of D, out (excluded by the
 * branch, or otherwise barred from D), or in a footprint already carved.
 */
export const FREE = 0;
export const MEMBER = 1;
export const OUT = 2;
export const CARVED = 3;

/**
 * Edge units a growing connected set must still cut whatever it adds, beyond the edges the caller
 * counts itself: edges to nodes OUT (excluded, or never available), edges to nodes too
 * populous to join, and — because at most `room` more residents can join — the cheapest way to leave
 * behind frontier nodes that cannot all join (a fractional knapsack: leave first the frontier nodes
 * holding the fewest edge units per resident). Edges to members and to carved nodes (the caller
 * counts those) are ignored.
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
  state: Uint8Array,
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
      const s = state[w];
      if (s === MEMBER || s === CARVED) continue;
      if (s === OUT || pop[w] > room) cut += problem.adjEdges[j];
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

// reachCut's own classes of node (ReachScratch.kind).
const IN_D = 1;
const SINK = 2;
const BETWEEN = 3;
const UNREACHED = 4;

/** Scratch for reachCut. */
export class ReachScratch {
  readonly dist: Float64Array;
  /** Per node, for the call under way: IN_D, SINK, BETWEEN (in reach) or UNREACHED (not yet). */
  readonly kind: Uint8Array;
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
    this.kind = new Uint8Array(n);
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
 * avoids the nodes OUT or CARVED: D' lies within the nodes whose fewest residents on a path from D
 * (D itself not counted) is at most room, so δ(D') separates D from every other node, and the
 * maximum flow from D to them bounds it (max-flow min-cut). Stops counting once it passes `enough`
 * (a finite `enough` is all the caller needs to know: the + 1 below is then sought only where it
 * would pass it).
 *
 * D' must also gain at least `need` residents (a footprint reaches the minimum). Once the flow is
 * a maximum, a cut of exactly its value is a minimum cut, and every minimum cut X holds S_min (the
 * nodes the residual graph reaches from D) and lies within S_max (the nodes that cannot reach a
 * sink in it): a minimum cut has no arc with capacity left leaving it (Picard and Queyranne, "On
 * the structure of all minimum cuts in a network and applications", Math. Programming Study 13,
 * 1980: the minimum cuts are the closed sets of the residual graph). So when pop(S_min ∖ D) > room or pop(S_max ∖ D) < need, no D' is a minimum
 * cut, and with whole edge weights its boundary is at least the flow + 1. On the counties this
 * is most of the margin the bounds were short by: Iowa's partial plans fell from 6.1 to 3.3 million.
 *
 * With `warm`, the flow already in scratch.flow is augmented rather than one from zero: the exact
 * search leaves there the flow it found for a smaller D on the same branch. That flow stays a flow
 * here. As D grows to D ⊇ D₀ (room shrinking by what joined) and its branch excludes more nodes,
 * every node within reach of D is within reach of D₀ (a path from a new member is a path from D₀
 * through the members that joined, whose residents the room lost), so the sinks only gain nodes
 * and the nodes in between only lose them: conservation still holds at every node between, and
 * its value is what leaves D. It is checked, not assumed (a node rounded across the room would
 * break it): if any node between D and the sinks has flow in ≠ flow out, the flow restarts from
 * zero. Any flow bounds every cut (weak duality), so augmenting it to a maximum gives the same
 * value as from zero, in the few augmenting paths the growth added instead of all of them.
 */
export function reachCut(
  problem: Problem,
  count: number,
  members: ArrayLike<number>,
  state: Uint8Array,
  room: number,
  need: number,
  enough: number,
  scratch: ReachScratch,
  warm = false,
): number {
  const { n, adjStart, adjList, adjEdges } = problem;
  const pop = problem.population;
  const { dist, kind, flow, reverse, parentArc, queue, mark } = scratch;
  // Each node asked once: a member, a sink (rejected, or found out of reach below), or between.
  for (let v = 0; v < n; v++) {
    const s = state[v];
    kind[v] = s === MEMBER ? IN_D : s === FREE ? UNREACHED : SINK;
    dist[v] = Infinity;
  }
  // Dijkstra over the few nodes in reach: the open ones are kept in a list (queue), not scanned for in all n.
  // The members are at distance 0: relaxed at once, so the list holds only the nodes around them,
  // and of those only the ones within the room (a node further away may still enter by a shorter path).
  let open = 0;
  for (let i = 0; i < count; i++) {
    const v = members[i];
    for (let e = adjStart[v]; e < adjStart[v + 1]; e++) {
      const w = adjList[e];
      const d = pop[w];
      if (kind[w] !== UNREACHED || d > room || d >= dist[w]) continue;
      if (dist[w] === Infinity) queue[open++] = w;
      dist[w] = d;
    }
  }
  while (open > 0) {
    let at = 0;
    for (let i = 1; i < open; i++) if (dist[queue[i]] < dist[queue[at]]) at = i;
    const v = queue[at];
    queue[at] = queue[--open];
    kind[v] = BETWEEN;
    for (let e = adjStart[v]; e < adjStart[v + 1]; e++) {
      const w = adjList[e];
      if (kind[w] !== UNREACHED) continue;
      const d = dist[v] + pop[w];
      if (d > room || d >= dist[w]) continue;
      if (dist[w] === Infinity) queue[open++] = w;
      dist[w] = d;
    }
  }
  // Sinks: every node D' cannot hold.
  for (let v = 0; v < n; v++) if (kind[v] === UNREACHED) kind[v] = SINK;
  let total = warm ? warmFlow(problem, count, members, kind, flow) : -1;
  if (total < 0) {
    flow.fill(0);
    total = 0;
  }
  let stamp = 0;
  let tail = 0;
  let maximum = false;
  while (total <= enough) {
    stamp = ++scratch.now;
    let head = 0;
    tail = 0;
    for (let i = 0; i < count; i++) {
      queue[tail++] = members[i];
      mark[members[i]] = stamp;
      parentArc[members[i]] = -1;
    }
    let reached = -1;
    while (head < tail && reached < 0) {
      const u = queue[head++];
      for (let e = adjStart[u]; e < adjStart[u + 1]; e++) {
        const w = adjList[e];
        if (mark[w] === stamp || flow[e] >= adjEdges[e]) continue;
        mark[w] = stamp;
        parentArc[w] = e;
        if (kind[w] === SINK) {
          reached = w;
          break;
        }
        queue[tail++] = w;
      }
    }
    if (reached < 0) {
      maximum = true;
      break;
    }
    let bottleneck = Infinity;
    for (let w = reached; parentArc[w] >= 0; ) {
      const e = parentArc[w];
      bottleneck = Math.min(bottleneck, adjEdges[e] - flow[e]);
      w = adjList[reverse[e]];
    }
    for (let w = reached; parentArc[w] >= 0; ) {
      const e = parentArc[w];
      flow[e] += bottleneck;
      flow[reverse[e]] -= bottleneck;
      w = adjList[reverse[e]];
    }
    total += bottleneck;
  }
  // The + 1 below is sought only where it would pass `enough` (or nothing is enough).
  if (!maximum || (total + 1 <= enough && enough !== Infinity)) return total;
  // A maximum flow: δ(D') equals it only when D' is a minimum cut, and every minimum cut lies
  // between S_min (the nodes the last search reached from D, all marked) and S_max (the nodes that
  // cannot reach a sink along arcs with capacity left). When no set between them has a population
  // D' may have, every D' cuts at least one edge unit more (the weights are whole).
  let pMin = 0;
  for (let i = 0; i < tail; i++) pMin += pop[queue[i]];
  let pD = 0;
  for (let i = 0; i < count; i++) pD += pop[members[i]];
  if (pMin - pD > room) return total + 1;
  if (need <= 0) return total;
  // The nodes that reach a sink: first those with an arc to one with capacity left, then back
  // along such arcs (only nodes that are not sinks are visited: there are few of them).
  const toSink = ++scratch.now;
  let head = 0;
  tail = 0;
  let pMax = 0;
  for (let u = 0; u < n; u++) {
    if (kind[u] === SINK) continue;
    pMax += pop[u];
    for (let e = adjStart[u]; e < adjStart[u + 1]; e++) {
      if (kind[adjList[e]] === SINK && flow[e] < adjEdges[e]) {
        mark[u] = toSink;
        queue[tail++] = u;
        pMax -= pop[u];
        break;
      }
    }
  }
  while (head < tail) {
    const w = queue[head++];
    for (let e = adjStart[w]; e < adjStart[w + 1]; e++) {
      const u = adjList[e];
      // u reaches w when the arc u → w (reverse of e) has capacity left.
      if (mark[u] === toSink || kind[u] === SINK || flow[reverse[e]] >= adjEdges[e]) continue;
      mark[u] = toSink;
      queue[tail++] = u;
      pMax -= pop[u];
    }
  }
  return pMax - pD < need ? total + 1 : total;
}

/**
 * The value of the flow in `flow` from the members to the sinks, or −1 when it is not a flow
 * between them: some node between (kind BETWEEN) has flow in ≠ flow out. The value is the net flow leaving the members (arcs between two members cancel).
 */
function warmFlow(problem: Problem, count: number, members: ArrayLike<number>, kind: Uint8Array, flow: Int32Array): number {
  const { n, adjStart } = problem;
  for (let v = 0; v < n; v++) {
    if (kind[v] !== BETWEEN) continue;
    let net = 0;
    for (let e = adjStart[v]; e < adjStart[v + 1]; e++) net += flow[e];
    if (net !== 0) return -1;
  }
  let value = 0;
  for (let i = 0; i < count; i++) for (let e = adjStart[members[i]]; e < adjStart[members[i] + 1]; e++) value += flow[e];
  return value;
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
 * Whether the nodes outside a growing set D (MEMBER) and outside footprints already carved
 * (CARVED) can still form `owed` footprints when D takes in at most `room` more residents, none
 * of them OUT. A necessary condition for every plan below the branch, so it prunes only
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
  state: Uint8Array,
  scratch: RestScratch,
): boolean {
  const { n, min, max } = problem;
  const pop = problem.population;
  const { stamp, stack } = scratch;
  const now = ++scratch.now;
  let lo = 0;
  let hi = 0;
  for (let s = 0; s < n; s++) {
    if (stamp[s] === now || state[s] === MEMBER || state[s] === CARVED) continue;
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
      const canJoin = state[v] !== OUT && pop[v] <= room;
      if (canJoin) takeable += pop[v];
      else barred = true;
      for (let e = problem.adjStart[v]; e < problem.adjStart[v + 1]; e++) {
        const w = problem.adjList[e];
        if (stamp[w] === now) continue;
        const sw = state[w];
        if (sw === MEMBER) {
          if (canJoin) reached = true;
        } else if (sw !== CARVED) {
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
