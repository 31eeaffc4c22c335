import { FootprintError } from '../errors.js';
import { unitCounts, type UnitMeasure } from './measures.js';

/**
 * Need as a weighted population, so it is transparent and adds up: need(u) = Σ_k weight_k ·
 * count_k(u), where a count is `population`, a summed column (residents aged 65+) or the residents
 * of a unit counted by a share (residents in IMD deciles 1–2, `imd_decile_share`). A unit with no
 * value for a column adds nothing for it.
 */
export const DEFAULT_NEED: Record<string, number> = { population: 1 };

/** The count columns need can weigh: `population`, then every sum and share measure. */
export function needColumns(measures: UnitMeasure[]): string[] {
  return ['population', ...measures.filter((m) => m.aggregation.kind !== 'mean').map((m) => m.column)];
}

export function unitNeed(weights: Record<string, number>, measures: UnitMeasure[], population: ArrayLike<number>, what = 'need'): Float64Array {
  const need = new Float64Array(population.length);
  for (const [column, weight] of Object.entries(weights)) {
    if (!Number.isFinite(weight) || weight < 0) throw new FootprintError(`${what}: the weight of "${column}" must be a number ≥ 0, got ${weight}`);
    let counts: ArrayLike<number> | null;
    if (column === 'population') counts = population;
    else {
      const measure = measures.find((m) => m.column === column);
      if (!measure) throw new FootprintError(`${what}: no count column "${column}"; counts are ${needColumns(measures).join(', ')}`);
      counts = unitCounts(measure, population);
      if (!counts) throw new FootprintError(`${what}: "${column}" is a mean (a rate), not a count of people; weigh a summed column or a share (e.g. ${measure.field}_share)`);
    }
    for (let u = 0; u < need.length; u++) need[u] += weight * counts[u];
  }
  return need;
}

/**
 * A resource's fair share per footprint: the total times the footprint's share of all need. With
 * every unit in a footprint the fair shares add up to the total, so the gaps add up to zero.
 */
export function fairShares(total: number, needAll: number, needPerFootprint: number[]): number[] {
  return needPerFootprint.map((n) => (needAll > 0 ? (total * n) / needAll : 0));
}

/** `population × 1 + age_65_plus × 1.5`: the weights as a formula for the report. */
export function needFormula(weights: Record<string, number>): string {
  return Object.entries(weights)
    .map(([column, weight]) => `${weight} × ${column}`)
    .join(' + ');
}
