import type { Problem } from '../plan/problem.js';
import { evaluatePlan } from '../plan/evaluate.js';

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
 */
export interface ExactOptions {
  /** Objective of a known plan: only strictly better plans are searched for. */
  incumbent?: number;
  incumbentAssignment?: Int32Array;
  /** performance.now() time after which the search gives up (the result is then not proven). */
  deadline?: number;
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
 * With cut edges alone in the objective the compactness bound prunes well enough to prove the
 * Validi–Buchanan county instances of 16–93 nodes in at most 30 s (docs/benchmarks.md), so they are
 * worth an exact search far past EXACT_NODE_LIMIT; split terms are bounded only by what is carved,
 * which stops paying off at about 36 nodes.
 */
export const EXACT_NODE_LIMIT_CUT_EDGES = 120;

/** The largest instance (in nodes) worth the exact search, given what its objective lets it bound. */
export function exactNodeLimit(problem: Problem): number {
  const splitTerms = problem.layers.some((l) => l.weight > 0 && l.total > 0);
  const cutEdges = problem.compactnessWeight > 0 && problem.unitEdges > 0;
  return !splitTerms && cutEdges ? EXACT_NODE_LIMIT_CUT_EDGES : EXACT_NODE_LIMIT;
}

export function solveExact(problem: Problem, options: ExactOptions = {}): ExactResult {
  const { n, k, min, max } = problem;
  const pop = problem.population;
  // Breadth-first order from node 0 keeps carved footprints compact and pruning early.
  const order: number[] = [];
  const rank = new Int32Array(n).fill(-1);
  for (let s = 0; s < n; s++) {
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
  const edgeCost = problem.compactnessWeight > 0 && problem.unitEdges > 0 ? problem.compactnessWeight / problem.unitEdges : 0;
  let minEdge = Infinity;
  for (let j = 0; j < problem.adjStart[n]; j++) minEdge = Math.min(minEdge, problem.adjEdges[j]);
  if (!Number.isFinite(minEdge) || minEdge < 0) minEdge = 0;

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
    label[v] = f;
    let membersPop = pop[v];

    const tryMembers = (): void => {
      if ((++steps & 4095) === 0 && options.deadline !== undefined && performance.now() > options.deadline) timedOut = true;
      if (timedOut) return;
      if (edgeCost > 0) {
        // Every extension of this branch keeps these members, so an edge to a node it excludes, or to
        // one too populous to join them, is cut.
        let cut = carvedCut;
        for (const x of members) {
          for (let j = problem.adjStart[x]; j < problem.adjStart[x + 1]; j++) {
            const w = problem.adjList[j];
            if (excluded[w] || (label[w] < 0 && membersPop + pop[w] > max)) cut += problem.adjEdges[j];
          }
        }
        if (lowerBound(cut) >= bestValue - 1e-12) {
          pruned++;
          return;
        }
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
          if (edgeCost > 0) {
            for (const x of members) {
              for (let j = problem.adjStart[x]; j < problem.adjStart[x + 1]; j++) if (label[problem.adjList[j]] < 0) leaving += problem.adjEdges[j];
            }
          }
          carvedCut += leaving;
          // A connected set cut into j connected footprints has at least j − 1 edges between them.
          const restCut = minEdge * Math.max(0, k - f - 1 - components);
          if (lowerBound(carvedCut + restCut) < bestValue - 1e-12) {
            carvedLocks.push(lock);
            carve(f + 1);
            carvedLocks.pop();
          } else pruned++;
          carvedCut -= leaving;
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
          label[w] = f;
          members.push(w);
          membersPop += pop[w];
          tryMembers();
          members.pop();
          membersPop -= pop[w];
          label[w] = -1;
        }
        excluded[w] = 1;
        newlyExcluded.push(w);
        if (timedOut) break;
      }
      for (const w of newlyExcluded) excluded[w] = 0;
    };

    tryMembers();
    label[v] = -1;
  };

  carve(0);
  return {
    proven: !timedOut,
    assignment: bestAssignment,
    objective: bestAssignment ? evaluatePlan(problem, bestAssignment).objective : Infinity,
    leaves,
    pruned,
  };
}
