import Flatbush from 'flatbush';
import type { Geometry, Position } from 'geojson';
import { boxOf, ringSignedArea } from '../geometry/planar.js';
import { ogcInvalidity, type OgcProblem } from './ogc.js';
import type { Finding } from './types.js';

/**
 * Checks of one feature's geometry on its own: type, ring closure, vertex count, self-intersection,
 * area, and whether the parts of a multipart feature touch. Coordinates are WGS84 degrees; the
 * checks are topological, so degrees are fine, and areas are judged by the caller in metres.
 */
export interface GeometryCheckContext {
  ids: string[];
  /** Degrees of longitude per metre at the layer's latitude, to turn metre tolerances into degrees. */
  metre: number;
}

const point = (p: Position): Geometry => ({ type: 'Point', coordinates: [p[0], p[1]] });
const at = (p: Position): [number, number] => [p[0], p[1]];

export function polygonsOf(geometry: Geometry): Position[][][] | null {
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  return null;
}

function distinctCount(ring: Position[]): number {
  return new Set(ring.map((p) => `${p[0]},${p[1]}`)).size;
}

/** Ring problems that make the geometry unusable (unclosed, too few points); null when fine. */
export function ringStructureFindings(geometry: Geometry, ctx: GeometryCheckContext): Finding[] {
  const polygons = polygonsOf(geometry);
  if (!polygons) {
    return [{ kind: 'not-polygon', severity: 'error', ids: ctx.ids, message: `is a ${geometry.type}; layers must be polygons (Polygon or MultiPolygon)` }];
  }
  const findings: Finding[] = [];
  polygons.forEach((polygon, p) => {
    polygon.forEach((ring, r) => {
      const which = `${polygons.length > 1 ? `part ${p + 1} ` : ''}${r === 0 ? 'outer ring' : `hole ${r}`}`;
      if (!Array.isArray(ring) || ring.length === 0) {
        findings.push({ kind: 'too-few-points', severity: 'error', ids: ctx.ids, message: `${which} is empty` });
        return;
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (first[0] !== last[0] || first[1] !== last[1]) {
        findings.push({ kind: 'unclosed-ring', severity: 'error', ids: ctx.ids, message: `${which} is not closed: it ends at ${last[0]}, ${last[1]}, not where it starts`, location: at(last), geometry: point(last) });
      }
      if (ring.length < 4 || distinctCount(ring) < 3) {
        findings.push({ kind: 'too-few-points', severity: 'error', ids: ctx.ids, message: `${which} has ${distinctCount(ring)} distinct point(s); a ring needs at least 3`, location: at(first), geometry: point(first) });
      }
    });
  });
  return findings;
}

const OGC_MESSAGES: Record<OgcProblem, string> = {
  'self-intersection': 'rings cross or run along each other',
  'ring-self-intersection': 'a ring touches itself at a point (a pinched loop); OGC validity forbids it: make the loop a hole or a separate part',
  'hole-outside-shell': 'a hole lies outside its outer ring',
  'nested-holes': 'a hole lies inside another hole',
  'disconnected-interior': 'its holes cut the interior into separate pieces',
  'nested-shells': 'one part lies inside another part',
  'duplicate-rings': 'two of its rings are the same',
  other: 'is not a valid polygon',
};

/**
 * OGC validity of one feature (JTS IsValidOp, see ogc.ts): self-intersections are reported as
 * such, with the point where JTS found them; other invalid shapes (holes outside their shell,
 * overlapping parts) as invalid-geometry. Run after ringStructureFindings has found no problem.
 */
export function validityFindings(geometry: Geometry, ctx: GeometryCheckContext): Finding[] {
  if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') return [];
  const invalid = ogcInvalidity(geometry);
  if (!invalid) return [];
  const selfIntersection = invalid.problem === 'self-intersection' || invalid.problem === 'ring-self-intersection';
  const detail = invalid.problem === 'other' ? `${OGC_MESSAGES.other} (${invalid.message})` : `${OGC_MESSAGES[invalid.problem]} (JTS: ${invalid.message})`;
  return [
    {
      kind: selfIntersection ? 'self-intersection' : 'invalid-geometry',
      severity: 'error',
      ids: ctx.ids,
      message: detail,
      location: invalid.at,
      geometry: point(invalid.at),
    },
  ];
}

/** Rings that enclose no area. `ringAreaM2` converts a ring's area to square metres. */
export function zeroAreaFindings(geometry: Geometry, ctx: GeometryCheckContext, ringAreaM2: (ring: Position[]) => number): Finding[] {
  const polygons = polygonsOf(geometry);
  if (!polygons) return [];
  const findings: Finding[] = [];
  polygons.forEach((polygon, p) => {
    const outer = polygon[0];
    if (outer.length < 4) return;
    if (ringSignedArea(outer) === 0 || ringAreaM2(outer) < 0.01) {
      findings.push({
        kind: 'zero-area',
        severity: 'error',
        ids: ctx.ids,
        message: `${polygons.length > 1 ? `part ${p + 1}` : 'the polygon'} has no area`,
        areaM2: 0,
        location: at(outer[0]),
        geometry: point(outer[0]),
      });
    }
  });
  return findings;
}

function segmentDistance(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

function partsTouch(a: Position[][], b: Position[][], tolerance: number): boolean {
  const outerA = a[0];
  const outerB = b[0];
  for (const p of outerA) for (let i = 0; i < outerB.length - 1; i++) if (segmentDistance(p, outerB[i], outerB[i + 1]) <= tolerance) return true;
  for (const p of outerB) for (let i = 0; i < outerA.length - 1; i++) if (segmentDistance(p, outerA[i], outerA[i + 1]) <= tolerance) return true;
  return false;
}

/**
 * A multipart unit whose parts do not touch is two places under one id: a footprint holding it is
 * not contiguous on the ground, so it is reported with the detached part's location.
 */
export function multipartFindings(geometry: Geometry, ctx: GeometryCheckContext): Finding[] {
  if (geometry.type !== 'MultiPolygon' || geometry.coordinates.length < 2) return [];
  const parts = geometry.coordinates.filter((p) => p.length > 0 && p[0].length >= 4);
  const tolerance = ctx.metre; // one metre, in degrees
  const group = parts.map((_, i) => i);
  // Iterative find with path halving: a feature with many parts must not deepen the call stack.
  const find = (i: number): number => {
    while (group[i] !== i) {
      group[i] = group[group[i]];
      i = group[i];
    }
    return i;
  };
  // Only parts whose boxes come within the tolerance can touch; the index keeps many-part features linear-ish.
  const boxes = parts.map((p) => boxOf([p]));
  const index = new Flatbush(Math.max(1, parts.length));
  for (const b of boxes) index.add(b.minX - tolerance, b.minY - tolerance, b.maxX + tolerance, b.maxY + tolerance);
  if (parts.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  for (let i = 0; i < parts.length; i++) {
    const b = boxes[i];
    for (const j of index.search(b.minX - tolerance, b.minY - tolerance, b.maxX + tolerance, b.maxY + tolerance)) {
      if (j <= i || find(i) === find(j)) continue;
      if (partsTouch(parts[i], parts[j], tolerance)) group[find(j)] = find(i);
    }
  }
  const roots = new Set(parts.map((_, i) => find(i)));
  if (roots.size <= 1) return [];
  let largest = 0;
  let largestArea = -1;
  for (let i = 0; i < parts.length; i++) {
    const a = Math.abs(ringSignedArea(parts[i][0]));
    if (a > largestArea) {
      largestArea = a;
      largest = i;
    }
  }
  const detached = parts.filter((_, i) => find(i) !== find(largest));
  const where = detached[0][0][0];
  return [
    {
      kind: 'multipart-apart',
      severity: 'error',
      ids: ctx.ids,
      message: `has ${roots.size} separate pieces that do not touch (${detached.length} part(s) apart from the largest); a footprint containing it would not be contiguous`,
      location: at(where),
      geometry: { type: 'MultiPolygon', coordinates: detached },
    },
  ];
}
