import Flatbush from 'flatbush';
import { FootprintError } from '../../errors.js';
import { nearestSites } from '../../geometry/nearest.js';
import type { EqualAreaProjection } from '../../geometry/project.js';
import { pointInMultiPolygon, pointSegmentDistance2, type PlanarPoint } from '../../geometry/planar.js';
import { representativePoint } from '../../geometry/unit-points.js';
import { detectIdField, featureIdValue } from '../../layers/load.js';
import type { Layer, RawLayer } from '../../layers/types.js';
import { planarOf, unitsProjection } from '../crosswalk.js';
import { commonestName, sortedIds } from './derived.js';

/** Sites farther than this outside every unit are worth a warning: a wrong CRS, a wrong file, a typo. */
export const FAR_SITE_M = 5_000;

export interface SiteOptions {
  /** Field grouping sites into areas; absent: every site is its own area (ids from `id`). */
  group?: string;
  /** Field with each site's id; auto-detected when absent (needed when there is no group). */
  id?: string;
  /** Field with readable area names. */
  areaName?: string;
  projection?: EqualAreaProjection;
}

export interface Catchments {
  areaIds: string[];
  areaNames: Array<string | undefined>;
  /** Sites per area. */
  sites: Int32Array;
  /** Area of each unit (index into areaIds): the group of its nearest site. */
  home: Int32Array;
  /** Distance in metres from each unit's point to its nearest site. */
  distance: Float64Array;
  /** Sites more than FAR_SITE_M outside every unit: feature label and metres. */
  farSites: Array<{ site: string; metres: number }>;
}

/** Each unit's representative point in the plane (centroid when inside, else a point on its surface). */
export function unitPoints(units: Layer, projection?: EqualAreaProjection): PlanarPoint[] {
  return planarOf(units, projection ?? unitsProjection(units)).polygons.map((p) => representativePoint(p));
}

/**
 * Catchments from sites: each unit belongs to the group of its nearest site, by straight-line
 * distance in metres in the units' equal-area plane, measured from the unit's representative point.
 * Sites outside the units still count (a practice over the border serves residents inside).
 */
