import { FootprintError } from '../errors.js';
import type { Area } from '../layers/types.js';
import { defaultAggregation, measureColumn, type Aggregation } from './config.js';

/**
 * A per-unit indicator and how it adds up over a footprint: a count summed, a rate averaged with
 * population weights, or the share of residents in units whose value lies in a range. Values are
 * NaN where a unit has none; means and shares then use only the units with a value.
 */
export interface UnitMeasure {
  /** Output column: `field` (sum), `field_mean`, `field_share`. */
  column: string;
  field: string;
  aggregation: Aggregation;
  /** Where the values came from: `units` or a table file. */
  source: string;
  /** Per unit, NaN where missing. */
  values: Float64Array;
}

/** Per unit, the people a measure counts (for need): the value of a sum, the residents in range of a share. */
export function unitCounts(measure: UnitMeasure, population: ArrayLike<number>): Float64Array | null {
  const { aggregation, values } = measure;
  if (aggregation.kind === 'mean') return null;
  const out = new Float64Array(values.length);
  for (let u = 0; u < values.length; u++) {
    const v = values[u];
    if (Number.isNaN(v)) continue;
    out[u] = aggregation.kind === 'sum' ? v : inRange(v, aggregation) ? population[u] : 0;
  }
  return out;
}

export function inRange(value: number, share: { lo: number; hi: number }): boolean {
  return value >= share.lo && value <= share.hi;
}

export interface MeasureResult {
  /** The figure, or null when no unit of the set has a value. */
  value: number | null;
  /** Share of the set's residents living in units with a value (1 for complete data). */
  covered: number;
}

/**
 * A measure over a set of units (a footprint, or all units for the total): `units` with their
 * shares `weights` (1 for whole units; a crosswalk's w(u,a) for the areas of a layer). A footprint's
 * figure is its units' figures combined, each counted by its share.
 */
export function aggregate(measure: UnitMeasure, population: ArrayLike<number>, units: ArrayLike<number>, weights: ArrayLike<number>): MeasureResult {
  const { aggregation, values } = measure;
  let sum = 0;
  let weight = 0;
  let people = 0;
  let present = 0;
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    const share = weights[i];
    const pop = population[u] * share;
    people += pop;
    const v = values[u];
    if (Number.isNaN(v)) continue;
    present++;
    weight += pop;
    if (aggregation.kind === 'sum') sum += v * share;
    else if (aggregation.kind === 'mean') sum += v * pop;
    else if (inRange(v, aggregation)) sum += pop;
  }
  const covered = people > 0 ? weight / people : present > 0 ? 1 : 0;
  if (present === 0) return { value: null, covered };
  if (aggregation.kind === 'sum') return { value: sum, covered };
  return { value: weight > 0 ? sum / weight : null, covered };
}

export interface UnitPropertyOptions {
  mean: string[];
  exclude: string[];
  columns?: Record<string, Aggregation[]>;
  /** Fields never profiled: the unit id and population fields. */
  skip: string[];
}

/**
 * Measures from the units' own numeric properties (age bands, a deprivation decile): a property
 * numeric in at least half the units is used, so one that is numeric by accident is not. Counts
 * are summed; `mean` fields averaged; `_decile`/`_rank` fields get the share in deciles 1–2 unless
 * stated otherwise, because summing a rank means nothing.
 */
export function unitPropertyMeasures(units: Area[], options: UnitPropertyOptions): UnitMeasure[] {
  const skip = new Set([...options.exclude, ...options.skip]);
  const counts = new Map<string, number>();
  for (const unit of units) {
    for (const [key, value] of Object.entries(unit.properties)) {
      if (typeof value === 'number' && Number.isFinite(value)) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const stated = options.columns ?? {};
  const mean = new Set(options.mean);
  const fields = [...counts.entries()].filter(([field, count]) => !skip.has(field) && count * 2 >= units.length).map(([field]) => field);
  for (const field of [...options.mean, ...Object.keys(stated)]) if (!fields.includes(field) && !skip.has(field)) fields.push(field);
  const measures: UnitMeasure[] = [];
  for (const field of fields) {
    if (!units.some((u) => typeof u.properties[field] === 'number') && units.length > 0) {
      throw new FootprintError(`evidence: no unit has a numeric property "${field}" (given in ${stated[field] ? 'evidence.columns' : 'evidence.mean / --mean'})`);
    }
    const values = Float64Array.from(units, (unit) => {
      const v = unit.properties[field];
      return typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
    });
    const aggregations = stated[field] ?? [mean.has(field) ? { kind: 'mean' as const } : defaultAggregation(field)];
    for (const aggregation of aggregations) measures.push({ column: measureColumn(field, aggregation), field, aggregation, source: 'units', values });
  }
  return measures;
}
