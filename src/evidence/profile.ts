import Flatbush from 'flatbush';
import { booleanPointInPolygon } from '@turf/turf';
import type { Point } from 'geojson';
import { boxOf } from '../geometry/planar.js';
import type { Area } from '../layers/types.js';
import type { RawFeature } from '../layers/types.js';

/**
 * Evidence profiles: the numbers a planner targets resources with (population by age band,
 * deprivation, demand counts, assets), summed per footprint from the units, or averaged with
 * population weights where the property is a rate (declared as `mean`).
 */
export interface EvidenceOptions {
  /** Properties that are rates or scores: population-weighted mean instead of a sum. */
  mean?: string[];
  /** Properties to leave out (ids, codes that happen to be numeric). */
  exclude?: string[];
}

export interface EvidenceField {
  name: string;
  kind: 'sum' | 'mean';
}

export interface FootprintEvidence {
  /** Value per field, in `fields` order; null when no unit of the footprint has the field. */
  values: Array<number | null>;
  /** Units of the footprint missing each field. */
  missing: number[];
  /** Asset counts per point layer, in `pointLayers` order. */
  points: number[];
}

export interface EvidenceProfile {
  fields: EvidenceField[];
  pointLayers: string[];
  footprints: FootprintEvidence[];
  /** Points of each point layer that fell in no unit (outside the territory). */
  pointsOutside: number[];
}

export interface PointLayer {
  name: string;
  features: RawFeature[];
}

/**
 * Numeric properties worth profiling: numbers in at least half the units (so a field that is
 * occasionally numeric by accident is not summed), excluding the id and population fields, which
 * the reports show on their own.
 */
export function evidenceFields(units: Area[], options: EvidenceOptions & { skip?: string[] } = {}): EvidenceField[] {
  const skip = new Set([...(options.exclude ?? []), ...(options.skip ?? [])]);
  const mean = new Set(options.mean ?? []);
  const counts = new Map<string, number>();
  for (const unit of units) {
    for (const [key, value] of Object.entries(unit.properties)) {
      if (typeof value === 'number' && Number.isFinite(value)) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const names = [...counts.entries()].filter(([name, count]) => !skip.has(name) && count * 2 >= units.length).map(([name]) => name);
  for (const name of mean) if (!names.includes(name) && !skip.has(name)) names.push(name);
  return names.map((name) => ({ name, kind: mean.has(name) ? 'mean' : 'sum' }));
}

export function evidenceProfile(
  units: Area[],
  assignment: ArrayLike<number>,
  k: number,
  options: EvidenceOptions & { skip?: string[]; pointLayers?: PointLayer[] } = {},
): EvidenceProfile {
  const fields = evidenceFields(units, options);
  const pointLayers = options.pointLayers ?? [];
  const sums = Array.from({ length: k }, () => new Float64Array(fields.length));
  const weights = Array.from({ length: k }, () => new Float64Array(fields.length));
  const present = Array.from({ length: k }, () => new Int32Array(fields.length));
  const missing = Array.from({ length: k }, () => new Array<number>(fields.length).fill(0));
  units.forEach((unit, u) => {
    const f = assignment[u];
    const weight = unit.population ?? 1;
    fields.forEach((field, j) => {
      const value = unit.properties[field.name];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        missing[f][j]++;
        return;
      }
      present[f][j]++;
      if (field.kind === 'sum') sums[f][j] += value;
      else {
        sums[f][j] += value * weight;
        weights[f][j] += weight;
      }
    });
  });

  const { counts, outside } = countPoints(units, assignment, k, pointLayers);
  const footprints = Array.from({ length: k }, (_, f): FootprintEvidence => ({
    values: fields.map((field, j) => {
      if (present[f][j] === 0) return null;
      if (field.kind === 'sum') return sums[f][j];
      return weights[f][j] > 0 ? sums[f][j] / weights[f][j] : null;
    }),
    missing: missing[f],
    points: counts.map((perLayer) => perLayer[f]),
  }));
  return { fields, pointLayers: pointLayers.map((p) => p.name), footprints, pointsOutside: outside };
}

function countPoints(units: Area[], assignment: ArrayLike<number>, k: number, pointLayers: PointLayer[]): { counts: number[][]; outside: number[] } {
  if (pointLayers.length === 0 || units.length === 0) return { counts: pointLayers.map(() => new Array<number>(k).fill(0)), outside: pointLayers.map(() => 0) };
  const index = new Flatbush(units.length);
  for (const unit of units) {
    const [minX, minY, maxX, maxY] = bbox(unit);
    index.add(minX, minY, maxX, maxY);
  }
  index.finish();
  const counts: number[][] = [];
  const outside: number[] = [];
  for (const layer of pointLayers) {
    const perFootprint = new Array<number>(k).fill(0);
    let out = 0;
    for (const feature of layer.features) {
      for (const point of pointsOf(feature)) {
        const candidates = index.search(point[0], point[1], point[0], point[1]).sort((a, b) => a - b);
        const hit = candidates.find((u) => booleanPointInPolygon({ type: 'Point', coordinates: point } as Point, units[u].geometry));
        if (hit === undefined) out++;
        else perFootprint[assignment[hit]]++;
      }
    }
    counts.push(perFootprint);
    outside.push(out);
  }
  return { counts, outside };
}

function pointsOf(feature: RawFeature): number[][] {
  const g = feature.geometry;
  if (!g) return [];
  if (g.type === 'Point') return [g.coordinates];
  if (g.type === 'MultiPoint') return g.coordinates;
  return [];
}

function bbox(area: Area): [number, number, number, number] {
  const box = boxOf(area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates);
  return [box.minX, box.minY, box.maxX, box.maxY];
}
