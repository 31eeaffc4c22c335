import { describeValue, GEOMETRY_TYPES, type ShapeProblem } from './geometry-shape.js';

/**
 * The structure of a TopoJSON topology (https://github.com/topojson/topojson-specification):
 * a positions array per arc, a well-formed transform, and geometry objects whose arc indexes all
 * name an arc that exists. topojson-client trusts all of this and fails deep inside with a
 * TypeError when it is not so, which a user cannot act on; checking first names the place.
 */

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pairProblem(value: unknown, path: string): ShapeProblem | null {
  if (!Array.isArray(value) || value.length < 2) return { field: path, message: `is ${describeValue(value)}, expected two numbers` };
  for (let k = 0; k < value.length; k++) {
    const n: unknown = value[k];
    if (typeof n !== 'number' || !Number.isFinite(n)) return { field: `${path}[${k}]`, message: `is ${describeValue(n)}, not a finite number` };
  }
  return null;
}

/** Problems of the topology's own members: `arcs` and `transform`. */
export function topologyProblem(topology: Record<string, unknown>): ShapeProblem | null {
  const transform = topology.transform;
  if (transform !== undefined && transform !== null) {
    if (!isObject(transform)) return { field: 'transform', message: `is ${describeValue(transform)}, not an object with "scale" and "translate"` };
    const scale = pairProblem(transform.scale, 'transform.scale');
    if (scale) return scale;
    const translate = pairProblem(transform.translate, 'transform.translate');
    if (translate) return translate;
  }
  const arcs = topology.arcs;
  if (!Array.isArray(arcs)) return { field: 'arcs', message: `is ${describeValue(arcs)}; a TopoJSON topology needs an "arcs" array` };
  for (let a = 0; a < arcs.length; a++) {
    const arc: unknown = arcs[a];
    if (!Array.isArray(arc) || arc.length < 2) return { field: `arcs[${a}]`, message: `is ${describeValue(arc)}; an arc needs two or more positions` };
    for (let i = 0; i < arc.length; i++) {
      const problem = pairProblem(arc[i], `arcs[${a}][${i}]`);
      if (problem) return problem;
    }
  }
  return null;
}

/** Array levels above the arc indexes for each type that is made of arcs. */
const ARC_LEVELS: Record<string, number> = { LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

function arcIndexesProblem(value: unknown, levels: number, path: string, type: string, arcCount: number): ShapeProblem | null {
  if (levels === 0) {
    if (typeof value !== 'number' || !Number.isInteger(value)) return { field: path, message: `is ${describeValue(value)}, not an arc index (an integer)` };
    const arc = value < 0 ? ~value : value;
    if (arc >= arcCount) {
      return { field: path, message: `is arc ${value}${value < 0 ? ` (arc ${arc} reversed)` : ''}, but the topology has ${arcCount} arc(s) (0 to ${arcCount - 1})` };
    }
    return null;
  }
  if (!Array.isArray(value)) return { field: path, message: `is ${describeValue(value)}, expected an array (a ${type}'s "arcs" are nested ${ARC_LEVELS[type]} deep)` };
  // A ring or line made of no arcs has no positions at all; topojson-client cannot build it.
  if (levels === 1 && value.length === 0) return { field: path, message: `is empty; each ${type === 'Polygon' || type === 'MultiPolygon' ? 'ring' : 'line'} needs at least one arc` };
  if (levels === 2 && type === 'MultiPolygon' && value.length === 0) return { field: path, message: 'is a polygon with no rings' };
  for (let i = 0; i < value.length; i++) {
    const problem = arcIndexesProblem(value[i], levels - 1, `${path}[${i}]`, type, arcCount);
    if (problem) return problem;
  }
  return null;
}

/** The first structural problem of one TopoJSON geometry object (walking collections with a stack). */
export function topoGeometryProblem(geometry: unknown, path: string, arcCount: number): ShapeProblem | null {
  const stack: Array<{ value: unknown; path: string }> = [{ value: geometry, path }];
  while (stack.length > 0) {
    const { value, path: at } = stack.pop()!;
    if (!isObject(value)) return { field: at, message: `is ${describeValue(value)}, not a TopoJSON geometry object` };
    const type = value.type;
    if (type === null) continue; // a feature with no geometry
    if (typeof type !== 'string' || !GEOMETRY_TYPES.has(type)) {
      return { field: `${at}.type`, message: `is ${describeValue(type)}, not a TopoJSON geometry type` };
    }
    if (value.properties !== undefined && value.properties !== null && !isObject(value.properties)) {
      return { field: `${at}.properties`, message: `is ${describeValue(value.properties)}, not an object` };
    }
    if (type === 'GeometryCollection') {
      const members = value.geometries;
      if (!Array.isArray(members)) return { field: `${at}.geometries`, message: `is ${describeValue(members)}; a GeometryCollection needs an array of geometries` };
      for (let i = members.length - 1; i >= 0; i--) stack.push({ value: members[i], path: `${at}.geometries[${i}]` });
      continue;
    }
    if (type === 'Point' || type === 'MultiPoint') {
      const coordinates = value.coordinates;
      if (type === 'Point') {
        const problem = pairProblem(coordinates, `${at}.coordinates`);
        if (problem) return problem;
        continue;
      }
      if (!Array.isArray(coordinates)) return { field: `${at}.coordinates`, message: `is ${describeValue(coordinates)}; a MultiPoint needs an array of positions` };
      for (let i = 0; i < coordinates.length; i++) {
        const problem = pairProblem(coordinates[i], `${at}.coordinates[${i}]`);
        if (problem) return problem;
      }
      continue;
    }
    if (value.arcs === undefined) return { field: `${at}.arcs`, message: `is missing; a ${type} needs "arcs"` };
    const problem = arcIndexesProblem(value.arcs, ARC_LEVELS[type], `${at}.arcs`, type, arcCount);
    if (problem) return problem;
    if (Array.isArray(value.arcs) && value.arcs.length === 0) return { field: `${at}.arcs`, message: `is empty; a ${type} needs at least one ${type === 'LineString' ? 'arc' : type === 'MultiPolygon' ? 'polygon' : type === 'Polygon' ? 'ring' : 'line'}` };
  }
  return null;
}
