import Flatbush from 'flatbush';
import type { Geometry } from 'geojson';
import { FootprintError } from '../errors.js';
import type { EqualAreaProjection } from '../geometry/project.js';
import { projectGeometry } from '../geometry/project.js';
import { boxOf, forEachEdge, pointInMultiPolygon, segmentsNear, type PlanarMultiPolygon, type PlanarPoint } from '../geometry/planar.js';
import { representativePoint } from '../geometry/unit-points.js';
import type { RawFeature } from '../layers/types.js';

/**
 * Assets as places people go to, not as drawn features: a hospital mapped as 45 OS building
 * polygons is one site, two fire-station buildings in one yard are one site, and a pharmacy point
 * is a site. Buildings (polygons) within `siteDistance` metres of each other, or sharing a value of
 * the `site` field, are merged (transitively); points are merged only by the `site` field, since
 * two pharmacies in one parade are two pharmacies.
 */
export interface Site {
  /** Where the site is measured from, in the plane (metres). */
  point: PlanarPoint;
  /** Source feature indices, ascending. */
  features: number[];
  /** The `site` field's value shared by its features, when there is one. */
  key: string | null;
}

export interface SiteOptions {
  file: string;
  site?: string;
  siteDistance: number;
}

interface Part {
  index: number;
  polygons: PlanarMultiPolygon | null;
  points: PlanarPoint[];
}

export function sitesOf(features: RawFeature[], projection: EqualAreaProjection, options: SiteOptions): Site[] {
  const parts: Part[] = features.map((f) => partOf(f, projection, options.file));
  const parent = Int32Array.from(parts, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const join = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    // The lower index is the root, so a site's identity does not depend on the order of merging.
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };

  if (options.site) {
    const field = options.site;
    if (!features.some((f) => siteValue(f, field) !== null)) throw new FootprintError(`no feature has the site field "${field}"`, { location: { file: options.file, field } });
    const first = new Map<string, number>();
    features.forEach((f, i) => {
      const value = siteValue(f, field);
      if (value === null) return;
      const seen = first.get(value);
      if (seen === undefined) first.set(value, i);
      else join(seen, i);
    });
  }

  const buildings = parts.filter((p) => p.polygons !== null);
  if (buildings.length > 1) {
    const d = options.siteDistance;
    const boxes = buildings.map((b) => boxOf(b.polygons!));
    const index = new Flatbush(buildings.length);
    for (const box of boxes) index.add(box.minX - d, box.minY - d, box.maxX + d, box.maxY + d);
    index.finish();
    buildings.forEach((b, i) => {
      for (const j of index.search(boxes[i].minX, boxes[i].minY, boxes[i].maxX, boxes[i].maxY)) {
        if (j <= i) continue;
        if (within(b.polygons!, buildings[j].polygons!, d)) join(b.index, buildings[j].index);
      }
    });
  }

  const members = new Map<number, number[]>();
  parts.forEach((_, i) => {
    const root = find(i);
    const list = members.get(root);
    if (list) list.push(i);
    else members.set(root, [i]);
  });
  return [...members.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, list]) => ({
      point: sitePoint(list.map((i) => parts[i])),
      features: list,
      key: options.site ? (siteValue(features[list[0]], options.site) ?? null) : null,
    }));
}

function siteValue(feature: RawFeature, field: string): string | null {
  const v = feature.properties[field];
  if (v === null || v === undefined) return null;
  const text = String(v).trim();
  return text === '' ? null : text;
}

function partOf(feature: RawFeature, projection: EqualAreaProjection, file: string): Part {
  const g: Geometry | null = feature.geometry;
  if (!g) throw new FootprintError('has no geometry; an asset must be a point or a polygon', { location: { file, feature: feature.index, field: 'geometry' } });
  if (g.type === 'Point') return { index: feature.index, polygons: null, points: [projection.forward(g.coordinates[0], g.coordinates[1])] };
  if (g.type === 'MultiPoint') {
    if (g.coordinates.length === 0) throw new FootprintError('is an empty MultiPoint', { location: { file, feature: feature.index, field: 'geometry' } });
    return { index: feature.index, polygons: null, points: g.coordinates.map((p) => projection.forward(p[0], p[1])) };
  }
  if (g.type === 'Polygon' || g.type === 'MultiPolygon') {
    const polygons = projectGeometry(g, projection);
    if (polygons.length === 0) throw new FootprintError('is a polygon with no area', { location: { file, feature: feature.index, field: 'geometry' } });
    return { index: feature.index, polygons, points: [] };
  }
  throw new FootprintError(`is a ${g.type}; an asset must be a point or a polygon (a building)`, { location: { file, feature: feature.index, field: 'geometry' } });
}

/** True when two shapes come within d metres of each other (overlap and containment included). */
export function within(a: PlanarMultiPolygon, b: PlanarMultiPolygon, d: number): boolean {
  const pa = a[0][0][0];
  const pb = b[0][0][0];
  if (pointInMultiPolygon(pa[0], pa[1], b) || pointInMultiPolygon(pb[0], pb[1], a)) return true;
  let near = false;
  forEachEdge(a, (ax, ay, bx, by) => {
    if (near) return;
    forEachEdge(b, (cx, cy, dx, dy) => {
      if (!near && segmentsNear(ax, ay, bx, by, cx, cy, dx, dy, d)) near = true;
    });
  });
  return near;
}

/** A point surely in one of the site's buildings (or the mean of its points). */
function sitePoint(parts: Part[]): PlanarPoint {
  const polygons = parts.flatMap((p) => p.polygons ?? []);
  if (polygons.length > 0) return representativePoint(polygons);
  const points = parts.flatMap((p) => p.points);
  return [points.reduce((s, p) => s + p[0], 0) / points.length, points.reduce((s, p) => s + p[1], 0) / points.length];
}
