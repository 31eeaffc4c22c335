import type { Crosswalk } from '../align/types.js';
import { FootprintError } from '../errors.js';
import type { Layer } from '../layers/types.js';
import { loadAsset, type AssetInput } from './assets.js';
import { composition, footprintNames, type LayerComposition } from './composition.js';
import type { EvidenceConfig } from './config.js';
import { aggregate, unitPropertyMeasures, type UnitMeasure } from './measures.js';
import { DEFAULT_NEED, fairShares, unitNeed } from './need.js';
import { loadResource, type ResourceInput } from './resources.js';
import { coverageNote, joinTable, type TableCoverage } from './tables.js';
import { cohortMeasures } from './cohorts.js';
import { assignmentMembership, setSum, territoryMembership, type Membership } from './membership.js';
import { loadServices, planServices, type ServiceInput, type ServiceResult } from './services.js';

/**
 * The evidence base of a run, read once: every input turned into per-unit figures (indicators,
 * sites and distances, resources, need), so that any plan's evidence is an aggregate over its
 * footprints' units. `planEvidence` does that aggregation for one plan.
 */
export interface EvidenceInputs {
  measures: UnitMeasure[];
  coverage: TableCoverage[];
  assets: AssetInput[];
  resources: ResourceInput[];
  /** Need weights, and whether the scenario stated them (else need is the population). */
  needWeights: Record<string, number>;
  needStated: boolean;
  /** Need per unit under the section's weights. */
  need: Float64Array;
  /** Need per unit for each resource (its own weights, or the section's). */
  resourceNeed: Float64Array[];
  names: Record<string, string>;
  /** Columns of `measures` that are cohorts (tiers of need), in the order given. */
  cohorts: string[];
  /** Services: demand per unit, capacity, today's posts (services.ts). */
  services: ServiceInput[];
  /** How inputs were read, for the report. */
  notes: string[];
}

export interface EvidenceContext {
  units: Layer;
  populations: ArrayLike<number>;
  layers: Array<{ name: string; layer: Layer; crosswalk: Crosswalk; keepWhole?: boolean }>;
  /** Unit fields that are not evidence: the id and population fields. */
  skip: string[];
}

export function loadEvidence(config: EvidenceConfig, ctx: EvidenceContext, onStage?: (stage: string) => void): EvidenceInputs {
  const { units, populations } = ctx;
  const notes: string[] = [];
  const coverage: TableCoverage[] = [];
  const tableMeasures: UnitMeasure[] = [];
  for (const spec of config.tables ?? []) {
    onStage?.(`joining ${spec.file}`);
    const joined = joinTable(spec, units.areas);
    coverage.push(joined.coverage);
    for (const m of joined.measures) {
      const twin = tableMeasures.find((t) => t.column === m.column);
      if (twin) throw new FootprintError(`column "${m.column}" comes from two tables (${twin.source} and ${m.source}); leave it out of one`, { location: { file: spec.file } });
      tableMeasures.push(m);
    }
    const note = coverageNote(joined.coverage);
    if (note) notes.push(note);
  }
  // A table column is asked for by name; a unit property of the same name steps aside.
  const fromTables = new Set(tableMeasures.map((m) => m.field));
  const shadowed = units.areas.length > 0 ? [...fromTables].filter((f) => units.areas.some((u) => typeof u.properties[f] === 'number')) : [];
  for (const field of shadowed) notes.push(`${field} is taken from ${tableMeasures.find((m) => m.field === field)!.source}, not from the units' own property of that name`);
  const unitMeasures = unitPropertyMeasures(units.areas, {
    mean: config.mean.filter((f) => !fromTables.has(f)),
    exclude: [...config.exclude, ...fromTables],
    columns: config.columns,
    skip: ctx.skip,
  });
  // `mean` (and --mean) also reaches table columns left to their default.
  for (const m of tableMeasures) {
    const statedHere = (config.tables ?? []).some((t) => t.file === m.source && t.columns?.[m.field]);
    if (!statedHere && config.mean.includes(m.field) && m.aggregation.kind !== 'mean') {
      m.aggregation = { kind: 'mean' };
      m.column = `${m.field}_mean`;
    }
  }
  const indicators = [...unitMeasures, ...tableMeasures];
  const cohorts = cohortMeasures(config.cohorts ?? [], indicators, populations, config.need ?? DEFAULT_NEED, units.areas.map((a) => a.id));
  const measures = [...indicators, ...cohorts];

  const assetSpecs = { ...Object.fromEntries(Object.entries(config.points).map(([name, file]) => [name, { file }])), ...(config.assets ?? {}) };
  const assets = Object.entries(assetSpecs).map(([name, spec]) => {
    onStage?.(`reading assets ${name}`);
    const asset = loadAsset(name, spec, units);
    if (asset.outside > 0) notes.push(`${name}: ${asset.outside} of ${asset.sites.length} site(s) lie outside every unit; they are not counted but are still the nearest site for some residents`);
    return asset;
  });
  const columns = new Set(['population', 'need', ...measures.map((m) => m.column)]);
  for (const a of assets) {
    for (const c of [a.name, `${a.name}_per_10k`, `${a.name}_distance_m`]) {
      if (columns.has(c)) throw new FootprintError(`evidence: the asset name "${a.name}" gives a column "${c}" that another piece of evidence already has; rename the asset`);
      columns.add(c);
    }
  }

  const needStated = config.need !== undefined;
  const needWeights = config.need ?? DEFAULT_NEED;
  const need = unitNeed(needWeights, measures, populations);
  const resources = (config.resources ?? []).map((spec) => {
    onStage?.(`apportioning ${spec.name}`);
    if (['current', 'fair', 'gap'].some((s) => columns.has(`${spec.name}_${s}`))) throw new FootprintError(`evidence: resource name "${spec.name}" is used twice`);
    for (const s of ['current', 'fair', 'gap']) columns.add(`${spec.name}_${s}`);
    return loadResource(spec, { units, populations, layers: ctx.layers, assets, need: needWeights });
  });
  const resourceNeed = resources.map((r) => (r.need === needWeights ? need : unitNeed(r.need, measures, populations, `resource "${r.name}" need`)));
  for (const r of resources) for (const n of r.notes) notes.push(`${r.name}: ${n}`);
  if ((config.services ?? []).length > 0) onStage?.('modelling services');
  const services = loadServices(config.services ?? [], measures, populations, { units, populations, layers: ctx.layers, assets, need: needWeights });
  for (const s of services) if (s.current?.kind === 'units') for (const n of s.current.notes) notes.push(`${s.name} (current): ${n}`);
  return { measures, coverage, assets, resources, needWeights, needStated, need, resourceNeed, names: config.names ?? {}, cohorts: cohorts.map((c) => c.column), services, notes };
}

