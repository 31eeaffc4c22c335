import type { Crosswalk } from '../align/types.js';

/**
 * Which units make up each footprint, and how much of each: m(u,f) ∈ [0,1]. A plan gives whole
 * units (m = 1 for the unit's footprint); the areas of a layer, read as if they were footprints,
 * give the crosswalk's shares m(u,a) = w(u,a), so a polygon area holds a fraction of a unit's
 * residents. Every per-unit figure x(u) then becomes X(f) = Σ_u m(u,f)·x(u), and when each unit's
 * shares add up to 1 the footprints' figures add up to the territory's.
 */
export interface Membership {
  /** Per set: the units in it, ascending. */
  units: Int32Array[];
  /** Per set: m(u,f) of each of those units. */
  weights: Float64Array[];
}

/** Whole units: unit u in set assignment[u] (−1: in none). */
export function assignmentMembership(assignment: ArrayLike<number>, k: number): Membership {
  const counts = new Int32Array(k);
  for (let u = 0; u < assignment.length; u++) if (assignment[u] >= 0 && assignment[u] < k) counts[assignment[u]]++;
  const units = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(k);
  for (let u = 0; u < assignment.length; u++) {
    const f = assignment[u];
    if (f >= 0 && f < k) units[f][fill[f]++] = u;
  }
  return { units, weights: units.map((list) => new Float64Array(list.length).fill(1)) };
}

/** The areas of a layer as sets: area a holds w(u,a) of unit u. */
export function crosswalkMembership(cw: Crosswalk): Membership {
  const lists = cw.areaIds.map(() => ({ units: [] as number[], weights: [] as number[] }));
  for (let u = 0; u < cw.unitIds.length; u++) {
    for (let p = cw.start[u]; p < cw.start[u + 1]; p++) {
      if (cw.weight[p] <= 0) continue;
      lists[cw.area[p]].units.push(u);
      lists[cw.area[p]].weights.push(cw.weight[p]);
    }
  }
  return { units: lists.map((l) => Int32Array.from(l.units)), weights: lists.map((l) => Float64Array.from(l.weights)) };
}

/** Every unit whole: the territory. */
export function territoryMembership(n: number): { units: Int32Array; weights: Float64Array } {
  return { units: Int32Array.from({ length: n }, (_, u) => u), weights: new Float64Array(n).fill(1) };
}

/** Σ_u m(u,f)·x(u) over one set. */
export function setSum(values: ArrayLike<number>, units: Int32Array, weights: Float64Array): number {
  let s = 0;
  for (let i = 0; i < units.length; i++) s += weights[i] * values[units[i]];
  return s;
}
