import type { Crosswalk } from '../align/types.js';
import { FootprintError } from '../errors.js';
import { cellNumber, cellText, readTable, requireColumn, rowLocation, type TableRow } from '../io/table.js';
import type { Layer } from '../layers/types.js';
import type { ResourceSpec } from './config.js';
import type { AssetInput } from './assets.js';
import { listIds } from './tables.js';

/**
 * Today's resources (district team staff, GP FTE, a neighbourhood budget) spread to the units:
 * an area's amount is shared among its units by the residents each holds, p(u,a) / N(a) with
 * p(u,a) = pop(u)·w(u,a); a site's amount stays in the unit holding the site. A footprint's current
 * resource is then the sum over its units, and the footprints' figures add up to the total.
 */
export interface ResourceInput {
  name: string;
  /** Where the amounts came from, for the report. */
  source: string;
  /** Per unit share of the resource. */
  perUnit: Float64Array;
  /** What was apportioned (Σ perUnit). */
  total: number;
  /** Need weights for the fair share. */
  need: Record<string, number>;
  /** What could not be apportioned, and why; for the report. */
  notes: string[];
}

export interface ResourceContext {
  units: Layer;
  populations: ArrayLike<number>;
  /** Service layers by name, with their crosswalks. */
  layers: Array<{ name: string; layer: Layer; crosswalk: Crosswalk }>;
  assets: AssetInput[];
  need: Record<string, number>;
}

/** Below this share of areas with a row, a resource table is refused. */
const MIN_AREA_COVERAGE = 0.5;

export function loadResource(spec: ResourceSpec, ctx: ResourceContext): ResourceInput {
  const need = spec.need ?? ctx.need;
  if (spec.layer !== undefined) return areaResource(spec, spec.layer, ctx, need);
  return siteResource(spec, ctx, need);
}

function amountOf(file: string, row: TableRow, column: string, location: ReturnType<typeof rowLocation>): number {
  const value = cellNumber(row.cells[column]);
  if (value === null) throw new FootprintError('the amount is empty (write 0 for none)', { location });
  if (Number.isNaN(value)) throw new FootprintError(`"${String(row.cells[column])}" is not a number`, { location });
  if (value < 0) throw new FootprintError(`the amount ${value} is negative`, { location });
  return value;
}

export function readAmounts(spec: Pick<ResourceSpec, 'name' | 'amount'>, file: string, keyColumn: string, role: string): Map<string, { amount: number; where: string }> {
  const table = readTable(file);
  const key = requireColumn(table, keyColumn, role);
  const amount = requireColumn(table, spec.amount, `amount of resource "${spec.name}"`);
  const amounts = new Map<string, { amount: number; where: string }>();
  for (const row of table.rows) {
    const code = cellText(row.cells[key]);
    if (code === null) throw new FootprintError('the key is empty', { location: rowLocation(table, row, key) });
    const value = amountOf(table.file, row, amount, rowLocation(table, row, amount));
    const earlier = amounts.get(code);
    if (earlier) throw new FootprintError(`"${code}" appears twice (also ${earlier.where})`, { location: rowLocation(table, row, key) });
    amounts.set(code, { amount: value, where: row.where });
  }
  return amounts;
}

function areaResource(spec: ResourceSpec, layerName: string, ctx: ResourceContext, need: Record<string, number>): ResourceInput {
  const file = spec.file!;
  const amounts = readAmounts(spec, file, spec.key!, `key naming the ${layerName} areas`);
  const notes: string[] = [];
  const perUnit = new Float64Array(ctx.units.areas.length);
  if (layerName === 'units') {
    const unmatchedRows = [...amounts.keys()].filter((code) => !ctx.units.areas.some((a) => a.id === code));
    const missing = ctx.units.areas.filter((a) => !amounts.has(a.id)).map((a) => a.id);
    checkCoverage(file, spec, ctx.units.areas.length, missing, unmatchedRows, notes);
    ctx.units.areas.forEach((a, u) => (perUnit[u] = amounts.get(a.id)?.amount ?? 0));
    return finish(spec, file, perUnit, need, notes);
  }
  const run = ctx.layers.find((l) => l.name === layerName);
  if (!run) {
    throw new FootprintError(`resource "${spec.name}": no layer named "${layerName}" (layers: ${['units', ...ctx.layers.map((l) => l.name)].join(', ')})`);
  }
  const { layer, crosswalk: cw } = run;
  const areaIndex = new Map<string, number>(cw.areaIds.map((id, a) => [id, a]));
  const unmatchedRows = [...amounts.keys()].filter((code) => !areaIndex.has(code));
  const missing = cw.areaIds.filter((id) => !amounts.has(id));
  checkCoverage(file, spec, cw.areaIds.length, missing, unmatchedRows, notes, layer);
  // N(a): residents of each area through the units; an area with none cannot pass its amount on.
  const residents = new Float64Array(cw.areaIds.length);
  for (let u = 0; u < cw.unitIds.length; u++) {
    for (let p = cw.start[u]; p < cw.start[u + 1]; p++) residents[cw.area[p]] += ctx.populations[u] * cw.weight[p];
  }
  const amount = Float64Array.from(cw.areaIds, (id) => amounts.get(id)?.amount ?? 0);
  for (let u = 0; u < cw.unitIds.length; u++) {
    for (let p = cw.start[u]; p < cw.start[u + 1]; p++) {
      const a = cw.area[p];
      if (residents[a] > 0) perUnit[u] += (amount[a] * ctx.populations[u] * cw.weight[p]) / residents[a];
    }
  }
  const stranded = cw.areaIds.filter((_, a) => residents[a] <= 0 && amount[a] > 0);
  if (stranded.length > 0) {
    const lost = stranded.reduce((s, id) => s + amount[areaIndex.get(id)!], 0);
    notes.push(`${stranded.length} ${layerName} area(s) with an amount have no residents in the units (${listIds(stranded)}); their ${round(lost)} is not apportioned`);
  }
  return finish(spec, file, perUnit, need, notes);
}

