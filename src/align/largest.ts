import type { Crosswalk } from './types.js';

/**
 * The area of row i's largest piece in a CSR table of pieces (ties: the lower area index), or −1
 * if the row has none: a unit's largest area in a crosswalk, a node's in a layer term.
 */
export function largestPiece(start: Int32Array, area: Int32Array, value: Float64Array, i: number): number {
  let best = -1;
  let most = -1;
  for (let p = start[i]; p < start[i + 1]; p++) {
    if (value[p] > most || (value[p] === most && area[p] < best)) {
      most = value[p];
      best = area[p];
    }
  }
  return best;
}

/** The area holding most of a unit in a crosswalk (ties: the lower area index), or −1 if none. */
export function largestArea(cw: Crosswalk, u: number): number {
  return largestPiece(cw.start, cw.area, cw.weight, u);
}