export type ColumnKind = 'population' | 'need' | 'sites' | 'per10k' | 'distance' | 'sum' | 'mean' | 'share' | 'current' | 'fair' | 'gap';

export interface EvidenceColumn {
  /** Column name in evidence.csv and footprints.geojson. */
  name: string;
  kind: ColumnKind;
  /** The asset, indicator field or resource the column is about. */
  subject: string;
  /** A readable description with its unit, for reports. */
  label: string;
}

export interface PlanEvidence {
  footprintIds: string[];
  names: string[];
  columns: EvidenceColumn[];
  /** Per footprint, a value per column (null: no unit of the footprint has a value). */
  rows: Array<Array<number | null>>;
  /** The whole territory, a value per column. */
  total: Array<number | null>;
  /** For means and shares: per footprint (then the total last), the share of residents in units with a value. */
  covered: Map<string, number[]>;
  composition: LayerComposition[];
  /** Index of the layer names were taken from (first kept-whole, else first), or −1. */
  namingLayer: number;
  /** What each footprint needs, per service (empty when the scenario declares none). */
  services: ServiceResult[];
}

function describe(m: UnitMeasure): string {
  if (m.source === 'cohort') return `${m.field}: residents in the tier (cohort)`;
  if (m.aggregation.kind === 'sum') return `${m.field} (count, summed)`;
  if (m.aggregation.kind === 'mean') return `${m.field} (population-weighted mean)`;
  const { lo, hi } = m.aggregation;
  return `residents in units with ${m.field} ${lo === hi ? lo : `${lo}–${hi}`} (%)`;
}

export function evidenceColumns(inputs: EvidenceInputs): EvidenceColumn[] {
  const columns: EvidenceColumn[] = [{ name: 'population', kind: 'population', subject: 'population', label: 'residents' }];
  if (inputs.needStated || inputs.resources.length > 0) columns.push({ name: 'need', kind: 'need', subject: 'need', label: 'need (weighted residents)' });
  for (const a of inputs.assets) {
    columns.push({ name: a.name, kind: 'sites', subject: a.name, label: `${a.name}: sites` });
    columns.push({ name: `${a.name}_per_10k`, kind: 'per10k', subject: a.name, label: `${a.name}: sites per 10,000 residents` });
    columns.push({ name: `${a.name}_distance_m`, kind: 'distance', subject: a.name, label: `${a.name}: mean distance to nearest site (m)` });
  }
  for (const m of inputs.measures) columns.push({ name: m.column, kind: m.aggregation.kind, subject: m.field, label: describe(m) });
  for (const r of inputs.resources) {
    columns.push({ name: `${r.name}_current`, kind: 'current', subject: r.name, label: `${r.name}: current` });
    columns.push({ name: `${r.name}_fair`, kind: 'fair', subject: r.name, label: `${r.name}: fair share by need` });
    columns.push({ name: `${r.name}_gap`, kind: 'gap', subject: r.name, label: `${r.name}: gap (current − fair)` });
  }
  return columns;
}

