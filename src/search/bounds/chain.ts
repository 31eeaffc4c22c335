import { evaluatePlan, type Evaluation } from '../../plan/evaluate.js';
import type { Problem } from '../../plan/problem.js';
import { relaxationBound } from './label-model.js';
import { cutBound, cutBoundApplies } from './cut-edge-model.js';
import { OPTIMAL_TOLERANCE } from '../gap.js';
import { homeBound, type HomeBoundResult } from './home-relaxation.js';
import { pairBound } from './pair-model.js';
import { endRace, raceOver, type Race } from '../race.js';

/**
 * The lower-bound chain of `optimise --bound-nodes`: HiGHS relaxations run in turn, each only while
 * the plan is not yet proven (docs/algorithms.md, 'Lower bound'). Every one holds every contiguous
 * plan, so the best bound on the way stands whichever stops it: the node budget, the deadline, or a
 * race lost to the exact search (race.ts).
 */
export interface BoundChain {
  /** It ran (not when the time limit had passed before it could start). */
  attempted: boolean;
  /** The plan is proven optimal, or the last relaxation run was solved. */
  solved: boolean;
  /** The best bound proven (never above the plan), or null. */
  bound: number | null;
  /** Time spent in all the relaxations. */
  ms: number;
  /** The pair model's branch-and-bound nodes, cutting rounds on its linear relaxation, and rows they added. */
  nodes: number;
  rounds: number;
  triangles: number;
  separators: number;
  /** The home relaxation (bounds/home-relaxation.ts), which runs first: its bound, nodes, whether HiGHS solved it, and the areas it decided. */
  home: { bound: number; nodes: number; solved: boolean; areas: number; rounds: number; cuts: number; wholeNodes: number } | null;
  /** The same model with whole nodes (the problem without contiguity), when the first did not prove the plan. */
  homeWhole: { bound: number; nodes: number; solved: boolean; rounds: number; cuts: number } | null;
  /** The cut-edge model (bounds/cut-edge-model.ts), which replaces the label model where it applies (cut edges alone). */
  cutEdges: { bound: number; nodes: number; solved: boolean; rounds: number; cuts: number; roots: number } | null;
  /** The bound of the label model without contiguity (label-model.ts), when it ran (see optimise). */
  labelBound: number | null;
  labelNodes: number;
  /** Whether the pair model ran (only when the label model did not prove the plan). */
  pairAttempted: boolean;
}

export interface BoundChainOptions {
  /** Branch-and-bound nodes each relaxation may explore. */
  nodes: number;
  /** performance.now() time to stop at. */
  deadline: number | undefined;
  /** The home relaxation already run against an earlier plan, if any, and whether it proved that plan. */
  earlyHome: HomeBoundResult | null;
  earlyProof: boolean;
  race?: Race;
}

/** Up to this many nodes the pair model (n(n−1)/2 pair variables) branches even below the home bound. */
export const PAIR_BRANCH_ALWAYS = 40;

export function emptyBoundChain(): BoundChain {
  return { attempted: false, solved: false, nodes: 0, bound: null, ms: 0, rounds: 0, triangles: 0, separators: 0, home: null, homeWhole: null, cutEdges: null, labelBound: null, labelNodes: 0, pairAttempted: false };
}

/**
 * Bounds `plan`; returns the chain's figures, the plan to keep (the cut-edge model's, when it solves
 * with a better one) and whether a time limit cut the chain.
 */
