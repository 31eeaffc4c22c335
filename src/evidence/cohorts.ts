import { FootprintError } from '../errors.js';
import { inRange, unitCounts, type UnitMeasure } from './measures.js';
import { needColumns, unitNeed } from './need.js';
import type { CohortSpec } from './services-config.js';

/**
 * Cohorts: named tiers of need (universal, targeted, specialist) as people per unit, so a
 * footprint's tier is a sum over its units like any count. A tier is made one of three ways:
 *
 * - a rule: c(u) = rate × count(u) when every indicator of the rule lies in its range in unit u,
 *   else 0 (count: `population` or the column named by `of`);
 * - a territory total T shared by need: c(u) = T × need(u) / Σ_v need(v), need from `by`;
 * - the rest: c(u) = pop(u) − Σ other cohorts(u), so that with a rest tier the tiers add up to
 *   the residents in every unit, hence in every footprint.
 *
 * Cohorts are evaluated in the order given (the rest last), and a later cohort may count an
 * earlier one (`of: targeted`). Each becomes a summed measure named after it, which services use
 * as a demand driver and evidence.csv shows per footprint.
 */

/** A rest tier may dip below zero by rounding noise only; anything more is a mistake in the rules. */
const REST_TOLERANCE = 1e-6;

export function cohortMeasures(specs: CohortSpec[], measures: UnitMeasure[], populations: ArrayLike<number>, defaultNeed: Record<string, number>, unitIds: string[] = []): UnitMeasure[] {
  const n = populations.length;
  const taken = new Set(['population', 'need', ...measures.map((m) => m.column)]);
  const rests = specs.filter((s) => s.rest);
  if (rests.length > 1) throw new FootprintError(`evidence.cohorts: only one cohort can be the rest ("${rests.map((s) => s.name).join('", "')}")`);
  for (const spec of specs) {
    if (taken.has(spec.name)) throw new FootprintError(`cohort "${spec.name}": the name is already an evidence column; rename the cohort`);
    taken.add(spec.name);
  }
  const made = new Map<string, Float64Array>();
  const known = () => [...measures, ...[...made].map(([name, values]) => cohortMeasure(name, values))];
  for (const spec of specs) {
    if (spec.rest) continue;
    made.set(spec.name, spec.where !== undefined ? ruleValues(spec, known(), populations) : sharedValues(spec, known(), populations, defaultNeed));
  }
  if (rests.length === 1) {
    const spec = rests[0];
    const values = new Float64Array(n);
    for (let u = 0; u < n; u++) {
      let rest = populations[u];
      for (const other of made.values()) rest -= other[u];
      if (rest < -REST_TOLERANCE * Math.max(1, populations[u])) {
        throw new FootprintError(
          `cohort "${spec.name}" (the rest): the other cohorts hold ${(populations[u] - rest).toFixed(1)} people in unit ${unitIds[u] ?? u + 1}, more than its ${populations[u]} residents; lower their rates or totals`,
        );
      }
      values[u] = Math.max(0, rest);
    }
    made.set(spec.name, values);
  }
  // In the order given, so evidence.csv lists the tiers as the scenario does.
  return specs.map((s) => cohortMeasure(s.name, made.get(s.name)!));
}

function cohortMeasure(name: string, values: Float64Array): UnitMeasure {
  return { column: name, field: name, aggregation: { kind: 'sum' }, source: 'cohort', values };
}

function ruleValues(spec: CohortSpec, measures: UnitMeasure[], populations: ArrayLike<number>): Float64Array {
  const n = populations.length;
  const rate = spec.rate ?? 1;
  const conditions = Object.entries(spec.where!).map(([field, [lo, hi]]) => {
    if (lo > hi) throw new FootprintError(`cohort "${spec.name}", where.${field}: a range [low, high] needs low ≤ high, got [${lo}, ${hi}]`);
    const measure = measures.find((m) => m.field === field) ?? measures.find((m) => m.column === field);
    if (!measure) {
      const fields = [...new Set(measures.map((m) => m.field))];
      throw new FootprintError(`cohort "${spec.name}", where: no indicator "${field}" (indicators: ${fields.join(', ') || 'none'})`);
    }
    return { field, values: measure.values, lo, hi };
  });
  let counts: ArrayLike<number> = populations;
  if (spec.of !== undefined && spec.of !== 'population') {
    const measure = measures.find((m) => m.column === spec.of);
    const c = measure ? unitCounts(measure, populations) : null;
    if (!c) throw new FootprintError(`cohort "${spec.name}", of: "${spec.of}" is not a count column; counts are ${needColumns(measures).join(', ')}`);
    counts = c;
  }
  const values = new Float64Array(n);
  let matched = 0;
  for (let u = 0; u < n; u++) {
    if (!conditions.every((c) => !Number.isNaN(c.values[u]) && inRange(c.values[u], c))) continue;
    matched++;
    values[u] = rate * counts[u];
  }
  if (matched === 0 && n > 0) {
    const rule = conditions.map((c) => `${c.field} in [${c.lo}, ${c.hi}]`).join(' and ');
    throw new FootprintError(`cohort "${spec.name}", where: the rule ${rule} matches no unit`);
  }
  return values;
}

function sharedValues(spec: CohortSpec, measures: UnitMeasure[], populations: ArrayLike<number>, defaultNeed: Record<string, number>): Float64Array {
  const need = unitNeed(spec.by ?? defaultNeed, measures, populations, `cohort "${spec.name}", by`);
  let all = 0;
  for (const v of need) all += v;
  if (!(all > 0)) throw new FootprintError(`cohort "${spec.name}", by: need is zero in every unit, so the total ${spec.total} cannot be shared`);
  return Float64Array.from(need, (v) => (spec.total! * v) / all);
}
