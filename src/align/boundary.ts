import type { PlanarLayer } from '../geometry/overlay.js';
import { edgeIndex } from '../geometry/overlay.js';

export const DEFAULT_BOUNDARY_DISTANCE = 50;
/** Two areas of one layer share a boundary where their edges lie within this many metres. */
export const DEFAULT_INTERNAL_TOLERANCE = 2;

export interface BoundaryCoincidence {
  /** Length of X's internal boundary in metres, counted once from each side. */
  internalM: number;
  /** Of that, the length within `distance` of Y's boundary. */
  coincidentM: number;
  /** coincidentM / internalM, or null when X has no internal boundary (a single area). */
  share: number | null;
  distance: number;
}

/**
 * Share of X's internal boundary (edges shared by two X-areas, not X's outline) that lies within
 * `distance` metres of Y's boundary (any edge of any Y-area, outline included).
 *
 * Exact for straight edges rather than sampled: the points of an edge within r of another edge
 * form one interval of the edge (the set within r of a segment is a convex capsule), so each X
 * edge is cut into "shared with another X-area" and "near Y" intervals, whose overlap is measured.
 * A shared boundary is met once from each side; both sides count, which leaves the share unchanged.
 */
export function boundaryCoincidence(
  X: PlanarLayer,
  Y: PlanarLayer,
  { distance = DEFAULT_BOUNDARY_DISTANCE, internalTolerance = DEFAULT_INTERNAL_TOLERANCE }: { distance?: number; internalTolerance?: number } = {},
): BoundaryCoincidence {
  if (!(distance >= 0) || !Number.isFinite(distance)) throw new RangeError(`boundary distance must be a finite number ≥ 0, got ${distance}`);
  const xEdges = edgeIndex(X);
  const yEdges = edgeIndex(Y);
  const xc = xEdges.coords;
  const yc = yEdges.coords;
  let internalM = 0;
  let coincidentM = 0;
  const shared: number[] = [];
  const near: number[] = [];

  for (let e = 0; e < xEdges.owner.length; e++) {
    const ax = xc[4 * e];
    const ay = xc[4 * e + 1];
    const bx = xc[4 * e + 2];
    const by = xc[4 * e + 3];
    const length = Math.hypot(bx - ax, by - ay);
    if (length === 0) continue;
    const own = xEdges.owner[e];
    shared.length = 0;
    const r = internalTolerance;
    xEdges.index.search(Math.min(ax, bx) - r, Math.min(ay, by) - r, Math.max(ax, bx) + r, Math.max(ay, by) + r, (i) => {
      if (xEdges.owner[i] === own) return false;
      const k = 4 * i;
      // A shared boundary runs along both areas' edges; an edge that merely ends on this one (a
      // junction) crosses it, so only near-parallel edges (within about 25°) can share it.
      const ex = xc[k + 2] - xc[k];
      const ey = xc[k + 3] - xc[k + 1];
      const el = Math.hypot(ex, ey);
      if (el === 0 || Math.abs((bx - ax) * ex + (by - ay) * ey) < 0.9 * length * el) return false;
      // Beside the other edge only, not round its ends: two edges meeting end to end at a junction
      // of three areas would otherwise count a tolerance's length of each as shared.
      capsuleInterval(ax, ay, bx, by, xc[k], xc[k + 1], xc[k + 2], xc[k + 3], r, shared, false);
      return false;
    });
    if (shared.length === 0) continue;
    const sharedUnion = unionIntervals(shared);
    internalM += length * totalLength(sharedUnion);

    near.length = 0;
    const d = distance;
    yEdges.index.search(Math.min(ax, bx) - d, Math.min(ay, by) - d, Math.max(ax, bx) + d, Math.max(ay, by) + d, (i) => {
      const k = 4 * i;
      capsuleInterval(ax, ay, bx, by, yc[k], yc[k + 1], yc[k + 2], yc[k + 3], d, near);
      return false;
    });
    if (near.length === 0) continue;
    coincidentM += length * overlapLength(sharedUnion, unionIntervals(near));
  }
  return { internalM, coincidentM, share: internalM > 0 ? Math.min(1, coincidentM / internalM) : null, distance };
}

/**
 * The parameters t in [0,1] for which A + t(B − A) lies within r of segment CD, pushed onto `out`
 * as a (lo, hi) pair when not empty. The capsule around CD is two discs and a rectangle; the
 * line meets each in an interval and, the capsule being convex, their hull is the answer.
 * Without `withEnds`, only the rectangle beside CD counts.
 */
export function capsuleInterval(
  ax: number, ay: number, bx: number, by: number,
  cx: number, cy: number, dx: number, dy: number,
  r: number, out: number[],
  withEnds = true,
): void {
  const vx = bx - ax;
  const vy = by - ay;
  const vv = vx * vx + vy * vy;
  let lo = Infinity;
  let hi = -Infinity;
  for (const [px, py] of withEnds ? [[cx, cy], [dx, dy]] : []) {
    // |A + tV − P|² = r²
    const wx = ax - px;
    const wy = ay - py;
    const b = 2 * (vx * wx + vy * wy);
    const c = wx * wx + wy * wy - r * r;
    const disc = b * b - 4 * vv * c;
    if (disc < 0) continue;
    const s = Math.sqrt(disc);
    const t1 = (-b - s) / (2 * vv);
    const t2 = (-b + s) / (2 * vv);
    if (t1 < lo) lo = t1;
    if (t2 > hi) hi = t2;
  }
  const L = Math.hypot(dx - cx, dy - cy);
  if (L > 0) {
    const ux = (dx - cx) / L;
    const uy = (dy - cy) / L;
    // Coordinates along (s) and across (q) CD, both linear in t: slab clipping.
    let t0 = -Infinity;
    let t1 = Infinity;
    const slabs: Array<[number, number, number, number]> = [
      [(ax - cx) * ux + (ay - cy) * uy, vx * ux + vy * uy, 0, L],
      [-(ax - cx) * uy + (ay - cy) * ux, -vx * uy + vy * ux, -r, r],
    ];
    for (const [p0, dp, min, max] of slabs) {
      if (dp === 0) {
        if (p0 < min || p0 > max) {
          t0 = Infinity;
          break;
        }
        continue;
      }
      let a = (min - p0) / dp;
      let b = (max - p0) / dp;
      if (a > b) [a, b] = [b, a];
      if (a > t0) t0 = a;
      if (b < t1) t1 = b;
    }
    if (t0 <= t1) {
      if (t0 < lo) lo = t0;
      if (t1 > hi) hi = t1;
    }
  }
  if (lo < 0) lo = 0;
  if (hi > 1) hi = 1;
  if (lo < hi) out.push(lo, hi);
}

/** Merge (lo, hi) pairs into sorted disjoint intervals. */
function unionIntervals(pairs: number[]): number[] {
  const idx: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) idx.push(i);
  idx.sort((a, b) => pairs[a] - pairs[b]);
  const out: number[] = [];
  for (const i of idx) {
    const lo = pairs[i];
    const hi = pairs[i + 1];
    if (out.length > 0 && lo <= out[out.length - 1]) {
      if (hi > out[out.length - 1]) out[out.length - 1] = hi;
    } else out.push(lo, hi);
  }
  return out;
}

function totalLength(intervals: number[]): number {
  let sum = 0;
  for (let i = 0; i < intervals.length; i += 2) sum += intervals[i + 1] - intervals[i];
  return sum;
}

function overlapLength(a: number[], b: number[]): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i], b[j]);
    const hi = Math.min(a[i + 1], b[j + 1]);
    if (hi > lo) sum += hi - lo;
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return sum;
}
