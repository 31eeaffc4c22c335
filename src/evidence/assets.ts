import { planarOf, unitsProjection } from '../align/crosswalk.js';
import { nearestSites } from '../geometry/nearest.js';
import { boxIndex } from '../geometry/overlay.js';
import { pointInMultiPolygon, type PlanarPoint } from '../geometry/planar.js';
import { representativePoint } from '../geometry/unit-points.js';
import { readRawLayer } from '../layers/load.js';
import type { Layer, RawFeature } from '../layers/types.js';
import { DEFAULT_SITE_DISTANCE, type AssetSpec } from './config.js';
import { sitesOf, type Site } from './sites.js';

/**
 * An asset layer as per-unit figures: how many sites lie in each unit, and how far each unit's
 * residents are from the nearest site. A footprint's figures are then sums and population-weighted
 * means over its units, like every other piece of evidence.
 */
export interface AssetInput {
  name: string;
  file: string;
  features: RawFeature[];
  sites: Site[];
  /** Unit holding each site, or −1 when it lies outside every unit. */
  siteUnit: Int32Array;
  /** Sites per unit. */
  count: Float64Array;
  /** Straight-line metres from each unit's representative point to the nearest site (any site, inside the territory or not). */
  distance: Float64Array;
  siteDistance: number;
  /** Sites outside every unit: not counted, but still the nearest for some residents. */
  outside: number;
}

/** Where distances are measured from: the unit's centroid, or a point surely inside it. */
const unitPointCache = new WeakMap<Layer, PlanarPoint[]>();
export function unitPoints(units: Layer): PlanarPoint[] {
  let points = unitPointCache.get(units);
  if (!points) {
    points = planarOf(units, unitsProjection(units)).polygons.map((p) => representativePoint(p));
    unitPointCache.set(units, points);
  }
  return points;
}

export function loadAsset(name: string, spec: AssetSpec, units: Layer): AssetInput {
  const raw = readRawLayer(spec.file);
  const projection = unitsProjection(units);
  const siteDistance = spec.siteDistance ?? DEFAULT_SITE_DISTANCE;
  const sites = sitesOf(raw.features, projection, { file: spec.file, site: spec.site, siteDistance });
  const planar = planarOf(units, projection);
  const index = boxIndex(planar);
  const siteUnit = new Int32Array(sites.length).fill(-1);
  const count = new Float64Array(units.areas.length);
  let outside = 0;
  sites.forEach((site, s) => {
    const [x, y] = site.point;
    const hit = index
      .search(x, y, x, y)
      .sort((a, b) => a - b)
      .find((u) => pointInMultiPolygon(x, y, planar.polygons[u]));
    if (hit === undefined) outside++;
    else {
      siteUnit[s] = hit;
      count[hit]++;
    }
  });
  const distance =
    sites.length === 0
      ? new Float64Array(units.areas.length).fill(Number.NaN)
      : nearestSites(
          unitPoints(units),
          sites.map((s) => s.point),
          Int32Array.from(sites, (_, i) => i),
        ).distance;
  return { name, file: spec.file, features: raw.features, sites, siteUnit, count, distance, siteDistance, outside };
}
