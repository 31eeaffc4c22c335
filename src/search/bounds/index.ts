/**
 * Proven lower bounds (docs/algorithms.md, "Lower bound"): relaxations of the plan problem solved by
 * HiGHS, each holding every contiguous plan. chain.ts runs them in turn; the rest are the models
 * (home-relaxation.ts, cut-edge-model.ts, label-model.ts, pair-model.ts) and their shared parts
 * (row-generation.ts, separation.ts, root-free-set.ts, highs.ts).
 */
export { runBoundChain, boundChainMethod, emptyBoundChain, PAIR_BRANCH_ALWAYS, type BoundChain, type BoundChainOptions } from './chain.js';
export { homeBound, homeAreaCount, splitOffset, type HomeBoundOptions, type HomeBoundResult } from './home-relaxation.js';
export { cutBound, cutBoundApplies, cutModel, type CutBoundOptions, type CutBoundResult } from './cut-edge-model.js';
export { relaxationBound, type BoundOptions, type BoundResult } from './label-model.js';
export { pairBound, type PairBoundOptions, type PairBoundResult } from './pair-model.js';
