/**
 * Plain geometry in a projected plane (metres), in the shapes polygon-clipping reads and writes:
 * rings are closed (first vertex repeated last), a polygon is [exterior, ...holes].
 */
export type PlanarPoint = [number, number];
export type PlanarRing = PlanarPoint[];
export type PlanarPolygon = PlanarRing[];
export type PlanarMultiPolygon = PlanarPolygon[];

/**
 * Close a ring and check it still encloses something. Returns null for rings with fewer than
 * three distinct vertices, which have no area and break clipping.
 */
export function closeRing(ring: PlanarRing): PlanarRing | null {
  if (ring.length === 0) return null;
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) ring.push([first[0], first[1]]);
  return ring.length >= 4 ? ring : null;
}

/** Signed shoelace area of a closed ring (planar or lon/lat): positive when counter-clockwise. */
export function ringSignedArea(ring: ReadonlyArray<ArrayLike<number>>): number {
  let sum = 0;
  // Offsetting by the first vertex keeps the products small, so metre-scale coordinates far
  // from the origin do not lose precision to cancellation.
  const ox = ring[0][0];
  const oy = ring[0][1];
  for (let i = 1, n = ring.length - 1; i < n; i++) {
    const x1 = ring[i][0] - ox;
    const y1 = ring[i][1] - oy;
    const x2 = ring[i + 1][0] - ox;
    const y2 = ring[i + 1][1] - oy;
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}

/** Area of a polygon with holes, whatever the orientation of its rings. */
export function polygonArea(polygon: PlanarPolygon): number {
  let area = 0;
  for (let r = 0; r < polygon.length; r++) {
    const a = Math.abs(ringSignedArea(polygon[r]));
    area += r === 0 ? a : -a;
  }
  return area;
}

export function multiPolygonArea(polygons: PlanarMultiPolygon): number {
  let area = 0;
  for (const polygon of polygons) area += polygonArea(polygon);
  return area;
}

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Bounding box of polygons given as [exterior, ...holes] rings, planar or lon/lat alike. */
export function boxOf(polygons: ReadonlyArray<ReadonlyArray<ReadonlyArray<ArrayLike<number>>>>): Box {
  const box: Box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const polygon of polygons) {
    // Holes lie inside the exterior: the exterior alone gives the box.
    const ring = polygon[0];
    if (ring === undefined) continue;
    for (const p of ring) {
      if (p[0] < box.minX) box.minX = p[0];
      if (p[0] > box.maxX) box.maxX = p[0];
      if (p[1] < box.minY) box.minY = p[1];
      if (p[1] > box.maxY) box.maxY = p[1];
    }
  }
  return box;
}

export function boxesOverlap(a: Box, b: Box): boolean {
  return a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY;
}

/** Even-odd ray casting over every ring: the point's side of a polygon with holes. */
export function pointInPolygon(x: number, y: number, polygon: PlanarPolygon): boolean {
  let inside = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 2, n = ring.length - 1; i < n; j = i++) {
      const xi = ring[i][0];
      const yi = ring[i][1];
      const xj = ring[j][0];
      const yj = ring[j][1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

export function pointInMultiPolygon(x: number, y: number, polygons: PlanarMultiPolygon): boolean {
  for (const polygon of polygons) if (pointInPolygon(x, y, polygon)) return true;
  return false;
}

/** Squared distance from point P to segment AB. */
export function pointSegmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/**
 * True when segments AB and CD cross, touch, overlap, or pass within `eps` of each other.
 * Used to decide that a unit's boundary meets an area's boundary, so that exact clipping is
 * needed; being generous here only costs time, never correctness.
 */
export function segmentsNear(
  ax: number, ay: number, bx: number, by: number,
  cx: number, cy: number, dx: number, dy: number,
  eps: number,
): boolean {
  const d1 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx);
  const d2 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx);
  const d3 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  const d4 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  const eps2 = eps * eps;
  return (
    pointSegmentDistance2(ax, ay, cx, cy, dx, dy) <= eps2 ||
    pointSegmentDistance2(bx, by, cx, cy, dx, dy) <= eps2 ||
    pointSegmentDistance2(cx, cy, ax, ay, bx, by) <= eps2 ||
    pointSegmentDistance2(dx, dy, ax, ay, bx, by) <= eps2
  );
}

