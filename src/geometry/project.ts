import type { Position } from 'geojson';
import type { AreaGeometry } from './types.js';
import type { PlanarMultiPolygon, PlanarRing } from './planar.js';
import { closeRing } from './planar.js';

/**
 * Lambert azimuthal equal-area projection on the WGS84 ellipsoid (Snyder, "Map Projections: A
 * Working Manual", 1987, eqs. 3-11, 3-12, 24-13…24-19; the same as PROJ's `+proj=laea +ellps=WGS84`).
 *
 * Why this projection: it is equal-area on the ellipsoid itself, so the area of any polygon in the
 * plane equals its area on the ellipsoid, whatever the distance from the centre. The only error
 * left in a crosswalk weight is that an edge drawn straight between two vertices in the plane is
 * not exactly the same curve as the edge drawn straight in lon/lat: for boundaries with vertices
 * metres to tens of metres apart (ONS 20 m generalised) the difference is far below a square metre
 * per edge, many orders of magnitude under the 1% sliver tolerance. Distances (used only for the
 * 50 m boundary coincidence) are distorted by under 0.1% within 600 km of the centre, which covers
 * England from a centre in the Midlands.
 */
export interface EqualAreaProjection {
  /** Centre longitude and latitude in degrees. */
  readonly lon0: number;
  readonly lat0: number;
  /** [lon, lat] in degrees → [x, y] in metres. */
  forward(lon: number, lat: number): [number, number];
  /** [x, y] in metres → [lon, lat] in degrees. */
  inverse(x: number, y: number): [number, number];
}

const A = 6378137; // WGS84 semi-major axis, metres
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const E = Math.sqrt(E2);
const DEG = Math.PI / 180;

/** Snyder eq. 3-12: q as a function of geodetic latitude. */
function qOf(sinPhi: number): number {
  const es = E * sinPhi;
  return (1 - E2) * (sinPhi / (1 - es * es) - (1 / (2 * E)) * Math.log((1 - es) / (1 + es)));
}

const QP = qOf(1);
/** Radius of the authalic sphere (the sphere with the ellipsoid's surface area). */
export const AUTHALIC_RADIUS = A * Math.sqrt(QP / 2);

// Series for geodetic latitude from authalic latitude (Snyder eq. 3-18), a start for Newton's method.
const C2 = E2 / 3 + (31 * E2 * E2) / 180 + (517 * E2 * E2 * E2) / 5040;
const C4 = (23 * E2 * E2) / 360 + (251 * E2 * E2 * E2) / 3780;
const C6 = (761 * E2 * E2 * E2) / 45360;

