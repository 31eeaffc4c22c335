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
  const measures = [...unitMeasures, ...tableMeasures];

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
  return { measures, coverage, assets, resources, needWeights, needStated, need, resourceNeed, names: config.names ?? {}, notes };
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
}

function describe(m: UnitMeasure): string {
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

/** The evidence of one plan: per footprint and for the whole territory. Units with footprint −1 are in no footprint. */
export function planEvidence(
  inputs: EvidenceInputs,
  ctx: Omit<EvidenceContext, 'skip'>,
  assignment: ArrayLike<number>,
  footprintIds: string[],
): PlanEvidence {
  const k = footprintIds.length;
  const pop = ctx.populations;
  const columns = evidenceColumns(inputs);
  const sets: Array<(u: number) => boolean> = [...footprintIds.map((_, f) => (u: number) => assignment[u] === f), () => true];
  const sum = (values: ArrayLike<number>, member: (u: number) => boolean): number => {
    let s = 0;
    for (let u = 0; u < values.length; u++) if (member(u)) s += values[u];
    return s;
  };
  const weightedMean = (values: ArrayLike<number>, member: (u: number) => boolean): number | null => {
    let s = 0;
    let w = 0;
    for (let u = 0; u < values.length; u++) {
      if (!member(u) || Number.isNaN(values[u])) continue;
      s += values[u] * pop[u];
      w += pop[u];
    }
    return w > 0 ? s / w : null;
  };
  const people = sets.map((member) => sum(pop, member));
  const values: Array<Array<number | null>> = sets.map(() => []);
  const covered = new Map<string, number[]>();
  const needOf = (need: Float64Array) => sets.map((member) => sum(need, member));
  const resourceNeeds = inputs.resourceNeed.map(needOf);
  let resource = 0;
  for (const column of columns) {
    sets.forEach((member, i) => {
      const row = values[i];
      switch (column.kind) {
        case 'population':
          row.push(people[i]);
          break;
        case 'need':
          row.push(sum(inputs.need, member));
          break;
        case 'sites':
          row.push(sum(assetOf(inputs, column).count, member));
          break;
        case 'per10k': {
          const sites = sum(assetOf(inputs, column).count, member);
          row.push(people[i] > 0 ? (sites / people[i]) * 10_000 : null);
          break;
        }
        case 'distance':
          row.push(weightedMean(assetOf(inputs, column).distance, member));
          break;
        case 'sum':
        case 'mean':
        case 'share': {
          const m = inputs.measures.find((x) => x.column === column.name)!;
          const result = aggregate(m, pop, member);
          row.push(result.value);
          if (column.kind !== 'sum') {
            const list = covered.get(column.name) ?? [];
            list.push(result.covered);
            covered.set(column.name, list);
          }
          break;
        }
        case 'current':
          row.push(sum(inputs.resources[resource].perUnit, member));
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
  const comp = composition(layers, pop, assignment, k);
  const keptWhole = layers.findIndex((l) => l.keepWhole);
  const namingLayer = layers.length === 0 ? -1 : keptWhole >= 0 ? keptWhole : 0;
  const names = footprintNames(footprintIds, comp, Math.max(0, namingLayer), inputs.names);
  return { footprintIds, names, columns, rows: values.slice(0, k), total: values[k], covered, composition: comp, namingLayer };
}

function assetOf(inputs: EvidenceInputs, column: EvidenceColumn): AssetInput {
  return inputs.assets.find((a) => a.name === column.subject)!;
}
