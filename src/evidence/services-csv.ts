import { formatCsv } from '../io/csv.js';
import type { PlanEvidence } from './evidence.js';
import type { ServiceRow } from './services.js';

/** Figures as written in services.csv and JSON: demand and today's posts to 2 decimals, posts as rounded. */
function round2(value: number | null): number | string {
  if (value === null || !Number.isFinite(value)) return '';
  const r = Math.round(value * 100) / 100;
  return r === 0 ? 0 : r;
}

export const SERVICES_COLUMNS = ['footprint', 'name', 'service', 'team', 'demand', 'required_low', 'required', 'required_high', 'current', 'gap'] as const;

function cells(row: ServiceRow): Array<number | string> {
  return [round2(row.demand), round2(row.low), round2(row.required), round2(row.high), round2(row.current), round2(row.gap)];
}

/**
 * The rows of services.csv (and of the workbook's services sheet): per service, one row per footprint
 * (ids as in assignment.csv, or area codes for `evidence --areas`) and a row whose footprint is
 * `total`; an empty figure ('') where a service has no figure for today's posts.
 */
export function servicesRows(evidence: PlanEvidence): Array<Array<string | number>> {
  const rows: Array<Array<string | number>> = [];
  for (const s of evidence.services) {
    s.rows.forEach((row, f) => rows.push([evidence.footprintIds[f], evidence.names[f], s.name, s.team, ...cells(row)]));
    rows.push(['total', 'total', s.name, s.team, ...cells(s.total)]);
  }
  return rows;
}

/** services.csv. Every cell goes through csvCell, so a name that looks like a formula stays text. */
export function servicesCsv(evidence: PlanEvidence): string {
  return formatCsv([...SERVICES_COLUMNS], servicesRows(evidence));
}

/** The services of a plan as JSON (the CLI's --json and compare.json). */
export function servicesJson(evidence: PlanEvidence): Array<Record<string, unknown>> {
  return evidence.services.map((s) => ({
    service: s.name,
    team: s.team,
    minimumsRaised: s.minimumsRaised,
    footprints: s.rows.map((row, f) => ({ footprint: evidence.footprintIds[f], name: evidence.names[f], ...rowJson(row) })),
    total: rowJson(s.total),
  }));
}

function rowJson(row: ServiceRow): Record<string, number | null> {
  const n = (v: number | null) => (v === null ? null : Number(round2(v)));
  return { demand: n(row.demand), requiredExact: row.exact, requiredLow: n(row.low), required: n(row.required), requiredHigh: n(row.high), current: n(row.current), gap: n(row.gap) };
}
