import { FootprintError } from '../errors.js';
import type { Layer } from '../layers/types.js';
import type { EqualAreaProjection } from '../geometry/project.js';
import { projectGeometry, projectionForGeometries } from '../geometry/project.js';
import type { PlanarLayer } from '../geometry/overlay.js';
import { overlay, planarLayer } from '../geometry/overlay.js';
import type { PlanarMultiPolygon } from '../geometry/planar.js';
import type { Crosswalk } from './types.js';

export const DEFAULT_SLIVER_TOLERANCE = 0.01;

export interface CrosswalkOptions {
  /**
   * Pieces smaller than this share of their unit are dropped (default 0.01, i.e. 1%); a unit the
   * layer covers less than this is uncovered. A unit covered more, but only by pieces each under
   * the tolerance, keeps them all.
   */
  sliverTolerance?: number;
  /** Plane to measure areas in; default: equal-area centred on the units (shared by every layer crosswalked against them). */
  projection?: EqualAreaProjection;
  /** Keep piece geometries (needed for fragments.geojson and exact layer-against-layer tables). Default true. */
  keepGeometry?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * A crosswalk with what the overlay knew besides weights. It is a `Crosswalk`, so the optimiser
 * can take it as is; the extra fields are for reports and for the layer-against-layer measures.
 */
export interface OverlayCrosswalk extends Crosswalk {
  projection: EqualAreaProjection;
  /**
   * Geometry of each kept piece in the projection's plane, aligned with `area` and `weight`, or
   * null when geometries were not kept. Whole-unit pieces share the unit's arrays.
   */
  pieceGeometry: PlanarMultiPolygon[] | null;
  /** Pieces dropped as slivers, for mapping: unit and area indices, square metres, geometry. */
  slivers: { unit: Int32Array; area: Int32Array; m2: Float64Array; geometry: PlanarMultiPolygon[] | null };
  /** Source files, for messages. */
  unitSource: string;
  layerSource: string;
  /** How the overlay went: pairs clipped exactly, pairs settled by containment, milliseconds. */
  stats: { clipped: number; settledByContainment: number; ms: number };
}

const projections = new WeakMap<Layer, EqualAreaProjection>();
const planarCache = new WeakMap<Layer, Array<{ projection: EqualAreaProjection; planar: PlanarLayer }>>();

/** The equal-area plane for a set of units: centred on their extent, the same object on every call. */
export function unitsProjection(units: Layer): EqualAreaProjection {
  let projection = projections.get(units);
  if (!projection) {
    projection = projectionForGeometries(units.areas.map((a) => a.geometry));
    projections.set(units, projection);
  }
  return projection;
}

/**
 * A layer projected to the plane, with its indexes. Cached per (layer, projection) so that the
 * units are projected and indexed once however many layers are crosswalked against them.
 */
export function planarOf(layer: Layer, projection: EqualAreaProjection): PlanarLayer {
  let entries = planarCache.get(layer);
  if (!entries) {
    entries = [];
    planarCache.set(layer, entries);
  }
  const hit = entries.find((e) => e.projection === projection);
  if (hit) return hit.planar;
  const planar = planarLayer(layer.areas.map((a) => projectGeometry(a.geometry, projection)));
  entries.push({ projection, planar });
  return planar;
}

export function checkSliverTolerance(value: number): number {
  if (!Number.isFinite(value) || value < 0 || value >= 1) {
    throw new FootprintError(`sliver tolerance must be a share in [0, 1), got ${value}`);
  }
  return value;
}

/**
 * The crosswalk of `units` against `layer`: w(u,a) = area(u ∩ a) / area(u) in an equal-area
 * plane, pieces under the sliver tolerance dropped and each unit's remaining weights renormalised
 * to sum to 1. Units with no piece left are listed in `uncovered`, never silently dropped.
 */
export function crosswalk(units: Layer, layer: Layer, options: CrosswalkOptions = {}): OverlayCrosswalk {
  const began = performance.now();
  const tolerance = checkSliverTolerance(options.sliverTolerance ?? DEFAULT_SLIVER_TOLERANCE);
  const projection = options.projection ?? unitsProjection(units);
  const keep = options.keepGeometry ?? true;
  const unitPlane = planarOf(units, projection);
  const areaPlane = planarOf(layer, projection);

  const nUnits = units.areas.length;
  for (let u = 0; u < nUnits; u++) {
    if (!(unitPlane.areaM2[u] > 0)) {
      throw new FootprintError('unit has no area (its polygon is empty or collapses to a line), so it cannot be crosswalked', {
        location: { file: units.source, feature: `${units.areas[u].index} (id ${units.areas[u].id})`, field: 'geometry' },
      });
    }
  }

  const raw = overlay(unitPlane, areaPlane, { keepGeometry: keep, onProgress: options.onProgress });

  const start = new Int32Array(nUnits + 1);
  const area: number[] = [];
  const weight: number[] = [];
  const pieceM2: number[] = [];
  const pieceGeometry: PlanarMultiPolygon[] | null = keep ? [] : null;
  const sliverUnit: number[] = [];
  const sliverArea: number[] = [];
  const sliverM2: number[] = [];
  const sliverGeometry: PlanarMultiPolygon[] | null = keep ? [] : null;
  const unitM2 = Float64Array.from(unitPlane.areaM2);
  const coveredShare = new Float64Array(nUnits);
  const uncovered: number[] = [];

  for (let u = 0; u < nUnits; u++) {
    start[u] = area.length;
    let threshold = tolerance * unitM2[u];
    let covered = 0;
    let largest = 0;
    for (let k = raw.start[u]; k < raw.start[u + 1]; k++) {
      covered += raw.m2[k];
      if (raw.m2[k] > largest) largest = raw.m2[k];
    }
    // A unit cut into many pieces, each under the tolerance, is fragmented, not a sliver: when
    // the layer covers at least the tolerance of it, its pieces are kept rather than the unit
    // being reported as uncovered.
    if (largest < threshold && covered >= threshold) threshold = 0;
    let kept = 0;
    const from = area.length;
    for (let k = raw.start[u]; k < raw.start[u + 1]; k++) {
      const m2 = raw.m2[k];
      // A piece exactly at the tolerance is kept: "smaller than 1%" is what gets dropped.
      if (m2 < threshold) {
        sliverUnit.push(u);
        sliverArea.push(raw.area[k]);
        sliverM2.push(m2);
        sliverGeometry?.push(raw.geometry![k]);
        continue;
      }
      kept += m2;
      area.push(raw.area[k]);
      pieceM2.push(m2);
      pieceGeometry?.push(raw.geometry![k]);
    }
    for (let k = from; k < area.length; k++) weight.push(pieceM2[k] / kept);
    // Overlapping areas in one layer could sum past the unit; the share covered cannot.
    coveredShare[u] = Math.min(1, covered / unitM2[u]);
    if (area.length === from) uncovered.push(u);
  }
  start[nUnits] = area.length;

  return {
    layer: layer.name,
    unitIds: units.areas.map((a) => a.id),
    areaIds: layer.areas.map((a) => a.id),
    start,
    area: Int32Array.from(area),
    weight: Float64Array.from(weight),
    pieceM2: Float64Array.from(pieceM2),
    unitM2,
    coveredShare,
    uncovered,
    sliversDropped: sliverUnit.length,
    sliverTolerance: tolerance,
    projection,
    pieceGeometry,
    slivers: { unit: Int32Array.from(sliverUnit), area: Int32Array.from(sliverArea), m2: Float64Array.from(sliverM2), geometry: sliverGeometry },
    unitSource: units.source,
    layerSource: layer.source,
    stats: { clipped: raw.clipped, settledByContainment: raw.settledByContainment, ms: performance.now() - began },
  };
}

/** Units whose covered share is under `threshold` (default 99%) but which are not wholly uncovered. */
export function partiallyCovered(cw: Crosswalk, threshold = 0.99): number[] {
  const uncovered = new Set(cw.uncovered);
  const out: number[] = [];
  for (let u = 0; u < cw.unitIds.length; u++) if (!uncovered.has(u) && cw.coveredShare[u] < threshold) out.push(u);
  return out;
}

/**
 * The sentence about units a layer does not cover, naming the first five: in a run (pipeline/
 * workspace.ts) they count as outside the layer ('outside'); in `footprint score` (pipeline/score.ts)
 * they are left out of its measures ('left out').
 */
export function uncoveredNote(layer: string, ids: string[], unitCount: number, effect: 'outside' | 'left out'): string {
  const shown = `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}`;
  return effect === 'outside'
    ? `${layer}: ${ids.length} unit(s) not covered by the layer (${shown}); they count as outside it`
    : `layer "${layer}" does not cover ${ids.length} of ${unitCount} units (${shown}); they are left out of its measures`;
}