/** Every edge of every ring, as a callback with the polygon part it belongs to. */
export function forEachEdge(
  polygons: PlanarMultiPolygon,
  visit: (ax: number, ay: number, bx: number, by: number, part: number) => void,
): void {
  for (let p = 0; p < polygons.length; p++) {
    for (const ring of polygons[p]) {
      for (let i = 0, n = ring.length - 1; i < n; i++) visit(ring[i][0], ring[i][1], ring[i + 1][0], ring[i + 1][1], p);
    }
  }
}

export function edgeCount(polygons: PlanarMultiPolygon): number {
  let n = 0;
  for (const polygon of polygons) for (const ring of polygon) n += ring.length - 1;
  return n;
}

/**
 * Sutherland–Hodgman clipping of a closed ring to an axis-aligned box. For a concave ring the
 * result can run back and forth along the box's edges; those zero-width spikes enclose nothing,
 * and polygon-clipping (non-zero rule, self-touching rings allowed) reads them correctly. Returns
 * null when nothing with area is left.
 */
export function clipRingToBox(ring: PlanarRing, box: Box): PlanarRing | null {
  let points: PlanarRing = ring.slice(0, ring.length - 1);
  for (let side = 0; side < 4 && points.length > 0; side++) {
    const out: PlanarRing = [];
    const inside = (p: PlanarPoint): boolean =>
      side === 0 ? p[0] >= box.minX : side === 1 ? p[0] <= box.maxX : side === 2 ? p[1] >= box.minY : p[1] <= box.maxY;
    const cross = (p: PlanarPoint, q: PlanarPoint): PlanarPoint => {
      if (side < 2) {
        const x = side === 0 ? box.minX : box.maxX;
        return [x, p[1] + ((q[1] - p[1]) * (x - p[0])) / (q[0] - p[0])];
      }
      const y = side === 2 ? box.minY : box.maxY;
      return [p[0] + ((q[0] - p[0]) * (y - p[1])) / (q[1] - p[1]), y];
    };
    for (let i = 0; i < points.length; i++) {
      const current = points[i];
      const previous = points[(i + points.length - 1) % points.length];
      const inCurrent = inside(current);
      if (inCurrent !== inside(previous)) out.push(cross(previous, current));
      if (inCurrent) out.push(current);
    }
    points = out;
  }
  if (points.length < 3) return null;
  points.push([points[0][0], points[0][1]]);
  return ringSignedArea(points) !== 0 ? points : null;
}

/** A multipolygon cut to a box; parts whose exterior leaves nothing in the box disappear. */
export function clipToBox(polygons: PlanarMultiPolygon, box: Box): PlanarMultiPolygon {
  const out: PlanarMultiPolygon = [];
  for (const polygon of polygons) {
    const exterior = clipRingToBox(polygon[0], box);
    if (exterior === null) continue;
    const rings: PlanarPolygon = [exterior];
    for (let r = 1; r < polygon.length; r++) {
      const hole = clipRingToBox(polygon[r], box);
      if (hole !== null) rings.push(hole);
    }
    out.push(rings);
  }
  return out;
}

export function boxInside(inner: Box, outer: Box): boolean {
  return inner.minX >= outer.minX && inner.maxX <= outer.maxX && inner.minY >= outer.minY && inner.maxY <= outer.maxY;
}

/** Area-weighted centroid of a multipolygon (holes subtract), or null when it has no area. */
export function centroidOf(polygons: ReadonlyArray<ReadonlyArray<ReadonlyArray<readonly [number, number]>>>): PlanarPoint | null {
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (const polygon of polygons) {
    polygon.forEach((ring, r) => {
      // Exterior rings count positive and holes negative, whatever their stored winding.
      let a = 0;
      let x = 0;
      let y = 0;
      for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
        const [ax, ay] = ring[j];
        const [bx, by] = ring[i];
        const f = ax * by - bx * ay;
        a += f;
        x += (ax + bx) * f;
        y += (ay + by) * f;
      }
      // Ring centroid (x, y) / 3a weighted by its area |a| / 2, signed by exterior or hole.
      const role = r === 0 ? 1 : -1;
      area += (role * Math.abs(a)) / 2;
      cx += (role * Math.sign(a) * x) / 6;
      cy += (role * Math.sign(a) * y) / 6;
    });
  }
  if (!(Math.abs(area) > 0)) return null;
  return [cx / area, cy / area];
}
