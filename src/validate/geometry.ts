import Flatbush from 'flatbush';
import type { Geometry, Position } from 'geojson';
import { ringSignedArea } from '../geometry/planar.js';
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

interface Segment {
  ring: number;
  i: number;
  a: Position;
  b: Position;
}

/** Where segments ab and cd intersect, or null. Collinear overlaps return an end point inside. */
function segmentIntersection(a: Position, b: Position, c: Position, d: Position): Position | null {
  const rx = b[0] - a[0];
  const ry = b[1] - a[1];
  const sx = d[0] - c[0];
  const sy = d[1] - c[1];
  const denom = rx * sy - ry * sx;
  const qpx = c[0] - a[0];
  const qpy = c[1] - a[1];
  if (denom === 0) {
    if (qpx * ry - qpy * rx !== 0) return null; // parallel, not collinear
    const rr = rx * rx + ry * ry;
    if (rr === 0) return null;
    const t0 = (qpx * rx + qpy * ry) / rr;
    const t1 = t0 + (sx * rx + sy * ry) / rr;
    const lo = Math.max(0, Math.min(t0, t1));
    const hi = Math.min(1, Math.max(t0, t1));
    if (lo > hi) return null;
    return [a[0] + lo * rx, a[1] + lo * ry];
  }
  const t = (qpx * sy - qpy * sx) / denom;
  const u = (qpx * ry - qpy * rx) / denom;
  if (t < 0 || t > 1 || u < 0 || u > 1) return null;
  return [a[0] + t * rx, a[1] + t * ry];
}

/**
 * Self-intersections within one polygon: any two of its ring segments that meet other than at the
 * vertex joining neighbours in a ring (a bowtie, a spike folding back, a hole crossing its shell).
 * Returns the first crossing point per polygon, which is where GIS staff should look.
 */
export function selfIntersectionFindings(geometry: Geometry, ctx: GeometryCheckContext): Finding[] {
  const polygons = polygonsOf(geometry);
  if (!polygons) return [];
  const findings: Finding[] = [];
  polygons.forEach((polygon, p) => {
    const segments: Segment[] = [];
    polygon.forEach((ring, r) => {
      for (let i = 0; i < ring.length - 1; i++) {
        if (ring[i][0] === ring[i + 1][0] && ring[i][1] === ring[i + 1][1]) continue;
        segments.push({ ring: r, i, a: ring[i], b: ring[i + 1] });
      }
    });
    if (segments.length < 3) return;
    const index = new Flatbush(segments.length);
    for (const s of segments) index.add(Math.min(s.a[0], s.b[0]), Math.min(s.a[1], s.b[1]), Math.max(s.a[0], s.b[0]), Math.max(s.a[1], s.b[1]));
    index.finish();
    for (let k = 0; k < segments.length; k++) {
      const s = segments[k];
      const hits = index.search(Math.min(s.a[0], s.b[0]), Math.min(s.a[1], s.b[1]), Math.max(s.a[0], s.b[0]), Math.max(s.a[1], s.b[1]));
      for (const j of hits.sort((x, y) => x - y)) {
        if (j <= k) continue;
        const t = segments[j];
        const hit = segmentIntersection(s.a, s.b, t.a, t.b);
        if (!hit) continue;
        if (s.ring === t.ring && sharesEndpointOnly(s, t, hit, polygon[s.ring].length - 1)) continue;
        const where = `${polygons.length > 1 ? `part ${p + 1}, ` : ''}${s.ring === t.ring ? (s.ring === 0 ? 'outer ring' : `hole ${s.ring}`) : `rings ${s.ring} and ${t.ring}`}`;
        findings.push({
          kind: 'self-intersection',
          severity: 'error',
          ids: ctx.ids,
          message: `ring crosses itself (${where})`,
          location: at(hit),
          geometry: point(hit),
        });
        return;
      }
    }
  });
  return findings;
}

/** Consecutive segments of a ring meet at their shared vertex, and only there is that allowed. */
function sharesEndpointOnly(s: Segment, t: Segment, hit: Position, segmentsInRing: number): boolean {
  const consecutive = t.i === s.i + 1 || (s.i === 0 && t.i === segmentsInRing - 1);
  if (!consecutive) return false;
  const shared = t.i === s.i + 1 ? s.b : s.a;
  if (hit[0] === shared[0] && hit[1] === shared[1]) {
    // Meeting only at the joint is fine, unless the two run back along each other (a spike).
    const ax = (t.i === s.i + 1 ? s.a : s.b)[0] - shared[0];
    const ay = (t.i === s.i + 1 ? s.a : s.b)[1] - shared[1];
    const bx = (t.i === s.i + 1 ? t.b : t.a)[0] - shared[0];
    const by = (t.i === s.i + 1 ? t.b : t.a)[1] - shared[1];
    return !(ax * by - ay * bx === 0 && ax * bx + ay * by > 0);
  }
  return false;
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
  const find = (i: number): number => (group[i] === i ? i : (group[i] = find(group[i])));
  for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) if (find(i) !== find(j) && partsTouch(parts[i], parts[j], tolerance)) group[find(j)] = find(i);
  const roots = new Set(parts.map((_, i) => find(i)));
  if (roots.size <= 1) return [];
  const largest = parts.map((p, i) => ({ i, a: Math.abs(ringSignedArea(p[0])) })).sort((x, y) => y.a - x.a)[0].i;
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
