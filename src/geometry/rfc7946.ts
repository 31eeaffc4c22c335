import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { ringSignedArea } from './planar.js';
import { outputError, writeContents, type FileContents } from '../io/output-folder.js';

/**
 * Write a file so that readers never see half of it: write a temporary file beside the
 * target (same file system, so rename is atomic) and rename it over the target.
 */
export function writeFileAtomic(path: string, contents: FileContents): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw outputError('create the folder of', path, error);
  }
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'w');
    try {
      writeContents(fd, contents);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw outputError('write', path, error);
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

/**
 * Below this (in squared degrees) a rounded ring encloses nothing: vertices on the 1e-6 grid give
 * areas that are multiples of 0.5e-12, so anything smaller is float noise around zero.
 */
const ZERO_AREA = 0.25 * 10 ** (-2 * COORDINATE_DECIMALS);

/**
 * A ring as RFC 7946 wants it, or null when rounding has collapsed it: a linear ring needs at least
 * four positions and must enclose an area (slivers of a few centimetres do collapse at 6 decimals).
 */
function cleanRing(ring: Position[], decimals: number, exterior: boolean): Position[] | null {
  const rounded = roundRing(ring, decimals);
  if (rounded.length < 4) return null;
  const zero = decimals === COORDINATE_DECIMALS ? ZERO_AREA : 0.25 * 10 ** (-2 * decimals);
  if (Math.abs(ringSignedArea(rounded)) < zero) return null;
  return orientRing(rounded, exterior);
}

/** A polygon's rings cleaned; a polygon whose exterior collapsed is dropped with its holes. */
function rfc7946Polygon(rings: Position[][], decimals: number): Position[][] | null {
  if (rings.length === 0) return null;
  const exterior = cleanRing(rings[0], decimals, true);
  if (exterior === null) return null;
  const holes = rings.slice(1).map((ring) => cleanRing(ring, decimals, false)).filter((r): r is Position[] => r !== null);
  return [exterior, ...holes];
}

function roundPosition(position: Position, decimals: number): Position {
  return position.map((c) => roundCoordinate(c, decimals));
}

/**
 * A geometry as RFC 7946 wants it: coordinates rounded, exterior rings counter-clockwise, holes
 * clockwise, rings of at least four positions, no empty rings or parts. Null when nothing is left
 * (a sliver thinner than the coordinate precision): a Feature may have a null geometry.
 */
export function rfc7946Geometry(geometry: Geometry, decimals = COORDINATE_DECIMALS): Geometry | null {
  switch (geometry.type) {
    case 'Polygon': {
      const polygon = rfc7946Polygon(geometry.coordinates, decimals);
      return polygon === null ? null : { type: 'Polygon', coordinates: polygon };
    }
    case 'MultiPolygon': {
      const polygons = geometry.coordinates.map((p) => rfc7946Polygon(p, decimals)).filter((p): p is Position[][] => p !== null);
      return polygons.length === 0 ? null : { type: 'MultiPolygon', coordinates: polygons };
    }
    case 'Point':
      return { type: 'Point', coordinates: roundPosition(geometry.coordinates, decimals) };
    case 'MultiPoint':
      return geometry.coordinates.length === 0 ? null : { type: 'MultiPoint', coordinates: geometry.coordinates.map((p) => roundPosition(p, decimals)) };
    case 'LineString':
      return { type: 'LineString', coordinates: geometry.coordinates.map((p) => roundPosition(p, decimals)) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: geometry.coordinates.map((l) => l.map((p) => roundPosition(p, decimals))) };
    case 'GeometryCollection': {
      const geometries = geometry.geometries.map((g) => rfc7946Geometry(g, decimals)).filter((g): g is Geometry => g !== null);
      return geometries.length === 0 ? null : { type: 'GeometryCollection', geometries };
    }
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

/**
 * A collection as RFC 7946 wants it (see rfc7946Geometry). When a file would mix Polygon and
 * MultiPolygon features, every Polygon becomes a one-part MultiPolygon: GIS layers (a GeoPackage
 * table, a shapefile) hold one geometry type, and QGIS would otherwise split the file in two.
 */
export function rfc7946Collection(collection: FeatureCollection): FeatureCollection {
  const clean = cleaner(collection);
  return { type: 'FeatureCollection', features: collection.features.map((_, i) => clean(i)) };
}

/** Feature i of a collection as RFC 7946 wants it, the Polygon-or-MultiPolygon choice made for the whole collection. */
function cleaner(collection: FeatureCollection): (i: number) => Feature {
  const geometries = collection.features.map((feature) => (feature.geometry === null ? null : rfc7946Geometry(feature.geometry)));
  const multi = geometries.some((g) => g?.type === 'MultiPolygon') && geometries.some((g) => g?.type === 'Polygon');
  return (i) => {
    const feature = collection.features[i];
    const g = geometries[i];
    const geometry: Geometry | null = multi && g?.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [g.coordinates] } : g;
    return {
      type: 'Feature',
      ...(feature.id !== undefined ? { id: feature.id } : {}),
      properties: cleanProperties(feature.properties),
      geometry: geometry as Geometry,
    };
  };
}

/**
 * GeoJSON text with one feature per line, in pieces (one per feature): what output folders and
 * writeGeoJson write, so that no string of a whole national file is built.
 */
export function* featureCollectionChunks(collection: FeatureCollection): Generator<string> {
  if (collection.features.length === 0) {
    yield '{"type":"FeatureCollection","features":[]}\n';
    return;
  }
  const clean = cleaner(collection);
  yield '{"type":"FeatureCollection","features":[\n';
  for (let i = 0; i < collection.features.length; i++) yield `${i > 0 ? ',\n' : ''}${JSON.stringify(clean(i))}`;
  yield '\n]}\n';
}

/**
 * GeoJSON text with one feature per line: diffs of committed plans stay readable and
 * files stay small, while remaining ordinary JSON.
 */
export function stringifyFeatureCollection(collection: FeatureCollection): string {
  return Array.from(featureCollectionChunks(collection)).join('');
}

export function writeGeoJson(path: string, collection: FeatureCollection): void {
  writeFileAtomic(path, featureCollectionChunks(collection));
}

/** JSON as footprint writes it: two-space indent, a final newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, jsonText(value));
}
