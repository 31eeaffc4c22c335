import type { Problem } from '../../plan/problem.js';
import { evaluatePlan } from '../../plan/evaluate.js';
import { boundaryBounds, certainCut, CutScratch, pathPopulations, reachCut, ReachScratch, restCanHold, RestScratch } from './boundary.js';
import { endRace, pastDeadline, type Race } from '../race.js';

/**
 * Exact search for small instances (wards as units: 20 nodes): branch and bound over connected
 * partitions. Footprints are carved one at a time, always the one holding the lowest unassigned
 * node in a breadth-first order, as a connected set within bounds, so every partition is met once
 * (footprints unlabelled; locks label them at the end). A partial plan is pruned when
 *   - what is left cannot be cut into the footprints still owed (component populations), or
 *   - a lower bound on its objective is no better than the best plan known.
 * The bound: for an area a, the footprints already carved hold fixed N(a,f); whatever the rest
 * of the plan, its largest piece is at most max(largest carved piece, residents not yet placed),
 * so S(L|F) ≥ (N − Σ_a max(maxCarved(a), remaining(a))) / N.
 * Compactness: every edge leaving a carved footprint is cut, and so is every edge from the
 * footprint being grown to a node its branch has excluded or that would take it past the maximum
 * (that node never joins it), so
 * c·(those edges)/E is a lower bound on the compactness term, pruning while a footprint grows.
 * When a footprint is closed, a component of the unassigned nodes that must still be cut into j
 * footprints adds at least j − 1 edges more.
 * The footprints still owed are bounded through β(v) (exact/boundary.ts), the least boundary of a
 * footprint holding v: with C carved, D growing and R_1..R_j owed,
 *   cut = carvedCut + ½(|δ(D)| + Σ_i |δ(R_i)| − w(C, rest)),
 * |δ(D)| ≥ max(β over its members, the edges it must cut), and Σ_i |δ(R_i)| ≥ Σ_t #{i : β_i ≥ t}
 * ≥ Σ_t min(j, ⌈residents with β ≥ t that D cannot take in / max⌉) (a layer-cake sum). Cuts are
 * whole numbers, so the bound rounds up. With cut edges alone and no locks, free sets whose
 * search ended without a better plan are remembered with the cut they proved (dead ends).
 */
export interface ExactOptions {
  /** Objective of a known plan: only strictly better plans are searched for. */
  incumbent?: number;
  incumbentAssignment?: Int32Array;
  /** performance.now() time after which the search gives up (the result is then not proven). */
  deadline?: number;
  /** Racing a proof on another thread (race.ts): it gives up when that one ends the race, and ends it when it finishes first. */
  race?: Race;
}

export interface ExactResult {
  /** True when the search finished: the assignment is optimal. */
  proven: boolean;
  assignment: Int32Array | null;
  objective: number;
  /** Partitions evaluated to the end, and partial plans pruned, for reports and benchmarks. */
  leaves: number;
  pruned: number;
}

/** Instances with at most this many nodes (after keep-whole contraction) are tried exactly. */
export const EXACT_NODE_LIMIT = 36;

/**
 * With cut edges alone in the objective the boundary bound, the rest check and the reach cut prune
 * well enough to prove all 12 Validi–Buchanan county instances (16–105 nodes, k up to 7) within 2
 * minutes (docs/benchmarks.md), so they are worth an exact search far past EXACT_NODE_LIMIT. Kept
 * at 120, not raised: Iowa (99 nodes, k 4) already takes most of the 2 minutes, so a larger
 * instance would mostly spend its time limit here. Split terms are bounded only by what is carved,
 * which stops paying off at about 36 nodes.
 */
export const EXACT_NODE_LIMIT_CUT_EDGES = 120;

/** The largest instance (in nodes) worth the exact search, given what its objective lets it bound. */
export function exactNodeLimit(problem: Problem): number {
  const splitTerms = problem.layers.some((l) => l.weight > 0 && l.total > 0);
  const cutEdges = problem.compactnessWeight > 0 && problem.unitEdges > 0;
  return !splitTerms && cutEdges ? EXACT_NODE_LIMIT_CUT_EDGES : EXACT_NODE_LIMIT;
}

/** The share of the time left that computing β may take. */
const BETA_SHARE = 0.15;

/** Dead-end free sets remembered at most (about 100 bytes each). */
const DEAD_END_LIMIT = 2_000_000;

