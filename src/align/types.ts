/**
 * The crosswalk of a unit layer against one service layer: for each unit u and area a,
 * w(u,a) = area(u ∩ a) / area(u), with pieces under the sliver tolerance dropped and the
 * unit's remaining weights renormalised to sum to 1 (see docs/metrics.md).
 *
 * Stored sparse, compressed by unit (CSR): the pieces of unit u are the indices
 * start[u] .. start[u+1]-1 of `area`, `weight` and `pieceM2`.
 */
export interface Crosswalk {
  /** Name of the service layer. */
  layer: string;
  unitIds: string[];
  areaIds: string[];
  /** Length unitIds.length + 1. */
  start: Int32Array;
  /** Index into areaIds of each piece. */
  area: Int32Array;
  /** Renormalised weight w(u,a) of each piece; a covered unit's weights sum to 1. */
  weight: Float64Array;
  /** Area of each piece in square metres (before renormalisation). */
  pieceM2: Float64Array;
  /** Area of each unit in square metres. */
  unitM2: Float64Array;
  /** Share of each unit's area covered by the layer at all (before sliver dropping). */
  coveredShare: Float64Array;
  /** Unit indices the layer does not cover at all (no piece above the sliver tolerance). */
  uncovered: number[];
  /** Number of pieces dropped as slivers. */
  sliversDropped: number;
  /** Sliver tolerance used, as a share of the unit's area. */
  sliverTolerance: number;
}
