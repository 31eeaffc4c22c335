import type { Problem } from '../../plan/problem.js';
import { evaluatePlan } from '../../plan/evaluate.js';
import { boundaryBounds } from './boundary.js';
import { endRace, pastDeadline, type Race } from '../race.js';
import { createShare, ShareView } from './share.js';
import { ExactSearch } from './search.js';
import type { ExactOptions, ExactResult } from './types.js';

/**
 * Exact search for small instances (wards as units: 20 nodes): branch and bound over connected
 * partitions. Footprints are carved one at a time, always the one holding the lowest unassigned
 * node in a breadth-first order (order.ts), as a connected set within bounds, so every partition is met once
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
 * The search's state and its steps (carve, tryMembers and the bounds they ask) are in search.ts;
 * the free nodes' tally by β in free-tally.ts. It may be shared out over threads by subtrees, with
 * the same result however many there are (share.ts).
 */
export type { ExactOptions, ExactResult } from './types.js';
export { combineShares, createShare, type ExactShare } from './share.js';

/** Instances with at most this many nodes (after keep-whole contraction) are tried exactly. */
export const EXACT_NODE_LIMIT = 36;

/**
 * With cut edges alone in the objective the boundary bound, the rest check and the reach cut prune
 * well enough to prove all 12 Validi–Buchanan county instances (16–105 nodes, k up to 7), each in
 * well under half a minute (docs/benchmarks.md), so they are worth an exact search far past
 * EXACT_NODE_LIMIT. Kept at 120, not raised: Iowa (99 nodes, k 4) takes the longest and the search
 * grows steeply with the nodes, so a larger instance would mostly spend its time limit here. Split
 * terms are bounded only by what is carved, which stops paying off at about 36 nodes.
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

export function solveExact(problem: Problem, options: ExactOptions = {}): ExactResult {
  return prepareExact(problem, options)();
}

/**
 * The exact search set up (β computed, and with a share, its first task drawn: share.ts), to be
 * run by the function returned. solveExact runs it at once; a thread of a share may be set up
 * before another runs, which is how the tests choose which tasks each thread gets.
 */
export function prepareExact(problem: Problem, options: ExactOptions = {}): () => ExactResult {
  const { n } = problem;
  const edgeCost = problem.compactnessWeight > 0 && problem.unitEdges > 0 ? problem.compactnessWeight / problem.unitEdges : 0;
  // β(v) bounds the boundary of any footprint holding v (exact/boundary.ts).
  // At most a share of the time left: unfinished, β is still a valid (weaker) bound.
  const betaDeadline = options.deadline === undefined ? undefined : performance.now() + Math.max(0, options.deadline - performance.now()) * BETA_SHARE;
  const compute = () => (edgeCost > 0 ? boundaryBounds(problem, betaDeadline, options.race) : { beta: new Int32Array(n), reached: 0 });
  // Shared out, every thread searches with the first thread's β (share.ts).
  const share = options.share ?? createShare(1, n);
  const bounds = new ShareView(share).beta(compute, () => pastDeadline(options.deadline, options.race));
  if (!bounds) return () => ({ proven: false, assignment: options.incumbentAssignment ?? null, objective: options.incumbent ?? Infinity, task: -1, leaves: 0, pruned: 0 });
  const search = new ExactSearch(problem, { ...options, share }, edgeCost, bounds);
  return () => {
    search.chooseSplit();
    search.carve(0);
    // Shared out, the race is over only once the last thread is done (share.ts).
    if (!search.timedOut && search.finishShare()) endRace(options.race);
    const best = search.bestAssignment;
    return {
      proven: !search.timedOut,
      assignment: best,
      objective: best ? evaluatePlan(problem, best).objective : Infinity,
      task: search.bestTask,
      leaves: search.leaves,
      pruned: search.pruned,
    };
  };
}
