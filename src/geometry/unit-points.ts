import type { PlanarMultiPolygon, PlanarPoint } from './planar.js';
import { centroidOf, pointInMultiPolygon, polygonArea } from './planar.js';
import { poleOfInaccessibility } from './pole.js';

/**
 * The point a unit is measured from when distances matter (the nearest GP practice, the nearest
 * library): its centroid when that lies inside the unit, otherwise a point surely inside it (the
 * pole of inaccessibility of its largest part), so a crescent-shaped unit is not measured from a
 * point in its neighbour.
 */
export function representativePoint(polygons: PlanarMultiPolygon): PlanarPoint {
  const centroid = centroidOf(polygons);
  if (centroid && pointInMultiPolygon(centroid[0], centroid[1], polygons)) return centroid;
  let largest = 0;
  let largestArea = -Infinity;
  polygons.forEach((polygon, i) => {
    const area = polygonArea(polygon);
    if (area > largestArea) {
      largestArea = area;
      largest = i;
    }
  });
  const rings = polygons[largest];
  // Precision in metres: a point a metre from the best one is as good for distances to sites.
  const size = ringExtent(rings[0]);
  return poleOfInaccessibility(rings, Math.max(1e-6, size / 1000)).point;
}

function ringExtent(ring: PlanarPoint[]): number {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of ring) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return Math.min(x1 - x0, y1 - y0);
}
