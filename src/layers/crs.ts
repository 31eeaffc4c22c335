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

/**
 * Guess the CRS from where the coordinates lie. Lon/lat ranges are tiny next to BNG's
 * metres, so the two cannot be confused for real data; anything else is refused rather than guessed.
 */
export function crsFromExtent(extent: CoordinateExtent): Crs | null {
  if (extent.count === 0) return 'EPSG:4326';
  if (extent.minX >= -180 && extent.maxX <= 180 && extent.minY >= -90 && extent.maxY <= 90) return 'EPSG:4326';
  // The BNG grid covers 0–700 km east and 0–1,300 km north.
  if (extent.minX >= -1000 && extent.maxX <= 700_000 && extent.minY >= -1000 && extent.maxY <= 1_300_000) return 'EPSG:27700';
  return null;
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
