import { FootprintError } from '../errors.js';
import { cellNumber, cellText, readTable, requireColumn, rowLocation, type Table, type TableRow } from '../io/table.js';
import type { Area } from '../layers/types.js';
import { defaultAggregation, measureColumn, type Aggregation, type TableSpec } from './config.js';
import type { UnitMeasure } from './measures.js';

/** How well a table's codes meet the units: the figures every table note is made of. */
export interface TableCoverage {
  file: string;
  key: string;
  units: number;
  /** Units with a row. */
  matched: number;
  /** Ids of units with no row, in unit order. */
  unmatchedUnits: string[];
  /** Rows whose code is no unit's. */
  unmatchedRows: number;
}

/** Below this share of units with a row, a table is refused: it is probably keyed by other codes. */
export const MIN_TABLE_COVERAGE = 0.5;

export interface JoinedTable {
  measures: UnitMeasure[];
  coverage: TableCoverage;
}

/**
 * Join a table of per-unit indicators (deprivation domains, contacts, registrations, volunteer
 * groups) to the units by code. One row per code; cells must be numbers or empty (empty: the unit
 * has no value, and means and shares leave it out).
 */
export function joinTable(spec: TableSpec, units: Area[]): JoinedTable {
  const table = readTable(spec.file);
  const key = requireColumn(table, spec.key, 'key column, holding unit codes');
  const columns = chooseColumns(table, key, spec.columns);
  const rowOf = new Map<string, TableRow>();
  for (const row of table.rows) {
    const code = cellText(row.cells[key]);
    if (code === null) throw new FootprintError('the unit code is empty', { location: rowLocation(table, row, key) });
    const earlier = rowOf.get(code);
    if (earlier) throw new FootprintError(`unit code "${code}" appears twice (also ${earlier.where})`, { location: rowLocation(table, row, key) });
    rowOf.set(code, row);
  }
  const unitIds = new Set(units.map((u) => u.id));
  const unmatchedRows = [...rowOf.keys()].filter((code) => !unitIds.has(code)).length;
  const unmatchedUnits = units.filter((u) => !rowOf.has(u.id)).map((u) => u.id);
  const coverage: TableCoverage = { file: table.file, key, units: units.length, matched: units.length - unmatchedUnits.length, unmatchedUnits, unmatchedRows };
  if (units.length > 0 && coverage.matched < MIN_TABLE_COVERAGE * units.length) {
    throw new FootprintError(
      `column "${key}" matches only ${coverage.matched} of ${units.length} units (under ${MIN_TABLE_COVERAGE * 100}%): no row for ${listIds(unmatchedUnits)}; ${unmatchedRows} row(s) match no unit. Are the codes of the same year as the units'?`,
      { location: { file: table.file, field: key } },
    );
  }
  const measures: UnitMeasure[] = [];
  for (const [column, aggregations] of columns) {
    const values = Float64Array.from(units, (unit) => {
      const row = rowOf.get(unit.id);
      if (!row) return Number.NaN;
      const value = cellNumber(row.cells[column]);
      if (value === null) return Number.NaN;
      if (Number.isNaN(value)) throw new FootprintError(`"${String(row.cells[column])}" is not a number`, { location: rowLocation(table, row, column) });
      return value;
    });
    for (const aggregation of aggregations) measures.push({ column: measureColumn(column, aggregation), field: column, aggregation, source: table.file, values });
  }
  return { measures, coverage };
}

/** `first, second, … (and N more)`: the first ten ids of a list, as messages show them. */
export function listIds(ids: string[], shown = 10): string {
  return ids.length <= shown ? ids.join(', ') : `${ids.slice(0, shown).join(', ')} and ${ids.length - shown} more`;
}

function chooseColumns(table: Table, key: string, stated: TableSpec['columns']): Array<[string, Aggregation[]]> {
  if (stated) {
    return Object.entries(stated).map(([column, aggregations]) => {
      requireColumn(table, column, 'column named in evidence.tables');
      if (column === key) throw new FootprintError(`column "${column}" is the key; it cannot also be a measure`, { location: { file: table.file } });
      return [column, aggregations ?? [defaultAggregation(column)]];
    });
  }
  // Every column with numbers in it; one with text (a name, a code) is not an indicator.
  return table.columns
    .filter((c) => c !== key && table.rows.some((r) => cellNumber(r.cells[c]) !== null) && table.rows.every((r) => !Number.isNaN(cellNumber(r.cells[c]))))
    .map((c) => [c, [defaultAggregation(c)]]);
}

/** A coverage note for the report, or null when every unit has a row and every row a unit. */
export function coverageNote(c: TableCoverage): string | null {
  if (c.unmatchedUnits.length === 0 && c.unmatchedRows === 0) return null;
  const parts: string[] = [];
  if (c.unmatchedUnits.length > 0) parts.push(`${c.unmatchedUnits.length} of ${c.units} units have no row (${listIds(c.unmatchedUnits)})`);
  if (c.unmatchedRows > 0) parts.push(`${c.unmatchedRows} row(s) match no unit`);
  return `${c.file} (key ${c.key}): ${parts.join('; ')}; coverage ${((c.matched / Math.max(1, c.units)) * 100).toFixed(1)}%`;
}
