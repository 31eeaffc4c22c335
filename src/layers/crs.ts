import proj4 from 'proj4';
import type { Geometry, Position } from 'geojson';
import type { Crs } from './types.js';

/**
 * OSGB36 / British National Grid with the OSTN-free 7-parameter Helmert shift to WGS84.
 * The Helmert shift is good to about 2–5 m across Great Britain: far inside the 20 m
 * generalisation of the boundaries this tool is fed, and inside the 1% sliver tolerance.
 */
export const BNG_PROJ4 =
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ' +
  '+towgs84=446.448,-125.157,542.060,0.1502,0.2470,0.8421,-20.4894 +units=m +no_defs';

proj4.defs('EPSG:27700', BNG_PROJ4);

const bngToWgs84 = proj4('EPSG:27700', 'EPSG:4326');

/** BNG easting/northing (metres) → WGS84 [lon, lat]. */
export function fromBng(position: Position): Position {
  const [lon, lat] = bngToWgs84.forward([position[0], position[1]]);
  return [lon, lat];
}

/** WGS84 [lon, lat] → BNG easting/northing (metres). */
export function toBng(position: Position): Position {
  const [x, y] = bngToWgs84.inverse([position[0], position[1]]);
  return [x, y];
}

/** Read the legacy GeoJSON 2008 `crs` member (ogr2ogr and QGIS still write it). */
export function crsFromMember(member: unknown): { crs: Crs | null; name: string } | null {
  if (typeof member !== 'object' || member === null) return null;
  const properties = (member as { properties?: unknown }).properties;
  const name = typeof properties === 'object' && properties !== null ? (properties as { name?: unknown }).name : undefined;
  if (typeof name !== 'string') return null;
  if (/(^|[^0-9])27700$/.test(name)) return { crs: 'EPSG:27700', name };
  if (/(^|[^0-9])4326$/.test(name) || /CRS84$/i.test(name)) return { crs: 'EPSG:4326', name };
  return { crs: null, name };
}

export interface CoordinateExtent {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  count: number;
}

export function extentOf(geometries: Iterable<Geometry | null>): CoordinateExtent {
  const extent: CoordinateExtent = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity, count: 0 };
  for (const geometry of geometries) {
    if (geometry) forEachPosition(geometry, (p) => {
      if (p[0] < extent.minX) extent.minX = p[0];
      if (p[0] > extent.maxX) extent.maxX = p[0];
      if (p[1] < extent.minY) extent.minY = p[1];
      if (p[1] > extent.maxY) extent.maxY = p[1];
      extent.count++;
    });
  }
  return extent;
}

/** Where each CRS's coordinates can lie: WGS84 degrees, and the BNG grid's 0–700 km east, 0–1,300 km north. */
const RANGES: Record<Crs, { minX: number; maxX: number; minY: number; maxY: number }> = {
  'EPSG:4326': { minX: -180, maxX: 180, minY: -90, maxY: 90 },
  // A kilometre of slack below zero: some generalised coastlines stray just past the false origin.
  'EPSG:27700': { minX: -1000, maxX: 700_000, minY: -1000, maxY: 1_300_000 },
};

export const CRS_NAMES: Record<Crs, string> = {
  'EPSG:4326': 'WGS84 longitude/latitude (EPSG:4326)',
  'EPSG:27700': 'British National Grid eastings/northings (EPSG:27700)',
};

export function inCrsRange(crs: Crs, x: number, y: number): boolean {
  const r = RANGES[crs];
  return x >= r.minX && x <= r.maxX && y >= r.minY && y <= r.maxY;
}

function extentInRange(crs: Crs, extent: CoordinateExtent): boolean {
  return inCrsRange(crs, extent.minX, extent.minY) && inCrsRange(crs, extent.maxX, extent.maxY);
}

/**
 * Guess the CRS from where the coordinates lie. Lon/lat ranges are tiny next to BNG's
 * metres, so the two cannot be confused for real data; anything else is refused rather than guessed.
 */
export function crsFromExtent(extent: CoordinateExtent): Crs | null {
  if (extent.count === 0) return 'EPSG:4326';
  if (extentInRange('EPSG:4326', extent)) return 'EPSG:4326';
  if (extentInRange('EPSG:27700', extent)) return 'EPSG:27700';
  return null;
}

/** The span of the coordinates, in the units they seem to be in: `x -2.31…-1.80, y 53.30…53.70`. */
export function describeExtent(extent: CoordinateExtent): string {
  const big = Math.max(Math.abs(extent.minX), Math.abs(extent.maxX), Math.abs(extent.minY), Math.abs(extent.maxY)) >= 1000;
  const f = (v: number) => (big ? v.toFixed(0) : String(Math.round(v * 1e4) / 1e4));
  return `x ${f(extent.minX)}…${f(extent.maxX)}, y ${f(extent.minY)}…${f(extent.maxY)}`;
}

/** What a set of coordinates looks like, for a message about a wrong CRS. */
export function looksLike(extent: CoordinateExtent): string {
  const guess = crsFromExtent(extent);
  return guess ? `which looks like ${CRS_NAMES[guess]}` : 'which is neither longitude/latitude nor British National Grid (another projected CRS?)';
}

export function forEachPosition(geometry: Geometry, visit: (position: Position) => void): void {
  switch (geometry.type) {
    case 'Point':
      visit(geometry.coordinates);
      break;
    case 'MultiPoint':
    case 'LineString':
      geometry.coordinates.forEach(visit);
      break;
    case 'MultiLineString':
    case 'Polygon':
      geometry.coordinates.forEach((line) => line.forEach(visit));
      break;
    case 'MultiPolygon':
      geometry.coordinates.forEach((polygon) => polygon.forEach((ring) => ring.forEach(visit)));
      break;
    case 'GeometryCollection':
      geometry.geometries.forEach((g) => forEachPosition(g, visit));
      break;
  }
}

/** A copy of the geometry with every position transformed. */
export function mapPositions<G extends Geometry>(geometry: G, transform: (position: Position) => Position): G {
  const ring = (positions: Position[]) => positions.map(transform);
  switch (geometry.type) {
    case 'Point':
      return { ...geometry, coordinates: transform(geometry.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { ...geometry, coordinates: ring(geometry.coordinates) };
    case 'MultiLineString':
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map(ring) };
    case 'MultiPolygon':
      return { ...geometry, coordinates: geometry.coordinates.map((p) => p.map(ring)) };
    case 'GeometryCollection':
      return { ...geometry, geometries: geometry.geometries.map((g) => mapPositions(g, transform)) };
    default:
      return geometry;
  }
}