export async function runBoundChain(
  problem: Problem,
  plan: { assignment: Int32Array; evaluation: Evaluation },
  o: BoundChainOptions,
): Promise<{ relaxation: BoundChain; assignment: Int32Array; evaluation: Evaluation; cut: boolean }> {
  let { assignment, evaluation } = plan;
  const relaxation = emptyBoundChain();
  let cut = false;
  if (o.deadline !== undefined && o.deadline - performance.now() <= 0 && !o.earlyProof) return { relaxation, assignment, evaluation, cut: true };
  relaxation.attempted = true;
  // Relaxations, each valid, each run only while the plan is not yet proven. The home relaxation
  // (areas' homes whole, nodes fractional) is strong wherever split terms dominate and is solved in
  // seconds to a minute at LSOA scale; with whole nodes it is the problem without contiguity, cut
  // edges counted. Where no area spans two nodes (cut edges alone) the label model takes its place.
  // The pair model adds contiguity.
  const cutEdgeModel = cutBoundApplies(problem);
  const proven = () => relaxation.bound !== null && relaxation.bound >= evaluation.objective - OPTIMAL_TOLERANCE;
  const left = () => (o.deadline === undefined ? undefined : o.deadline - performance.now());
  const timeLeft = () => {
    const l = left();
    return (l === undefined || l > 0) && !raceOver(o.race);
  };
  // Each relaxation's outcome: the best bound so far (never above the plan, which is feasible:
  // more would be solver rounding), whether the last one was solved, time, and whether it was cut.
  const record = (r: { bound: number; solved: boolean; ms: number; timeLimitHit: boolean }): number => {
    const bound = Math.min(r.bound, evaluation.objective);
    relaxation.bound = Math.max(relaxation.bound ?? 0, bound);
    relaxation.solved = r.solved;
    relaxation.ms += r.ms;
    cut = r.timeLimitHit;
    return bound;
  };
  // The early run's result stands when it was solved (its bound does not depend on the plan).
  const home = o.earlyHome && (o.earlyHome.solved || o.earlyProof) ? o.earlyHome : await homeBound(problem, { nodes: o.nodes, timeLimitMs: left(), incumbent: assignment, incumbentObjective: evaluation.objective, contiguity: true, race: o.race });
  if (home !== o.earlyHome && o.earlyHome) relaxation.ms += o.earlyHome.ms;
  // A relaxation solved with every node whole and every footprint connected gave a plan: better than the heuristic's, it replaces it.
  const adopt = (better: Int32Array | null): void => {
    if (!better) return;
    const scored = evaluatePlan(problem, better);
    if (scored.objective < evaluation.objective - 1e-12) {
      assignment = better;
      evaluation = scored;
      relaxation.bound = Math.min(relaxation.bound ?? 0, evaluation.objective);
    }
  };
  relaxation.home = { bound: record(home), nodes: home.nodes, solved: home.solved, areas: home.areas, rounds: home.rounds, cuts: home.cuts, wholeNodes: home.wholeNodes };
  adopt(home.assignment);
  if (!proven() && timeLeft() && home.areas > 0) {
    const whole = await homeBound(problem, { nodes: o.nodes, timeLimitMs: left(), incumbent: assignment, incumbentObjective: evaluation.objective, contiguity: true, wholeNodes: true, race: o.race });
    relaxation.homeWhole = { bound: record(whole), nodes: whole.nodes, solved: whole.solved, rounds: whole.rounds, cuts: whole.cuts };
    adopt(whole.assignment);
  }
  if (!proven() && timeLeft() && cutEdgeModel) {
    // Two thirds of what is left: the pair model, which follows, proves more on some instances
    // (docs/benchmarks.md, the county instances).
    const l = left();
    const edges = await cutBound(problem, { nodes: o.nodes, timeLimitMs: l === undefined ? undefined : (l * 2) / 3, incumbent: assignment, incumbentObjective: evaluation.objective, race: o.race });
    relaxation.cutEdges = { bound: record(edges), nodes: edges.nodes, solved: edges.solved, rounds: edges.rounds, cuts: edges.cuts, roots: edges.roots };
    // Solved with every footprint connected, its plan is optimal.
    if (edges.solved) adopt(edges.assignment);
  }
  if (!proven() && timeLeft() && home.areas === 0 && !cutEdgeModel) {
    const labels = await relaxationBound(problem, { nodes: o.nodes, timeLimitMs: left(), incumbent: assignment });
    relaxation.labelBound = record(labels);
    relaxation.labelNodes = labels.nodes;
  }
  if (!proven() && timeLeft()) {
    relaxation.pairAttempted = true;
    // On large instances its branch and bound starts only if the cutting rounds already pass the
    // home bounds: from below it, hundreds of nodes of Oldham's 48,000-row model did not catch up in
    // 20 minutes. Small pair models branch regardless; their trees close in seconds.
    const branchAbove = problem.n <= PAIR_BRANCH_ALWAYS ? 0 : Math.max(relaxation.home.bound, relaxation.homeWhole?.bound ?? 0);
    const result = await pairBound(problem, { nodes: o.nodes, timeLimitMs: left(), incumbent: assignment, incumbentObjective: evaluation.objective, branchAbove, race: o.race });
    record(result);
    relaxation.nodes = result.nodes;
    relaxation.rounds = result.rounds;
    relaxation.triangles = result.triangles;
    relaxation.separators = result.separators;
  }
  if (proven()) {
    relaxation.solved = true;
    endRace(o.race);
  }
  return { relaxation, assignment, evaluation, cut };
}

/** What the chain ran, in words, for the report's method line. */
export function boundChainMethod(chain: BoundChain): string {
  const boundParts: string[] = [];
  if (chain.home && chain.home.areas > 0) {
    boundParts.push(
      `the home relaxation (homes of ${chain.home.areas} areas whole, nodes fractional${chain.home.wholeNodes > 0 ? ` but ${chain.home.wholeNodes} made whole where its optimum shared them` : ''}; ${chain.home.rounds} solves adding ${chain.home.cuts} contiguity cuts, ${chain.home.nodes} branch-and-bound nodes${chain.home.solved ? ', solved' : ''})`,
    );
  }
  if (chain.homeWhole) {
    boundParts.push(`the same with whole nodes (${chain.homeWhole.rounds} solves adding ${chain.homeWhole.cuts} contiguity cuts, ${chain.homeWhole.nodes} branch-and-bound nodes${chain.homeWhole.solved ? ', solved' : ''})`);
  }
  if (chain.cutEdges) {
    const c = chain.cutEdges;
    boundParts.push(`the cut-edge labelling model (${c.roots} nodes may root a footprint; ${c.rounds} solves adding ${c.cuts} contiguity cuts, ${c.nodes} branch-and-bound nodes${c.solved ? ', solved' : ''})`);
  }
  if (chain.labelBound !== null) boundParts.push(`the problem without contiguity (${chain.labelNodes} branch-and-bound nodes)`);
  if (chain.pairAttempted) {
    boundParts.push(`the pair formulation with contiguity cuts (${chain.rounds} cutting rounds adding ${chain.triangles} transitivity rows and ${chain.separators} separator cuts, then ${chain.nodes} branch-and-bound nodes)`);
  }
  return boundParts.join(', then on ');
}
