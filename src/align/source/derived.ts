import { dissolve } from '../../geometry/dissolve.js';
import type { EqualAreaProjection } from '../../geometry/project.js';
import type { PlanarMultiPolygon } from '../../geometry/planar.js';
import type { Area, Layer } from '../../layers/types.js';
import { largestArea } from '../largest.js';
import { planarOf, unitsProjection, type OverlayCrosswalk } from '../crosswalk.js';

/** Pieces of each unit in a layer's areas, CSR by unit, as a source other than an overlay gives them. */
export interface UnitShares {
  start: Int32Array;
  area: Int32Array;
  weight: Float64Array;
  /** Planar geometry of each piece, or null when the source does not place members within units. */
  geometry: PlanarMultiPolygon[] | null;
}

/**
 * A crosswalk from shares the source states directly (a lookup or catchment: one area per unit with
 * weight 1; membership: each area's share of the unit's members). Piece areas are the unit's area
 * times the share, so measures that read square metres see the same proportions.
 */
export function crosswalkFromShares(units: Layer, layerName: string, layerSource: string, areaIds: string[], shares: UnitShares, projection?: EqualAreaProjection): OverlayCrosswalk {
  const plane = projection ?? unitsProjection(units);
  const unitM2 = Float64Array.from(planarOf(units, plane).areaM2);
  const n = units.areas.length;
  const pieceM2 = new Float64Array(shares.area.length);
  const coveredShare = new Float64Array(n);
  const uncovered: number[] = [];
  for (let u = 0; u < n; u++) {
    for (let p = shares.start[u]; p < shares.start[u + 1]; p++) pieceM2[p] = shares.weight[p] * unitM2[u];
    if (shares.start[u + 1] > shares.start[u]) coveredShare[u] = 1;
    else uncovered.push(u);
  }
  return {
    layer: layerName,
    unitIds: units.areas.map((a) => a.id),
    areaIds,
    start: shares.start,
    area: shares.area,
    weight: shares.weight,
    pieceM2,
    unitM2,
    coveredShare,
    uncovered,
    sliversDropped: 0,
    sliverTolerance: 0,
    projection: plane,
    pieceGeometry: shares.geometry,
    slivers: { unit: new Int32Array(0), area: new Int32Array(0), m2: new Float64Array(0), geometry: shares.geometry ? [] : null },
    unitSource: units.source,
    layerSource,
    stats: { clipped: 0, settledByContainment: 0, ms: 0 },
  };
}

/** Shares that put each unit wholly in one area (−1: none), with the unit's own shape as its piece. */
export function sharesOfHomes(units: Layer, home: ArrayLike<number>, projection?: EqualAreaProjection): UnitShares {
  const polygons = planarOf(units, projection ?? unitsProjection(units)).polygons;
  const start = new Int32Array(units.areas.length + 1);
  const area: number[] = [];
  const geometry: PlanarMultiPolygon[] = [];
  for (let u = 0; u < units.areas.length; u++) {
    start[u] = area.length;
    if (home[u] >= 0) {
      area.push(home[u]);
      geometry.push(polygons[u]);
    }
  }
  start[units.areas.length] = area.length;
  return { start, area: Int32Array.from(area), weight: new Float64Array(area.length).fill(1), geometry };
}

/** Each unit's home area: the one holding most of it (ties: the lower area index), −1 if none. */
export function homeAreas(cw: OverlayCrosswalk): Int32Array {
  return Int32Array.from({ length: cw.unitIds.length }, (_, u) => largestArea(cw, u));
}

/**
 * The crosswalk of a kept-whole layer: every unit wholly in its home area. With it, "kept whole"
 * means one thing everywhere (search, report, maps, check): an area is whole when all the units
 * counted in it are in one footprint, and its split measures are 0 exactly then.
 */
export function homeCrosswalk(units: Layer, cw: OverlayCrosswalk): OverlayCrosswalk {
  const home = homeAreas(cw);
  return crosswalkFromShares(units, cw.layer, cw.layerSource, cw.areaIds, sharesOfHomes(units, home, cw.projection), cw.projection);
}

/** True when an area has a shape to draw (derived areas that are no unit's home have none). */
export function hasShape(area: Pick<Area, 'geometry'>): boolean {
  return area.geometry.coordinates.length > 0;
}

/**
 * The polygons of a layer that has none of its own: each area is the union of the units whose
 * home it is, so GIS staff can open the catchments, check them and correct them.
 */
export function layerFromHomes(
  units: Layer,
  spec: { name: string; source: string; idField: string },
  areaIds: string[],
  names: Array<string | undefined>,
  home: ArrayLike<number>,
): Layer {
  const members: number[][] = areaIds.map(() => []);
  for (let u = 0; u < units.areas.length; u++) if (home[u] >= 0) members[home[u]].push(u);
  const areas: Area[] = areaIds.map((id, a) => ({
    id,
    population: null,
    properties: names[a] === undefined ? { id } : { id, name: names[a] },
    geometry: members[a].length > 0 ? dissolve(members[a].map((u) => units.areas[u].geometry)) : { type: 'MultiPolygon', coordinates: [] },
    index: a,
    ...(names[a] === undefined ? {} : { name: names[a] }),
  }));
  return {
    name: spec.name,
    source: spec.source,
    idField: spec.idField,
    populationField: null,
    sourceCrs: 'EPSG:4326',
    crsReason: 'derived from the units',
    areas,
    notes: [],
  };
}

/** The most common name among candidates (ties: alphabetical), so row order never changes it. */
export function commonestName(candidates: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const c of candidates) counts.set(c, (counts.get(c) ?? 0) + 1);
  let best: string | undefined;
  let most = 0;
  for (const [name, count] of counts) {
    if (count > most || (count === most && best !== undefined && name < best)) {
      best = name;
      most = count;
    }
  }
  return best;
}

/** Sort area ids so the layer's order never depends on the order rows or features came in. */
export function sortedIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