function checkCoverage(file: string, spec: ResourceSpec, areas: number, missing: string[], unmatchedRows: string[], notes: string[], layer?: Layer): void {
  const what = spec.layer ?? 'units';
  const label = (id: string) => {
    const area = layer?.areas.find((a) => a.id === id);
    return area?.name && area.name !== id ? `${area.name} (${id})` : id;
  };
  if (areas > 0 && areas - missing.length < MIN_AREA_COVERAGE * areas) {
    throw new FootprintError(
      `column "${spec.key}" matches only ${areas - missing.length} of ${areas} ${what} areas (no row for ${listIds(missing.map(label))}; ${unmatchedRows.length} row(s) match none, e.g. ${listIds(unmatchedRows, 3) || '–'})`,
      { location: { file, field: spec.key } },
    );
  }
  if (missing.length > 0) notes.push(`${missing.length} of ${areas} ${what} areas have no row and count as 0 (${listIds(missing.map(label))})`);
  if (unmatchedRows.length > 0) notes.push(`${unmatchedRows.length} row(s) match no ${what} area and are not counted (${listIds(unmatchedRows)})`);
}

function siteResource(spec: ResourceSpec, ctx: ResourceContext, need: Record<string, number>): ResourceInput {
  const asset = ctx.assets.find((a) => a.name === spec.asset);
  if (!asset) throw new FootprintError(`resource "${spec.name}": no asset layer named "${spec.asset}" (assets: ${ctx.assets.map((a) => a.name).join(', ') || 'none'})`);
  const notes: string[] = [];
  // Amount of each source feature: from a table joined on a feature field, or the feature's own field.
  const featureAmount = new Float64Array(asset.features.length);
  let source = asset.file;
  if (spec.file !== undefined) {
    source = spec.file;
    const amounts = readAmounts(spec, spec.file, spec.key!, `key naming the ${spec.asset} sites`);
    const field = spec.match ?? spec.key!;
    if (!asset.features.some((f) => f.properties[field] !== undefined)) {
      throw new FootprintError(`no feature has the field "${field}" to match column "${spec.key}" of ${spec.file} (set "match")`, { location: { file: asset.file, field } });
    }
    // A site's amount is given once, however many of its buildings carry the code.
    const used = new Set<string>();
    for (const site of asset.sites) {
      for (const i of site.features) {
        const code = cellText(asset.features[i].properties[field] as string | number | null | undefined ?? null);
        if (code === null || used.has(code) || !amounts.has(code)) continue;
        used.add(code);
        featureAmount[i] = amounts.get(code)!.amount;
      }
    }
    const unmatched = [...amounts.keys()].filter((code) => !used.has(code));
    if (unmatched.length > 0) notes.push(`${unmatched.length} row(s) match no ${spec.asset} site and are not counted (${listIds(unmatched)})`);
  } else {
    asset.features.forEach((f, i) => {
      const value = f.properties[spec.amount];
      if (value === null || value === undefined || value === '') return;
      const n = typeof value === 'number' ? value : cellNumber(String(value));
      if (n === null) return;
      if (Number.isNaN(n) || n < 0) throw new FootprintError(`"${String(value)}" is not an amount (a number ≥ 0)`, { location: { file: asset.file, feature: i, field: spec.amount } });
      featureAmount[i] = n;
    });
    if (!asset.features.some((f) => f.properties[spec.amount] !== undefined)) {
      throw new FootprintError(`no feature has the field "${spec.amount}" (the amount of resource "${spec.name}")`, { location: { file: asset.file, field: spec.amount } });
    }
  }
  const perUnit = new Float64Array(ctx.units.areas.length);
  let lost = 0;
  asset.sites.forEach((site, s) => {
    const amount = site.features.reduce((sum, i) => sum + featureAmount[i], 0);
    if (asset.siteUnit[s] >= 0) perUnit[asset.siteUnit[s]] += amount;
    else lost += amount;
  });
  if (lost > 0) notes.push(`${round(lost)} at ${spec.asset} sites outside every unit is not counted`);
  return finish(spec, source, perUnit, need, notes);
}

function finish(spec: ResourceSpec, source: string, perUnit: Float64Array, need: Record<string, number>, notes: string[]): ResourceInput {
  let total = 0;
  for (const v of perUnit) total += v;
  return { name: spec.name, source, perUnit, total, need, notes };
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