/**
 * The evidence of one plan: per footprint and for the whole territory. `plan` is a unit assignment
 * (units with footprint −1 are in no footprint) or a membership with shares of units (the areas of
 * a layer as if they were footprints; membership.ts).
 */
export function planEvidence(
  inputs: EvidenceInputs,
  ctx: Omit<EvidenceContext, 'skip'>,
  plan: ArrayLike<number> | Membership,
  footprintIds: string[],
): PlanEvidence {
  const k = footprintIds.length;
  const pop = ctx.populations;
  const columns = evidenceColumns(inputs);
  const membership = isMembership(plan) ? plan : assignmentMembership(plan, k);
  const sets = [...membership.units.map((units, f) => ({ units, weights: membership.weights[f] })), territoryMembership(pop.length)];
  type UnitSet = (typeof sets)[number];
  const sum = (values: ArrayLike<number>, set: UnitSet): number => setSum(values, set.units, set.weights);
  const weightedMean = (values: ArrayLike<number>, set: UnitSet): number | null => {
    let s = 0;
    let w = 0;
    for (let i = 0; i < set.units.length; i++) {
      const u = set.units[i];
      if (Number.isNaN(values[u])) continue;
      s += values[u] * pop[u] * set.weights[i];
      w += pop[u] * set.weights[i];
    }
    return w > 0 ? s / w : null;
  };
  const people = sets.map((set) => sum(pop, set));
  const values: Array<Array<number | null>> = sets.map(() => []);
  const covered = new Map<string, number[]>();
  const needOf = (need: Float64Array) => sets.map((set) => sum(need, set));
  const resourceNeeds = inputs.resourceNeed.map(needOf);
  let resource = 0;
  for (const column of columns) {
    sets.forEach((set, i) => {
      const row = values[i];
      switch (column.kind) {
        case 'population':
          row.push(people[i]);
          break;
        case 'need':
          row.push(sum(inputs.need, set));
          break;
        case 'sites':
          row.push(sum(assetOf(inputs, column).count, set));
          break;
        case 'per10k': {
          const sites = sum(assetOf(inputs, column).count, set);
          row.push(people[i] > 0 ? (sites / people[i]) * 10_000 : null);
          break;
        }
        case 'distance':
          row.push(weightedMean(assetOf(inputs, column).distance, set));
          break;
        case 'sum':
        case 'mean':
        case 'share': {
          const m = inputs.measures.find((x) => x.column === column.name)!;
          const result = aggregate(m, pop, set.units, set.weights);
          row.push(result.value);
          if (column.kind !== 'sum') {
            const list = covered.get(column.name) ?? [];
            list.push(result.covered);
            covered.set(column.name, list);
          }
          break;
        }
        case 'current':
          row.push(sum(inputs.resources[resource].perUnit, set));
          break;
        case 'fair': {
          const r = inputs.resources[resource];
          const needs = resourceNeeds[resource];
          row.push(fairShares(r.total, needs[k], [needs[i]])[0]);
          break;
        }
        case 'gap': {
          const n = row.length;
          row.push((row[n - 2] ?? 0) - (row[n - 1] ?? 0));
          break;
        }
      }
    });
    if (column.kind === 'gap') resource++;
  }
  const layers = ctx.layers;
  const comp = composition(layers, pop, membership);
  const keptWhole = layers.findIndex((l) => l.keepWhole);
  const namingLayer = layers.length === 0 ? -1 : keptWhole >= 0 ? keptWhole : 0;
  const names = footprintNames(footprintIds, comp, Math.max(0, namingLayer), inputs.names);
  const services = planServices(inputs.services ?? [], membership, footprintIds);
  return { footprintIds, names, columns, rows: values.slice(0, k), total: values[k], covered, composition: comp, namingLayer, services };
}

function isMembership(plan: ArrayLike<number> | Membership): plan is Membership {
  return (plan as Membership).units !== undefined && (plan as Membership).weights !== undefined;
}

function assetOf(inputs: EvidenceInputs, column: EvidenceColumn): AssetInput {
  return inputs.assets.find((a) => a.name === column.subject)!;
}