export function solveExact(problem: Problem, options: ExactOptions = {}): ExactResult {
  const { n, k, min, max } = problem;
  const pop = problem.population;
  // Breadth-first order from node 0 keeps carved footprints compact and pruning early.
  const order: number[] = [];
  const rank = new Int32Array(n).fill(-1);
  const edgeCost = problem.compactnessWeight > 0 && problem.unitEdges > 0 ? problem.compactnessWeight / problem.unitEdges : 0;
  // β(v) bounds the boundary of any footprint holding v (exact/boundary.ts).
  // At most a quarter of the time left: unfinished, β is still a valid (weaker) bound.
  const betaDeadline = options.deadline === undefined ? undefined : performance.now() + Math.max(0, options.deadline - performance.now()) * BETA_SHARE;
  const bounds = edgeCost > 0 ? boundaryBounds(problem, betaDeadline, options.race) : { beta: new Int32Array(n), reached: 0 };
  const { beta } = bounds;
  // The order starts at a node of least β: where footprints can have the smallest boundary (on the
  // edge of the map, in a corner). The first footprint carved holds it, so it is pressed against the
  // edge and the owed ones' bound bites early: on Arkansas 0.3 million partial first footprints
  // against 44 million from node 0 (docs/benchmarks.md).
  // A round of β cut short by the deadline tells apart only the nodes it reached: above the last
  // finished round, nodes tie.
  const settledBeta = (v: number) => Math.min(beta[v], bounds.reached);
  const starts = Array.from({ length: n }, (_, v) => v).sort((a, b) => settledBeta(a) - settledBeta(b) || a - b);
  for (const s of starts) {
    if (rank[s] >= 0) continue;
    rank[s] = order.length;
    order.push(s);
    for (let i = order.length - 1; i < order.length; i++) {
      const v = order[i];
      for (let j = problem.adjStart[v]; j < problem.adjStart[v + 1]; j++) {
        const w = problem.adjList[j];
        if (rank[w] < 0) {
          rank[w] = order.length;
          order.push(w);
        }
      }
    }
  }

  const label = new Int32Array(n).fill(-1); // carved footprint index (0.. in carving order), −1 unassigned
  const layers = problem.layers.map((layer) => {
    const areas = layer.areaIds.length;
    const remaining = new Float64Array(areas);
    for (let v = 0; v < n; v++) for (let p = layer.start[v]; p < layer.start[v + 1]; p++) remaining[layer.area[p]] += layer.pop[p];
    return { layer, remaining, largest: new Float64Array(areas), piece: new Float64Array(areas) };
  });

  let bestValue = options.incumbent ?? Infinity;
  let bestAssignment: Int32Array | null = options.incumbentAssignment ? Int32Array.from(options.incumbentAssignment) : null;
  let leaves = 0;
  let pruned = 0;
  let timedOut = false;
  let steps = 0;

  // Edge-length units cut so far by carved footprints, and the cost of one unit in the objective.
  let carvedCut = 0;
  let minEdge = Infinity;
  for (let j = 0; j < problem.adjStart[n]; j++) minEdge = Math.min(minEdge, problem.adjEdges[j]);
  if (!Number.isFinite(minEdge) || minEdge < 0) minEdge = 0;

  // Free nodes (label −1) are tallied by β so that the footprints still owed are bounded in O(max β).
  let maxBeta = 0;
  for (let v = 0; v < n; v++) maxBeta = Math.max(maxBeta, beta[v]);
  const freePop = new Float64Array(maxBeta + 1);
  const freeCount = new Int32Array(maxBeta + 1);
  // Residents, by β, of the free nodes the growing footprint could still take in (tallied per step).
  const joinPop = new Float64Array(maxBeta + 1);
  // reachCost[u·n + w]: the fewest residents on a path from u to w, w counted and u not. A node
  // joining a footprint brings a connected path from it to the footprint, so one whose cost from
  // every member exceeds the room left never joins.
  const reachCost = edgeCost > 0 ? pathPopulations(problem) : new Float64Array(0);
  const freeBits = new Uint32Array(Math.ceil(n / 32)).map((_, i) => (i < n >>> 5 ? 0xffffffff : (2 ** (n & 31) - 1) >>> 0));
  for (let v = 0; v < n; v++) {
    freePop[beta[v]] += pop[v];
    freeCount[beta[v]]++;
  }
  const assign = (v: number, f: number): void => {
    if (label[v] < 0 && f >= 0) {
      freePop[beta[v]] -= pop[v];
      freeCount[beta[v]]--;
    } else if (label[v] >= 0 && f < 0) {
      freePop[beta[v]] += pop[v];
      freeCount[beta[v]]++;
    }
    if ((label[v] < 0) !== (f < 0)) freeBits[v >>> 5] ^= 1 << (v & 31);
    label[v] = f;
  };
  /**
   * A lower bound on Σ |δ(R_i)| over the j footprints the free nodes not joining the growing one will
   * form, when at most `room` residents of them (among those tallied in joinPop) join it:
   * Σ_i β_i = Σ_{t ≥ 1} #{i : β_i ≥ t}, and the free nodes with β ≥ t, less what may join, need at
   * least ⌈population / max⌉ footprints.
   */
  const owedBoundary = (j: number, room: number): number => {
    if (j <= 0) return 0;
    let least = -1;
    for (let b = 0; b <= maxBeta; b++) {
      if (freeCount[b] > 0) {
        least = b;
        break;
      }
    }
    if (least < 0) return 0;
    let sum = 0;
    let above = 0;
    let joining = 0;
    for (let t = maxBeta; t >= 1; t--) {
      above += freePop[t];
      if (room > 0) joining += joinPop[t];
      const owedPop = above - Math.min(room, joining);
      sum += t <= least ? j : Math.min(j, Math.max(0, Math.ceil(owedPop / max - 1e-9)));
    }
    return sum;
  };
  // Edge units between carved footprints and the nodes not carved (the members of the growing one
  // included): the part of the owed footprints' boundaries already paid for in carvedCut.
  let openCut = 0;
  const scratch = new CutScratch(n);
  const restScratch = new RestScratch(n);
  const reachScratch = new ReachScratch(problem);
  /** Edge counts are integers, so a bound on the cut rounds up. */
  const whole = (cut: number): number => Math.ceil(cut - 1e-9);

  /**
   * Dead ends remembered: with cut edges the only term and no locks, what the owed footprints can
   * still cost depends only on the free nodes, not on how the carved ones were cut up. When the
   * search below a set of free nodes ends without a better plan, every way of cutting it costs at
   * least (the best plan's cut − the cut carved so far); the same free set met again, carved
   * differently, starts from that bound. Keyed by the free set and the footprints owed.
   */
  const remember = edgeCost > 0 && !problem.layers.some((l) => l.weight > 0 && l.total > 0) && !problem.locked.some((l) => l >= 0);
  const deadEnds = new Map<string, number>();
  const freeKey = (owed: number): string => {
    let key = String.fromCharCode(owed);
    for (let i = 0; i < freeBits.length; i++) key += String.fromCharCode(freeBits[i] & 0xffff, freeBits[i] >>> 16);
    return key;
  };
  /** The least whole cut whose objective is not below `value` less the pruning tolerance. */
  const cutReaching = (value: number): number => Math.ceil((value - 1e-12) / edgeCost - 1e-9);

  /** A lower bound on every completion of the carved footprints, `cut` edge units certainly cut. */
  const lowerBound = (cut: number): number => {
    let bound = edgeCost * cut;
    for (const { layer, remaining, largest } of layers) {
      if (layer.weight === 0 || layer.total <= 0) continue;
      let kept = 0;
      for (let a = 0; a < remaining.length; a++) kept += Math.max(largest[a], remaining[a]);
      bound += (layer.weight * Math.max(0, layer.total - kept)) / layer.total;
    }
    return bound;
  };

  /**
   * The number of components of the unassigned nodes when they can hold exactly `owed` footprints
   * between them, −1 when they cannot.
   */
  const restComponents = (owed: number): number => {
    const seen = new Uint8Array(n);
    let lo = 0;
    let hi = 0;
    let components = 0;
    for (const s of order) {
      if (label[s] >= 0 || seen[s]) continue;
      let p = 0;
      const stack = [s];
      seen[s] = 1;
      while (stack.length > 0) {
        const v = stack.pop()!;
        p += pop[v];
        for (let j = problem.adjStart[v]; j < problem.adjStart[v + 1]; j++) {
          const w = problem.adjList[j];
          if (label[w] < 0 && !seen[w]) {
            seen[w] = 1;
            stack.push(w);
          }
        }
      }
      const jLo = Math.ceil(p / max - 1e-9);
      const jHi = Math.floor(p / min + 1e-9);
      if (jLo > jHi || jHi === 0) return -1;
      components++;
      lo += jLo;
      hi += jHi;
    }
    return owed >= lo && owed <= hi ? components : -1;
  };

  const lockOf = (nodes: number[]): number | null => {
    let lock = -1;
    for (const v of nodes) {
      const l = problem.locked[v];
      if (l < 0) continue;
      if (lock >= 0 && lock !== l) return null;
      lock = l;
    }
    return lock;
  };

  const carvedLocks: number[] = [];

  const finish = (): void => {
    leaves++;
    // Label footprints: locked ones take their number, the others the numbers left in order.
    const mapping = new Int32Array(k).fill(-1);
    const taken = new Set<number>();
    carvedLocks.forEach((lock, f) => {
      if (lock >= 0) {
        mapping[f] = lock;
        taken.add(lock);
      }
    });
    let next = 0;
    for (let f = 0; f < k; f++) {
      if (mapping[f] >= 0) continue;
      while (taken.has(next)) next++;
      mapping[f] = next;
      taken.add(next);
    }
    const assignment = Int32Array.from(label, (f) => mapping[f]);
    const value = evaluatePlan(problem, assignment).objective;
    if (value < bestValue - 1e-12) {
      bestValue = value;
      bestAssignment = assignment;
    }
  };

  const carve = (f: number): void => {
    if (timedOut) return;
    if (f === k) {
      finish();
      return;
    }
    let v = -1;
    for (const x of order) {
      if (label[x] < 0) {
        v = x;
        break;
      }
    }
    if (v < 0) return;
    const members: number[] = [v];
    const excluded = new Uint8Array(n);
    assign(v, f);
    let membersPop = pop[v];
    const j = k - f - 1;
    const isSkipped = (w: number) => label[w] >= 0;
    const isOut = (w: number) => excluded[w] === 1;
    const isMember = (w: number) => label[w] === f;
    const isCarved = (w: number) => label[w] >= 0 && label[w] !== f;
    const isFixedOut = (w: number) => excluded[w] === 1 || isCarved(w);

    const tryMembers = (): void => {
      if ((++steps & 4095) === 0 && pastDeadline(options.deadline, options.race)) timedOut = true;
      if (timedOut) return;
      if (edgeCost > 0) {
        // Every extension of this branch keeps these members, so an edge to a node it excludes, or to
        // one too populous to join them, is cut.
        const toRest = certainCut(problem, members, members.length, max - membersPop, isSkipped, isOut, scratch);
        let toCarved = 0;
        let leaving = 0;
        let rootBeta = 0;
        for (const x of members) {
          rootBeta = Math.max(rootBeta, beta[x]);
          for (let e = problem.adjStart[x]; e < problem.adjStart[x + 1]; e++) {
            const l = label[problem.adjList[e]];
            if (l !== f) leaving += problem.adjEdges[e];
            if (l >= 0 && l !== f) toCarved += problem.adjEdges[e];
          }
        }
        // Total cut = carvedCut + ½(|δ(D)| + Σ_i |δ(R_i)| − openCut) for the growing footprint D and
        // the owed ones R_i: each edge between them is on two boundaries, each edge to a carved
        // footprint on one, already counted in carvedCut.
        const room = max - membersPop;
        const own = Math.max(rootBeta, toCarved + toRest);
        let cut = whole(carvedCut + toRest);
        // The owed footprints' bound with nothing more joining D is at least the true one: only when
        // that could prune is it worth finding which nodes D can still reach (O(members · n)).
        let joinTallied = false;
        const owed = (): number => {
          if (!joinTallied) {
            joinPop.fill(0);
            for (let x = 0; x < n; x++) {
              if (label[x] >= 0 || excluded[x] || pop[x] > room) continue;
              let near = Infinity;
              for (const y of members) near = Math.min(near, reachCost[y * n + x]);
              if (near <= room) joinPop[beta[x]] += pop[x];
            }
            joinTallied = true;
          }
          return owedBoundary(j, room);
        };
        if (lowerBound(Math.max(cut, whole(carvedCut + 0.5 * (own + owedBoundary(j, 0) - openCut)))) >= bestValue - 1e-12) {
          cut = Math.max(cut, whole(carvedCut + 0.5 * (own + owed() - openCut)));
        }
        if (lowerBound(cut) >= bestValue - 1e-12) {
          pruned++;
          return;
        }
        // D's own boundary is at least the maximum flow to the nodes it can no longer take in
        // (reachCut): dearer than the counts above, so only for branches they did not prune.
        // The flow is at most D's boundary now (δ(D) is one such cut): skipped when even that would not prune.
        if (leaving > own && lowerBound(whole(carvedCut + 0.5 * (leaving + owedBoundary(j, 0) - openCut))) >= bestValue - 1e-12) {
          // With cut edges alone the flow may stop once it prunes (a flow is a bound however far it got).
          const enough = remember ? 2 * (cutReaching(bestValue) - carvedCut) - owed() + openCut : Infinity;
          const fenced = reachCut(problem, members.length, members, isMember, isFixedOut, room, enough, reachScratch);
          if (fenced > own && lowerBound(whole(carvedCut + 0.5 * (fenced + owedBoundary(j, 0) - openCut))) >= bestValue - 1e-12) {
            cut = Math.max(cut, whole(carvedCut + 0.5 * (fenced + owed() - openCut)));
            if (lowerBound(cut) >= bestValue - 1e-12) {
              pruned++;
              return;
            }
          }
        }
      }
      // The free nodes left outside must still be able to form the footprints owed (restCanHold):
      // on the counties a pocket between the growing footprint and the map's edge often cannot.
      if (j > 0 && !restCanHold(problem, j, max - membersPop, isMember, isCarved, isOut, restScratch)) {
        pruned++;
        return;
      }
      if (membersPop >= min && membersPop <= max) {
        const lock = lockOf(members);
        const components = lock !== null && (lock < 0 || !carvedLocks.includes(lock)) ? restComponents(k - f - 1) : -1;
        if (lock !== null && components >= 0) {
          for (const entry of layers) {
            const { layer, remaining, largest, piece } = entry;
            piece.fill(0);
            for (const x of members) for (let p = layer.start[x]; p < layer.start[x + 1]; p++) piece[layer.area[p]] += layer.pop[p];
          }
          const saved = layers.map(({ remaining, largest }) => [Float64Array.from(remaining), Float64Array.from(largest)] as const);
          for (const { remaining, largest, piece } of layers) {
            for (let a = 0; a < piece.length; a++) {
              if (piece[a] === 0) continue;
              remaining[a] -= piece[a];
              if (piece[a] > largest[a]) largest[a] = piece[a];
            }
          }
          // Members are labelled f, so edges to nodes still unlabelled leave the footprint; edges to
          // earlier footprints were counted when those were carved.
          let leaving = 0;
          let toCarved = 0;
          if (edgeCost > 0) {
            for (const x of members) {
              for (let e = problem.adjStart[x]; e < problem.adjStart[x + 1]; e++) {
                const l = label[problem.adjList[e]];
                if (l < 0) leaving += problem.adjEdges[e];
                else if (l !== f) toCarved += problem.adjEdges[e];
              }
            }
          }
          carvedCut += leaving;
          const openBefore = openCut;
          openCut += leaving - toCarved;
          // A connected set cut into j connected footprints has at least j − 1 edges between them;
          // and the cut among the owed footprints is half their boundaries less what carved ones pay.
          const key = remember && j > 0 ? freeKey(j) : '';
          const known = key ? (deadEnds.get(key) ?? 0) : 0;
          const restCut = Math.max(minEdge * Math.max(0, j - components), 0.5 * (owedBoundary(j, 0) - openCut), known);
          if (lowerBound(whole(carvedCut + restCut)) < bestValue - 1e-12) {
            carvedLocks.push(lock);
            carve(f + 1);
            carvedLocks.pop();
            if (key && !timedOut && Number.isFinite(bestValue)) {
              const learnt = cutReaching(bestValue) - carvedCut;
              if (learnt > known && (deadEnds.size < DEAD_END_LIMIT || deadEnds.has(key))) deadEnds.set(key, learnt);
            }
          } else pruned++;
          carvedCut -= leaving;
          openCut = openBefore;
          layers.forEach((entry, i) => {
            entry.remaining.set(saved[i][0]);
            entry.largest.set(saved[i][1]);
          });
        }
      }
      if (membersPop >= max) return;
      // Grow by frontier nodes in order; each sibling branch excludes those tried before it,
      // so every connected set containing v is generated exactly once.
      const frontier: number[] = [];
      for (const x of members) {
        for (let j = problem.adjStart[x]; j < problem.adjStart[x + 1]; j++) {
          const w = problem.adjList[j];
          if (label[w] < 0 && !excluded[w] && !frontier.includes(w)) frontier.push(w);
        }
      }
      frontier.sort((a, b) => rank[a] - rank[b]);
      const newlyExcluded: number[] = [];
      for (const w of frontier) {
        if (membersPop + pop[w] <= max) {
          assign(w, f);
          members.push(w);
          membersPop += pop[w];
          tryMembers();
          members.pop();
          membersPop -= pop[w];
          assign(w, -1);
        }
        excluded[w] = 1;
        newlyExcluded.push(w);
        if (timedOut) break;
      }
      for (const w of newlyExcluded) excluded[w] = 0;
    };

    tryMembers();
    assign(v, -1);
  };

  carve(0);
  if (!timedOut) endRace(options.race);
  return {
    proven: !timedOut,
    assignment: bestAssignment,
    objective: bestAssignment ? evaluatePlan(problem, bestAssignment).objective : Infinity,
    leaves,
    pruned,
  };
}
