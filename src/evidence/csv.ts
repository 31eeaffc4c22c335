import { formatCsv } from '../io/csv.js';
import type { ColumnKind, PlanEvidence } from './evidence.js';

/** Decimals each kind of figure is written with: enough to recompute, never float noise. */
const DECIMALS: Record<ColumnKind, number> = {
  population: 2,
  need: 2,
  sites: 0,
  per10k: 2,
  distance: 0,
  sum: 2,
  mean: 4,
  share: 4,
  current: 2,
  fair: 2,
  gap: 2,
};

/** A figure as written in evidence.csv and footprints.geojson: rounded, no "-0", null stays null. */
export function roundEvidence(kind: ColumnKind, value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const scale = 10 ** DECIMALS[kind];
  const rounded = Math.round(value * scale) / scale;
  return rounded === 0 ? 0 : rounded;
}

/**
 * evidence.csv: one row per footprint (ids as in assignment.csv) and a last row `total`, columns
 * `footprint`, `name`, then every evidence column (see evidenceColumns for the order).
 */
export function evidenceCsv(evidence: PlanEvidence): string {
  const header = ['footprint', 'name', ...evidence.columns.map((c) => c.name)];
  const cells = (row: Array<number | null>) => row.map((v, j) => roundEvidence(evidence.columns[j].kind, v) ?? '');
  const rows = evidence.rows.map((row, f) => [evidence.footprintIds[f], evidence.names[f], ...cells(row)]);
  rows.push(['total', 'total', ...cells(evidence.total)]);
  return formatCsv(header, rows);
}

/** The evidence of footprint f as properties (for footprints.geojson and compare.json). */
export function evidenceProperties(evidence: PlanEvidence, f: number | 'total'): Record<string, number | null> {
  const row = f === 'total' ? evidence.total : evidence.rows[f];
  return Object.fromEntries(evidence.columns.map((c, j) => [c.name, roundEvidence(c.kind, row[j])]));
}
