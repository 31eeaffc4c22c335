import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { ringSignedArea } from '../geometry/planar.js';

/**
 * Write a file so that readers never see half of it: write a temporary file beside the
 * target (same file system, so rename is atomic) and rename it over the target.
 */
export function writeFileAtomic(path: string, contents: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, contents);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** RFC 7946 recommends 6 decimals (~0.1 m): more is false precision and bloats files. */
export const COORDINATE_DECIMALS = 6;

export function roundCoordinate(value: number, decimals = COORDINATE_DECIMALS): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  // Avoid "-0" in output, which some readers treat as a distinct value.
  return rounded === 0 ? 0 : rounded;
}

function roundRing(ring: Position[], decimals: number): Position[] {
  const out: Position[] = [];
  for (const position of ring) {
    const next: Position = [roundCoordinate(position[0], decimals), roundCoordinate(position[1], decimals)];
    const last = out[out.length - 1];
    // Rounding can collapse neighbouring vertices; repeated points are not invalid but are noise.
    if (last && last[0] === next[0] && last[1] === next[1]) continue;
    out.push(next);
  }
  if (out.length > 0) {
    const first = out[0];
    const last = out[out.length - 1];
    if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0], first[1]]);
  }
  return out;
}

function orientRing(ring: Position[], counterClockwise: boolean): Position[] {
  const ccw = ringSignedArea(ring) > 0;
  return ccw === counterClockwise ? ring : [...ring].reverse();
}

function rfc7946Polygon(rings: Position[][], decimals: number): Position[][] {
  return rings.map((ring, i) => orientRing(roundRing(ring, decimals), i === 0));
}

/**
 * A geometry as RFC 7946 wants it: coordinates rounded, exterior rings counter-clockwise,
 * holes clockwise. Other geometry types are only rounded.
 */
export function rfc7946Geometry(geometry: Geometry, decimals = COORDINATE_DECIMALS): Geometry {
  switch (geometry.type) {
    case 'Polygon':
      return { type: 'Polygon', coordinates: rfc7946Polygon(geometry.coordinates, decimals) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => rfc7946Polygon(p, decimals)) };
    case 'Point':
      return { type: 'Point', coordinates: geometry.coordinates.map((c) => roundCoordinate(c, decimals)) };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: geometry.coordinates.map((p) => p.map((c) => roundCoordinate(c, decimals))) };
    case 'LineString':
      return { type: 'LineString', coordinates: geometry.coordinates.map((p) => p.map((c) => roundCoordinate(c, decimals))) };
    case 'MultiLineString':
      return {
        type: 'MultiLineString',
        coordinates: geometry.coordinates.map((l) => l.map((p) => p.map((c) => roundCoordinate(c, decimals)))),
      };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: geometry.geometries.map((g) => rfc7946Geometry(g, decimals)) };
  }
}

/** Numbers in properties are rounded too, so output is stable across platforms' float noise. */
function cleanProperties(properties: Record<string, unknown> | null): Record<string, unknown> | null {
  if (properties === null) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    out[key] = typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(12)) : value;
  }
  return out;
}

export function rfc7946Collection(collection: FeatureCollection): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: collection.features.map(
      (feature): Feature => ({
        type: 'Feature',
        ...(feature.id !== undefined ? { id: feature.id } : {}),
        properties: cleanProperties(feature.properties),
        geometry: feature.geometry === null ? (null as unknown as Geometry) : rfc7946Geometry(feature.geometry),
      }),
    ),
  };
}

/**
 * GeoJSON text with one feature per line: diffs of committed plans stay readable and
 * files stay small, while remaining ordinary JSON.
 */
export function stringifyFeatureCollection(collection: FeatureCollection): string {
  const clean = rfc7946Collection(collection);
  if (clean.features.length === 0) return '{"type":"FeatureCollection","features":[]}\n';
  return `{"type":"FeatureCollection","features":[\n${clean.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

export function writeGeoJson(path: string, collection: FeatureCollection): void {
  writeFileAtomic(path, stringifyFeatureCollection(collection));
}

export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
