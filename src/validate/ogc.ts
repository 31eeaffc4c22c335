import type { MultiPolygon, Polygon } from 'geojson';
import GeometryFactory from 'jsts/org/locationtech/jts/geom/GeometryFactory.js';
import GeoJSONReader from 'jsts/org/locationtech/jts/io/GeoJSONReader.js';
import IsValidOp from 'jsts/org/locationtech/jts/operation/valid/IsValidOp.js';
import TopologyValidationError from 'jsts/org/locationtech/jts/operation/valid/TopologyValidationError.js';

/**
 * Polygon validity as the OGC Simple Features standard defines it, decided by JTS's IsValidOp
 * (through jsts, its JavaScript port) rather than by hand: repeated consecutive vertices are
 * valid, a ring that crosses or touches itself (bowtie, self-touching "inverted hole") is not,
 * holes must lie inside their shell, and the parts of a MultiPolygon must not overlap.
 * Callers check closure and vertex counts first (jsts cannot even build an unclosed ring).
 */
export type OgcProblem =
  | 'self-intersection'
  | 'ring-self-intersection'
  | 'hole-outside-shell'
  | 'nested-holes'
  | 'disconnected-interior'
  | 'nested-shells'
  | 'duplicate-rings'
  | 'other';

export interface OgcInvalidity {
  problem: OgcProblem;
  /** JTS's own description, e.g. "Ring Self-intersection". */
  message: string;
  /** Where JTS found it, in the input's coordinates. */
  at: [number, number];
}

const reader = new GeoJSONReader(new GeometryFactory());

const PROBLEMS = new Map<number, OgcProblem>([
  [TopologyValidationError.SELF_INTERSECTION, 'self-intersection'],
  [TopologyValidationError.RING_SELF_INTERSECTION, 'ring-self-intersection'],
  [TopologyValidationError.HOLE_OUTSIDE_SHELL, 'hole-outside-shell'],
  [TopologyValidationError.NESTED_HOLES, 'nested-holes'],
  [TopologyValidationError.DISCONNECTED_INTERIOR, 'disconnected-interior'],
  [TopologyValidationError.NESTED_SHELLS, 'nested-shells'],
  [TopologyValidationError.DUPLICATE_RINGS, 'duplicate-rings'],
]);

interface JtsCoordinate {
  x: number;
  y: number;
}

/** The first OGC validity problem of a polygon or multipolygon, or null when it is valid. */
export function ogcInvalidity(geometry: Polygon | MultiPolygon): OgcInvalidity | null {
  const first = geometry.type === 'Polygon' ? geometry.coordinates[0]?.[0] : geometry.coordinates[0]?.[0]?.[0];
  const fallback: [number, number] = first ? [first[0], first[1]] : [0, 0];
  let op: IsValidOp;
  try {
    // Only x and y: JTS reads a third number as z, which plays no part in validity.
    op = new IsValidOp(reader.read(flatten(geometry)));
    if (op.isValid()) return null;
  } catch (error) {
    // jsts throws on shapes it cannot build; the caller has ruled out the ones we know of.
    return { problem: 'other', message: `geometry cannot be built: ${(error as Error).message ?? String(error)}`, at: fallback };
  }
  const error = op.getValidationError();
  const where = error.getCoordinate() as JtsCoordinate | null;
  return {
    problem: PROBLEMS.get(error.getErrorType() as number) ?? 'other',
    message: error.getMessage(),
    at: where ? [where.x, where.y] : fallback,
  };
}

function flatten(geometry: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const ring = (positions: number[][]) => positions.map((p) => [p[0], p[1]]);
  if (geometry.type === 'Polygon') return { type: 'Polygon', coordinates: geometry.coordinates.map(ring) };
  return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((polygon) => polygon.map(ring)) };
}
