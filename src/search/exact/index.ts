/**
 * The exact search (docs/algorithms.md, "Exact search"): a depth-first enumeration of contiguous
 * footprints (solve.ts), pruned by the boundary bound β of the footprints still owed (boundary.ts).
 */
export { solveExact, combineShares, createShare, type ExactShare, exactNodeLimit, EXACT_NODE_LIMIT, EXACT_NODE_LIMIT_CUT_EDGES, type ExactOptions, type ExactResult } from './solve.js';
export { boundaryBounds, type BoundaryBounds } from './boundary.js';