export function equalAreaProjection(lon0: number, lat0: number): EqualAreaProjection {
  if (!Number.isFinite(lon0) || !Number.isFinite(lat0) || Math.abs(lat0) >= 90) {
    throw new RangeError(`projection centre must be a finite longitude and a latitude strictly between -90 and 90, got ${lon0}, ${lat0}`);
  }
  const phi1 = lat0 * DEG;
  const lambda0 = lon0 * DEG;
  const sinPhi1 = Math.sin(phi1);
  const beta1 = Math.asin(qOf(sinPhi1) / QP);
  const sinB1 = Math.sin(beta1);
  const cosB1 = Math.cos(beta1);
  const m1 = Math.cos(phi1) / Math.sqrt(1 - E2 * sinPhi1 * sinPhi1);
  const D = (A * m1) / (AUTHALIC_RADIUS * cosB1);
  const Rq = AUTHALIC_RADIUS;

  return {
    lon0,
    lat0,
    forward(lon: number, lat: number): [number, number] {
      const sinPhi = Math.sin(lat * DEG);
      const q = qOf(sinPhi);
      // Clamp: rounding can push q/qp a hair beyond ±1 at the poles.
      const sinB = Math.max(-1, Math.min(1, q / QP));
      const cosB = Math.sqrt(1 - sinB * sinB);
      const dl = lon * DEG - lambda0;
      const cosDl = Math.cos(dl);
      const B = Rq * Math.sqrt(2 / (1 + sinB1 * sinB + cosB1 * cosB * cosDl));
      return [B * D * cosB * Math.sin(dl), (B / D) * (cosB1 * sinB - sinB1 * cosB * cosDl)];
    },
    inverse(x: number, y: number): [number, number] {
      const xd = x / D;
      const yd = y * D;
      const rho = Math.hypot(xd, yd);
      if (rho === 0) return [lon0, lat0];
      const ce = 2 * Math.asin(Math.min(1, rho / (2 * Rq)));
      const sinCe = Math.sin(ce);
      const cosCe = Math.cos(ce);
      const beta = Math.asin(Math.max(-1, Math.min(1, cosCe * sinB1 + (yd * sinCe * cosB1) / rho)));
      const lambda = lambda0 + Math.atan2(xd * sinCe, rho * cosB1 * cosCe - yd * sinB1 * sinCe);
      let phi = beta + C2 * Math.sin(2 * beta) + C4 * Math.sin(4 * beta) + C6 * Math.sin(6 * beta);
      // Two Newton steps on q(φ) (Snyder eq. 3-16) take the series' ~1e-9 rad (mm) to float
      // precision, so that a round trip through the plane returns the same coordinates.
      const q = QP * Math.sin(beta);
      for (let i = 0; i < 2 && Math.abs(phi) < Math.PI / 2 - 1e-9; i++) {
        const sinPhi = Math.sin(phi);
        const es2 = 1 - E2 * sinPhi * sinPhi;
        phi += ((es2 * es2) / (2 * Math.cos(phi))) * (q / (1 - E2) - sinPhi / es2 + (1 / (2 * E)) * Math.log((1 - E * sinPhi) / (1 + E * sinPhi)));
      }
      return [lambda / DEG, phi / DEG];
    },
  };
}

/** Centre of the bounding box of some WGS84 geometries: a good LAEA centre for a region. */
export function projectionForGeometries(geometries: Iterable<AreaGeometry>): EqualAreaProjection {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const geometry of geometries) {
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    for (const polygon of polygons) {
      for (const ring of polygon) {
        for (const p of ring) {
          if (p[0] < minX) minX = p[0];
          if (p[0] > maxX) maxX = p[0];
          if (p[1] < minY) minY = p[1];
          if (p[1] > maxY) maxY = p[1];
        }
      }
    }
  }
  if (!Number.isFinite(minX)) return equalAreaProjection(0, 0);
  return equalAreaProjection((minX + maxX) / 2, Math.max(-89, Math.min(89, (minY + maxY) / 2)));
}

/**
 * A WGS84 polygon or multipolygon in the projection's plane: rings closed, consecutive repeated
 * vertices removed, rings with fewer than three distinct vertices dropped.
 */
export function projectGeometry(geometry: AreaGeometry, projection: EqualAreaProjection): PlanarMultiPolygon {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const out: PlanarMultiPolygon = [];
  for (const polygon of polygons) {
    const rings: PlanarRing[] = [];
    for (let r = 0; r < polygon.length; r++) {
      const ring = projectRing(polygon[r], projection);
      if (ring === null) {
        // A degenerate exterior takes its holes with it; a degenerate hole is just ignored.
        if (r === 0) break;
        continue;
      }
      rings.push(ring);
    }
    if (rings.length > 0) out.push(rings);
  }
  return out;
}

function projectRing(ring: Position[], projection: EqualAreaProjection): PlanarRing | null {
  const out: PlanarRing = [];
  for (const p of ring) {
    const xy = projection.forward(p[0], p[1]);
    const last = out[out.length - 1];
    if (last !== undefined && last[0] === xy[0] && last[1] === xy[1]) continue;
    out.push(xy);
  }
  return closeRing(out);
}

/** Back to WGS84 [lon, lat], for writing pieces computed in the plane. */
export function unprojectMultiPolygon(polygons: PlanarMultiPolygon, projection: EqualAreaProjection): Position[][][] {
  return polygons.map((polygon) => polygon.map((ring) => ring.map(([x, y]) => projection.inverse(x, y))));
}
