import Flatbush from 'flatbush';
import type { EqualAreaProjection } from '../geometry/project.js';
import { intersect, union as unionOf } from '../geometry/overlay.js';
import { unprojectMultiPolygon } from '../geometry/project.js';
import type { PlanarMultiPolygon, PlanarRing } from '../geometry/planar.js';
import { boxOf as planarBox, multiPolygonArea, ringSignedArea } from '../geometry/planar.js';
import type { Finding } from './types.js';
import { NOISE_M2 } from './types.js';
import { formatInteger } from '../format.js';

/**
 * Gaps and overlaps between neighbouring features of one layer, in an equal-area plane so areas
 * are square metres. Overlaps: every pair whose boxes meet is intersected. Gaps: holes of the
 * layer's union, which is territory enclosed by the layer but covered by none of its features.
 * At or above `tolerance` they are errors; smaller ones (down to rounding noise) are warnings.
 */
export interface TopologyInput {
  ids: string[];
  /** Planar geometry per feature, or null for features whose geometry failed its own checks. */
  shapes: Array<PlanarMultiPolygon | null>;
  projection: EqualAreaProjection;
  tolerance: number;
}

function boxOf(shape: PlanarMultiPolygon): [number, number, number, number] {
  const box = planarBox(shape);
  return [box.minX, box.minY, box.maxX, box.maxY];
}

function centreOf(shape: PlanarMultiPolygon): [number, number] {
  // The first vertex of the largest ring is on the problem, unlike a centroid of a thin sliver.
  let best: PlanarRing = shape[0][0];
  let bestArea = -1;
  for (const polygon of shape) {
    const a = Math.abs(ringSignedArea(polygon[0]));
    if (a > bestArea) {
      bestArea = a;
      best = polygon[0];
    }
  }
  let x = 0;
  let y = 0;
  for (let i = 0; i < best.length - 1; i++) {
    x += best[i][0];
    y += best[i][1];
  }
  return [x / (best.length - 1), y / (best.length - 1)];
}

function located(shape: PlanarMultiPolygon, projection: EqualAreaProjection): { location: [number, number]; geometry: Finding['geometry'] } {
  const [x, y] = centreOf(shape);
  const [lon, lat] = projection.inverse(x, y);
  const coordinates = unprojectMultiPolygon(shape, projection);
  return {
    location: [lon, lat],
    geometry: coordinates.length === 1 ? { type: 'Polygon', coordinates: coordinates[0] } : { type: 'MultiPolygon', coordinates },
  };
}

const fmt = (m2: number) => (m2 >= 10_000 ? `${(m2 / 10_000).toFixed(2)} ha` : `${formatInteger(m2)} m²`);

export function overlapFindings(input: TopologyInput): Finding[] {
  const present = input.shapes.map((s, i) => ({ s, i })).filter((e): e is { s: PlanarMultiPolygon; i: number } => e.s !== null && e.s.length > 0);
  if (present.length < 2) return [];
  const index = new Flatbush(present.length);
  const boxes = present.map((e) => boxOf(e.s));
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  index.finish();
  const findings: Finding[] = [];
  for (let k = 0; k < present.length; k++) {
    const b = boxes[k];
    for (const j of index.search(b[0], b[1], b[2], b[3]).sort((x, y) => x - y)) {
      if (j <= k) continue;
      let overlap: PlanarMultiPolygon;
      try {
        overlap = intersect(present[k].s, present[j].s);
      } catch {
        continue; // Geometry the clipper cannot handle has already been reported as invalid.
      }
      const area = multiPolygonArea(overlap);
      if (area < NOISE_M2) continue;
      const ids = [input.ids[present[k].i], input.ids[present[j].i]];
      const error = area >= input.tolerance;
      findings.push({
        kind: error ? 'overlap' : 'sliver-overlap',
        severity: error ? 'error' : 'warning',
        ids,
        areaM2: area,
        message: `${ids[0]} and ${ids[1]} overlap by ${fmt(area)}${error ? '' : ` (under the ${input.tolerance} m² tolerance)`}`,
        ...located(overlap, input.projection),
      });
    }
  }
  return findings;
}

export function gapFindings(input: TopologyInput): Finding[] {
  const present = input.shapes.map((s, i) => ({ s, i })).filter((e): e is { s: PlanarMultiPolygon; i: number } => e.s !== null && e.s.length > 0);
  if (present.length < 2) return [];
  let union: PlanarMultiPolygon;
  try {
    union = unionOf(present.map((e) => e.s));
  } catch {
    return [];
  }
  const index = new Flatbush(present.length);
  const boxes = present.map((e) => boxOf(e.s));
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  index.finish();
  const findings: Finding[] = [];
  for (const polygon of union) {
    for (const hole of polygon.slice(1)) {
      const area = Math.abs(ringSignedArea(hole));
      if (area < NOISE_M2) continue;
      const shape: PlanarMultiPolygon = [[[...hole].reverse()]];
      const [minX, minY, maxX, maxY] = boxOf(shape);
      const around = index
        .search(minX - 1, minY - 1, maxX + 1, maxY + 1)
        .filter((j) => touchesRing(present[j].s, hole))
        .map((j) => input.ids[present[j].i])
        .sort();
      const error = area >= input.tolerance;
      findings.push({
        kind: error ? 'gap' : 'sliver-gap',
        severity: error ? 'error' : 'warning',
        ids: around,
        areaM2: area,
        message: `gap of ${fmt(area)} between ${around.length > 0 ? around.join(', ') : 'features'}${error ? '' : ` (under the ${input.tolerance} m² tolerance)`}`,
        ...located(shape, input.projection),
      });
    }
  }
  return findings;
}

/** Whether a feature borders a gap: one of the gap's vertices lies on (within 1 m of) its boundary. */
function touchesRing(shape: PlanarMultiPolygon, ring: PlanarRing): boolean {
  for (const polygon of shape) {
    for (const r of polygon) {
      for (let i = 0; i < r.length - 1; i++) {
        const [ax, ay] = r[i];
        const [bx, by] = r[i + 1];
        const dx = bx - ax;
        const dy = by - ay;
        const len = dx * dx + dy * dy;
        for (const [px, py] of ring) {
          const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len));
          if (Math.hypot(px - (ax + t * dx), py - (ay + t * dy)) <= 1) return true;
        }
      }
    }
  }
  return false;
}