export function siteCatchments(units: Layer, sites: RawLayer, options: SiteOptions = {}): Catchments {
  const file = sites.source;
  const projection = options.projection ?? unitsProjection(units);
  const idChoice = options.group ? (options.id ? { field: options.id } : detectIdField(sites.features)) : detectIdField(sites.features, options.id);
  if (!options.group && !idChoice) {
    throw new FootprintError('sites have no id field to name their areas by (give `group:` to group them, or `id:`)', { location: { file } });
  }
  const points: PlanarPoint[] = [];
  const groups: string[] = [];
  const siteIds: string[] = [];
  const names = new Map<string, string[]>();
  for (const feature of sites.features) {
    const label = () => {
      const id = idChoice ? featureIdValue(feature, idChoice.field) : null;
      return id === null ? feature.index : `${feature.index} (id ${id})`;
    };
    const g = feature.geometry;
    if (g === null) throw new FootprintError('has no geometry; every site must be a point', { location: { file, feature: label(), field: 'geometry' } });
    let position: number[];
    if (g.type === 'Point') position = g.coordinates;
    else if (g.type === 'MultiPoint' && g.coordinates.length === 1) position = g.coordinates[0];
    else throw new FootprintError(`is a ${g.type}; sites must be points (Point)`, { location: { file, feature: label(), field: 'geometry' } });
    if (position.length < 2 || !Number.isFinite(position[0]) || !Number.isFinite(position[1])) {
      throw new FootprintError(`coordinates ${JSON.stringify(position)} are not a longitude and latitude`, { location: { file, feature: label(), field: 'geometry' } });
    }
    const field = options.group ?? idChoice!.field;
    const group = options.group ? groupValue(feature.properties[field]) : featureIdValue(feature, field);
    if (group === null) {
      throw new FootprintError(`has no ${options.group ? 'group' : 'id'} value; every site must belong to an area`, { location: { file, feature: label(), field } });
    }
    points.push(projection.forward(position[0], position[1]));
    groups.push(group);
    siteIds.push((idChoice ? featureIdValue(feature, idChoice.field) : null) ?? '');
    const name = groupValue(feature.properties[options.areaName ?? 'name']);
    if (options.areaName && name === null) throw new FootprintError('has no area name', { location: { file, feature: label(), field: options.areaName } });
    // A site's own `name` names its area only when the site is its own area (no group).
    if (name !== null && (options.areaName || !options.group)) names.set(group, [...(names.get(group) ?? []), name]);
  }
  if (points.length === 0) throw new FootprintError('the layer has no sites', { location: { file } });

  const areaIds = sortedIds(groups);
  const areaIndex = new Map(areaIds.map((id, a) => [id, a]));
  const siteArea = Int32Array.from(groups, (g) => areaIndex.get(g)!);
  // Ties go to the lowest (area, site id, x, y): the order sites are listed in never matters.
  const order = points.map((_, s) => s).sort((a, b) => siteArea[a] - siteArea[b] || cmp(siteIds[a], siteIds[b]) || points[a][0] - points[b][0] || points[a][1] - points[b][1] || a - b);
  const rank = new Int32Array(points.length);
  order.forEach((s, r) => (rank[s] = r));

  const nearest = nearestSites(unitPoints(units, projection), points, rank);
  const home = Int32Array.from(nearest.site, (s) => siteArea[s]);
  const siteCount = new Int32Array(areaIds.length);
  for (const a of siteArea) siteCount[a]++;
  const farSites = sitesFarOutside(units, projection, points).map(({ site, metres }) => {
    const feature = sites.features[site];
    const id = idChoice ? featureIdValue(feature, idChoice.field) : null;
    return { site: id === null ? `feature ${feature.index}` : `${id} (feature ${feature.index})`, metres };
  });
  return {
    areaIds,
    areaNames: areaIds.map((id) => commonestName(names.get(id) ?? [])),
    sites: siteCount,
    home,
    distance: nearest.distance,
    farSites,
  };
}

function groupValue(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sites lying more than FAR_SITE_M from every unit, with their distance to the nearest unit. */
function sitesFarOutside(units: Layer, projection: EqualAreaProjection, points: PlanarPoint[]): Array<{ site: number; metres: number }> {
  const plane = planarOf(units, projection);
  const index = new Flatbush(Math.max(1, plane.boxes.length));
  for (const box of plane.boxes) {
    if (Number.isFinite(box.minX)) index.add(box.minX, box.minY, box.maxX, box.maxY);
    else index.add(Infinity, Infinity, Infinity, Infinity);
  }
  index.finish();
  const far: Array<{ site: number; metres: number }> = [];
  points.forEach(([x, y], s) => {
    const near = index.search(x - FAR_SITE_M, y - FAR_SITE_M, x + FAR_SITE_M, y + FAR_SITE_M);
    let best = Infinity;
    for (const u of near) {
      if (pointInMultiPolygon(x, y, plane.polygons[u])) return;
      for (const polygon of plane.polygons[u]) {
        for (const ring of polygon) {
          for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            best = Math.min(best, pointSegmentDistance2(x, y, ring[j][0], ring[j][1], ring[i][0], ring[i][1]));
          }
        }
      }
    }
    if (Math.sqrt(best) <= FAR_SITE_M) return;
    if (Number.isFinite(best)) {
      far.push({ site: s, metres: Math.sqrt(best) });
      return;
    }
    // Beyond the search box: the distance to the nearest unit's box is close enough for a warning.
    const [u] = index.neighbors(x, y, 1);
    const box = plane.boxes[u];
    const dx = Math.max(box.minX - x, 0, x - box.maxX);
    const dy = Math.max(box.minY - y, 0, y - box.maxY);
    far.push({ site: s, metres: Math.max(FAR_SITE_M, Math.hypot(dx, dy)) });
  });
  return far;
}
