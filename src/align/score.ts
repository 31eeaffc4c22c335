import { FootprintError } from '../errors.js';
import type { Layer } from '../layers/types.js';
import type { OverlayCrosswalk } from './crosswalk.js';
import { DEFAULT_SLIVER_TOLERANCE, checkSliverTolerance, crosswalk, partiallyCovered, planarOf, unitsProjection } from './crosswalk.js';
import type { Both, PairMeasures, Partition, SplitArea } from './measures.js';
import { DEFAULT_COTERMINOSITY_TOLERANCE, jointTable, layerPartition, mostSplit, pairMeasures, unitPartition } from './measures.js';
import type { BoundaryCoincidence } from './boundary.js';
import { DEFAULT_BOUNDARY_DISTANCE, DEFAULT_INTERNAL_TOLERANCE, boundaryCoincidence } from './boundary.js';

/** Name the units go by in matrices and pairs. */
export const UNITS_NAME = 'units';

export interface ScoreOptions {
  /** Share of a unit below which a piece is a sliver (default 0.01). */
  sliverTolerance?: number;
  /** τ for coterminosity (default 0.05). */
  coterminosityTolerance?: number;
  /** Metres within which boundaries coincide (default 50). */
  boundaryDistance?: number;
  /** Compute boundary coincidence (default true); it is the slowest measure on large inputs. */
  boundaryCoincidence?: boolean;
  /** Edges of two areas of one layer closer than this (metres) are their shared boundary (default 2). */
  internalTolerance?: number;
  /** How many of the most split areas to keep per pair and direction (default 10). */
  mostSplit?: number;
  /** Progress: a stage name and how far it is. */
  onProgress?: (stage: string, done: number, total: number) => void;
  /**
   * Crosswalks already made, aligned with the layers (undefined: overlay the layer here): layers
   * from sites, lookups or membership tables arrive with theirs (see align/source).
   */
  crosswalks?: Array<OverlayCrosswalk | undefined>;
}

export interface ScoredLayer {
  name: string;
  source: string;
  areaCount: number;
  crosswalk: OverlayCrosswalk;
  /** Units the layer does not cover at all (no piece above the sliver tolerance). */
  uncovered: Array<{ id: string; population: number }>;
  /** Units covered, but less than 99% of their area. */
  partial: Array<{ id: string; coveredShare: number }>;
  /** Areas of the layer holding no unit's piece (no residents through the units). */
  emptyAreas: string[];
  coveredPopulation: number;
}

export interface PairScore {
  /** Names: UNITS_NAME or a layer name. */
  x: string;
  y: string;
  measures: PairMeasures;
  /** X's internal boundary near Y's (xy) and Y's near X's (yx); null when not computed. */
  boundary: Both<BoundaryCoincidence> | null;
  /** X-areas most split by Y (xy) and Y-areas most split by X (yx). */
  mostSplit: Both<SplitArea[]>;
  /** Units split by both, whose pieces were intersected. */
  unitsSplitByBoth: number;
}

export interface ScoreResult {
  units: { name: string; source: string; count: number; populationField: string; population: number };
  layers: ScoredLayer[];
  /** Every pair once: units against each layer, then each pair of layers in the order given. */
  pairs: PairScore[];
  options: {
    sliverTolerance: number;
    coterminosityTolerance: number;
    boundaryDistance: number | null;
    internalTolerance: number;
  };
  timings: { crosswalkMs: number; measuresMs: number; boundaryMs: number };
}

/** Unit populations, checked: scoring weights everything by them, so a gap is an error, not a zero. */
export function unitPopulations(units: Layer): Float64Array {
  if (units.populationField === null) {
    throw new FootprintError(
      'the units have no population field, and every measure is weighted by the residents of the units; name the field with --population',
      { location: { file: units.source } },
    );
  }
  const out = new Float64Array(units.areas.length);
  for (let u = 0; u < units.areas.length; u++) {
    const area = units.areas[u];
    const p = area.population;
    if (p === null || !Number.isFinite(p) || p < 0) {
      throw new FootprintError(`population is ${p === null ? 'missing' : String(p)}; every unit needs a finite population ≥ 0`, {
        location: { file: units.source, feature: `${area.index} (id ${area.id})`, field: units.populationField },
      });
    }
    out[u] = p;
  }
  return out;
}

