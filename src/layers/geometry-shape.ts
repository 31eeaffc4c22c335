/**
 * The structure of a GeoJSON geometry as RFC 7946 defines it: the right type names, coordinates
 * nested to the depth the type needs, and every position two or more finite numbers. Whether the
 * shape is a valid polygon (closed rings, no crossings) is `validate`'s business; this is only
 * whether the numbers are there to look at. GeometryCollections are walked with an explicit
 * stack, so nesting depth never reaches the call stack.
 */

export const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

/** Array levels above the positions: a Polygon is rings of positions, so 2. */
const LEVELS: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

/** What a level of coordinates holds, for messages: index by levels left above the positions. */
const WHAT: Record<string, string[]> = {
  Point: ['a position [x, y]'],
  MultiPoint: ['a position [x, y]', 'an array of positions'],
  LineString: ['a position [x, y]', 'an array of positions'],
  MultiLineString: ['a position [x, y]', 'a line (an array of positions)', 'an array of lines'],
  Polygon: ['a position [x, y]', 'a ring (an array of positions)', 'an array of rings'],
  MultiPolygon: ['a position [x, y]', 'a ring (an array of positions)', 'a polygon (an array of rings)', 'an array of polygons'],
};

export interface ShapeProblem {
  /** Where, as a path from the feature: `geometry.coordinates[0][3][1]`. */
  field: string;
  message: string;
}

/** A short description of a JSON value for a message: `null`, `the string "NaN"`, `the number 1`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value === 'number' ? 'the number' : ''} ${String(value)}`.trim();
  return 'an object';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positionProblem(value: unknown, path: string, type: string): ShapeProblem | null {
  if (!Array.isArray(value)) {
    const shallow = typeof value === 'number' ? ` (the coordinates are nested too shallowly for a ${type})` : '';
    return { field: path, message: `is ${describeValue(value)}, expected a position [x, y]${shallow}` };
  }
  if (value.length < 2) return { field: path, message: `has ${value.length} number(s); a position needs at least 2 ([x, y])` };
  for (let k = 0; k < value.length; k++) {
    const n: unknown = value[k];
    if (typeof n === 'number') {
      if (!Number.isFinite(n)) return { field: `${path}[${k}]`, message: `is ${n}, not a finite number` };
      continue;
    }
    const deep = Array.isArray(n) ? ` (the coordinates are nested too deeply for a ${type})` : '';
    return { field: `${path}[${k}]`, message: `is ${describeValue(n)}, not a number${deep}` };
  }
  return null;
}

/** Coordinates nested `levels` arrays above positions; depth is at most 3, so recursion is bounded. */
function coordinatesProblem(value: unknown, levels: number, path: string, type: string): ShapeProblem | null {
  if (levels === 0) return positionProblem(value, path, type);
  if (!Array.isArray(value)) {
    const shallow = typeof value === 'number' ? ` (the coordinates are nested too shallowly for a ${type})` : '';
    return { field: path, message: `is ${describeValue(value)}, expected ${WHAT[type][levels]}${shallow}` };
  }
  // A polygon needs its outer ring; an empty ring is left for validate to report as too few points.
  if (levels === 2 && type === 'MultiPolygon' && value.length === 0) return { field: path, message: 'is a polygon with no rings' };
  for (let i = 0; i < value.length; i++) {
    const problem = coordinatesProblem(value[i], levels - 1, `${path}[${i}]`, type);
    if (problem) return problem;
  }
  return null;
}

/** The first structural problem of a GeoJSON geometry value, or null when it is well formed. */
export function geometryShapeProblem(geometry: unknown, field = 'geometry'): ShapeProblem | null {
  const stack: Array<{ value: unknown; path: string }> = [{ value: geometry, path: field }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (!isObject(value)) return { field: path, message: `is ${describeValue(value)}, not a GeoJSON geometry` };
    const type = value.type;
    if (typeof type !== 'string' || !GEOMETRY_TYPES.has(type)) {
      return { field: `${path}.type`, message: `is ${describeValue(type)}, not a GeoJSON geometry type (${[...GEOMETRY_TYPES].join(', ')})` };
    }
    if (type === 'GeometryCollection') {
      const members = value.geometries;
      if (!Array.isArray(members)) return { field: `${path}.geometries`, message: `is ${describeValue(members)}; a GeometryCollection needs an array of geometries` };
      for (let i = members.length - 1; i >= 0; i--) stack.push({ value: members[i], path: `${path}.geometries[${i}]` });
      continue;
    }
    const coordinates = value.coordinates;
    if (Array.isArray(coordinates) && coordinates.length === 0) {
      return { field: `${path}.coordinates`, message: `is empty; a ${type} needs coordinates (use "geometry": null for a feature with no geometry)` };
    }
    if (!Array.isArray(coordinates)) return { field: `${path}.coordinates`, message: `is ${describeValue(coordinates)}; a ${type} needs a "coordinates" array` };
    const problem = coordinatesProblem(coordinates, LEVELS[type], `${path}.coordinates`, type);
    if (problem) return problem;
  }
  return null;
}