/**
 * Score how a set of service layers cut across each other and across the units: a crosswalk of
 * the units against each layer, then every measure for every pair, population-weighted through
 * the units. Errors (no populations, a layer that misses the units, two layers with no residents
 * in common) are FootprintErrors naming the files; no measure is ever NaN.
 */
export function scoreLayers(units: Layer, layers: Layer[], options: ScoreOptions = {}): ScoreResult {
  const sliverTolerance = checkSliverTolerance(options.sliverTolerance ?? DEFAULT_SLIVER_TOLERANCE);
  const tau = options.coterminosityTolerance ?? DEFAULT_COTERMINOSITY_TOLERANCE;
  if (!(tau >= 0 && tau < 1)) throw new FootprintError(`coterminosity tolerance must be a share in [0, 1), got ${tau}`);
  const withBoundary = options.boundaryCoincidence ?? true;
  const distance = options.boundaryDistance ?? DEFAULT_BOUNDARY_DISTANCE;
  if (withBoundary && !(distance >= 0 && Number.isFinite(distance))) throw new FootprintError(`boundary distance must be a number of metres ≥ 0, got ${distance}`);
  const internalTolerance = options.internalTolerance ?? DEFAULT_INTERNAL_TOLERANCE;
  const top = options.mostSplit ?? 10;

  if (layers.length === 0) throw new FootprintError('nothing to score: give at least one layer (--layer NAME=FILE)');
  const seen = new Map<string, string>();
  for (const layer of layers) {
    if (layer.name === UNITS_NAME) {
      throw new FootprintError(`the layer name "${UNITS_NAME}" is kept for the units; call the layer something else`, { location: { file: layer.source } });
    }
    const other = seen.get(layer.name);
    if (other !== undefined) {
      throw new FootprintError(`two layers are named "${layer.name}" (${other} and ${layer.source}); names must differ`, { location: { file: layer.source } });
    }
    seen.set(layer.name, layer.source);
  }
  const populations = unitPopulations(units);
  const totalPopulation = populations.reduce((a, b) => a + b, 0);
  if (!(totalPopulation > 0)) {
    throw new FootprintError('every unit has a population of 0, so there is nobody to weight the measures by', {
      location: { file: units.source, field: units.populationField ?? undefined },
    });
  }

  const projection = unitsProjection(units);
  const began = performance.now();
  const scored: ScoredLayer[] = layers.map((layer, i) => {
    const cw = options.crosswalks?.[i] ?? crosswalk(units, layer, {
      sliverTolerance,
      projection,
      keepGeometry: true,
      onProgress: options.onProgress ? (done, total) => options.onProgress!(`crosswalk ${layer.name}`, done, total) : undefined,
    });
    if (cw.uncovered.length === units.areas.length) {
      throw new FootprintError(
        `layer "${layer.name}" (${layer.source}) does not overlap the units (${units.source}) at all: no unit has ${sliverTolerance > 0 ? `${formatShare(sliverTolerance)} or more of its area` : 'any part'} in any of its areas. Are both files of the same place, and in the right CRS?`,
        { location: { file: layer.source } },
      );
    }
    let covered = 0;
    const hasPiece = new Uint8Array(layer.areas.length);
    for (let u = 0; u < units.areas.length; u++) {
      if (cw.start[u + 1] > cw.start[u]) covered += populations[u];
      for (let k = cw.start[u]; k < cw.start[u + 1]; k++) hasPiece[cw.area[k]] = 1;
    }
    return {
      name: layer.name,
      source: layer.source,
      areaCount: layer.areas.length,
      crosswalk: cw,
      uncovered: cw.uncovered.map((u) => ({ id: units.areas[u].id, population: populations[u] })),
      partial: partiallyCovered(cw).map((u) => ({ id: units.areas[u].id, coveredShare: cw.coveredShare[u] })),
      emptyAreas: layer.areas.filter((_, i) => hasPiece[i] === 0).map((a) => a.id),
      coveredPopulation: covered,
    };
  });
  const crosswalkMs = performance.now() - began;

  const unitIds = units.areas.map((a) => a.id);
  const sides: Array<{ name: string; source: string; partition: Partition; layer: Layer }> = [
    { name: UNITS_NAME, source: units.source, partition: unitPartition(unitIds), layer: units },
    ...scored.map((s, i) => ({ name: s.name, source: s.source, partition: layerPartition(s.crosswalk), layer: layers[i] })),
  ];

  let measuresMs = 0;
  let boundaryMs = 0;
  const pairs: PairScore[] = [];
  const total = (sides.length * (sides.length - 1)) / 2;
  for (let i = 0; i < sides.length; i++) {
    for (let j = i + 1; j < sides.length; j++) {
      const X = sides[i];
      const Y = sides[j];
      const t0 = performance.now();
      const table = jointTable(X.partition, Y.partition, populations, { sliverTolerance });
      if (!(table.total > 0)) {
        throw new FootprintError(
          `layers "${X.name}" (${X.source}) and "${Y.name}" (${Y.source}) do not overlap: no unit with residents lies in both, so they cannot be compared`,
          { location: { file: Y.source } },
        );
      }
      const measures = pairMeasures(table, { coterminosityTolerance: tau, sliverTolerance });
      const split = { xy: mostSplit(table, 'x', top), yx: mostSplit(table, 'y', top) };
      const t1 = performance.now();
      let boundary: Both<BoundaryCoincidence> | null = null;
      if (withBoundary) {
        const xPlane = planarOf(X.layer, projection);
        const yPlane = planarOf(Y.layer, projection);
        boundary = {
          xy: boundaryCoincidence(xPlane, yPlane, { distance, internalTolerance }),
          yx: boundaryCoincidence(yPlane, xPlane, { distance, internalTolerance }),
        };
      }
      const t2 = performance.now();
      measuresMs += t1 - t0;
      boundaryMs += t2 - t1;
      pairs.push({ x: X.name, y: Y.name, measures, boundary, mostSplit: split, unitsSplitByBoth: table.unitsSplitByBoth });
      options.onProgress?.('measures', pairs.length, total);
    }
  }

  return {
    units: { name: units.name, source: units.source, count: units.areas.length, populationField: units.populationField!, population: totalPopulation },
    layers: scored,
    pairs,
    options: { sliverTolerance, coterminosityTolerance: tau, boundaryDistance: withBoundary ? distance : null, internalTolerance },
    timings: { crosswalkMs, measuresMs, boundaryMs },
  };
}

function formatShare(share: number): string {
  return `${Number((share * 100).toPrecision(6))}%`;
}

/** One measure of the pair (a, b) as seen from a: "a by b" / "a in b". */
export interface OrientedPair {
  pair: PairScore;
  /** True when a is the pair's x. */
  forward: boolean;
}

export function findPair(result: ScoreResult, a: string, b: string): OrientedPair | null {
  for (const pair of result.pairs) {
    if (pair.x === a && pair.y === b) return { pair, forward: true };
    if (pair.x === b && pair.y === a) return { pair, forward: false };
  }
  return null;
}

/** Pick the direction of a two-way measure: `a` by/in `b`. */
export function oriented<T>(both: Both<T>, forward: boolean): T {
  return forward ? both.xy : both.yx;
}

/** Names of every side of the matrix: the units first, then the layers. */
export function sideNames(result: ScoreResult): string[] {
  return [UNITS_NAME, ...result.layers.map((l) => l.name)];
}
