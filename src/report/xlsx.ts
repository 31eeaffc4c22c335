import type { PlanEvidence } from '../evidence/evidence.js';
import { roundEvidence } from '../evidence/csv.js';
import { SERVICES_COLUMNS, servicesRows } from '../evidence/services-csv.js';

/**
 * evidence.xlsx: the plan's tables as a workbook a Board's analysts open in Excel, one sheet per
 * table, numbers as number cells (so they sum and sort) and names as text cells (never a formula:
 * a name starting with "=" stays text, as in the CSV files). Written with exceljs.
 *
 * Deterministic: the workbook's created/modified dates and every zip entry's timestamp are fixed,
 * so the same plan gives the same bytes.
 */

/** A column of a sheet: its header and how its cells are shown. */
export interface SheetColumn {
  name: string;
  /** text (the default for strings), integer, decimal (2 places), share (a fraction shown as %). */
  format?: 'text' | 'integer' | 'decimal' | 'share';
}

/** One table of the workbook: any module's table fits (evidence, composition, services…). */
export interface SheetTable {
  /** Sheet name: at most 31 characters, none of []:*?/\ (Excel's rules; clipped and replaced here). */
  name: string;
  columns: SheetColumn[];
  rows: Array<Array<string | number | null>>;
}

/** The timestamp written into the workbook and its zip entries (the DOS epoch, 1980-01-01). */
const FIXED_DATE = new Date(Date.UTC(1980, 0, 1));

const NUMBER_FORMATS: Record<NonNullable<SheetColumn['format']>, string | undefined> = {
  text: '@',
  integer: '#,##0',
  decimal: '#,##0.00',
  share: '0.0%',
};

/** Excel's sheet-name rules: ≤ 31 characters, no []:*?/\, unique in the workbook. */
function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'sheet';
  let chosen = base;
  for (let i = 2; taken.has(chosen.toLowerCase()); i++) chosen = `${base.slice(0, 31 - String(i).length - 1)}_${i}`;
  taken.add(chosen.toLowerCase());
  return chosen;
}

/** Build the workbook's bytes. exceljs is loaded only here, when a workbook is written. */
export async function workbookBytes(tables: SheetTable[]): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'footprint';
  workbook.created = FIXED_DATE;
  workbook.modified = FIXED_DATE;
  const taken = new Set<string>();
  for (const table of tables) {
    const sheet = workbook.addWorksheet(sheetName(table.name, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.columns.map((c) => ({ header: c.name, key: c.name, width: Math.min(40, Math.max(10, c.name.length + 2)) }));
    sheet.getRow(1).font = { bold: true };
    for (const row of table.rows) {
      const added = sheet.addRow([]);
      row.forEach((value, j) => {
        const cell = added.getCell(j + 1);
        // A string is set as a plain value: exceljs writes it as a shared or inline string, never a
        // formula (formulas are objects with a `formula` key, which nothing here makes).
        cell.value = value === null ? null : typeof value === 'number' ? (Number.isFinite(value) ? value : null) : String(value);
        const format = NUMBER_FORMATS[table.columns[j]?.format ?? (typeof value === 'number' ? 'decimal' : 'text')];
        if (format && typeof value === 'number') cell.numFmt = format;
      });
    }
    for (const [j, c] of table.columns.entries()) {
      if (c.format === 'text' || c.format === undefined) {
        const longest = Math.max(c.name.length, ...table.rows.map((r) => (typeof r[j] === 'string' ? (r[j] as string).length : 0)));
        sheet.getColumn(j + 1).width = Math.min(50, Math.max(10, longest + 2));
      }
    }
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return fixZipTimestamps(new Uint8Array(buffer as ArrayBuffer));
}

/**
 * Set every entry's modification time in a zip file to the DOS epoch (time 0, date 1980-01-01),
 * in both the central directory and the local headers. The zip format (APPNOTE.TXT §4.3.7, §4.3.12)
 * keeps the time at offset 10/12 of a local header and 12/14 of a central-directory header; the
 * CRCs cover only the data, so nothing else changes.
 */
export function fixZipTimestamps(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('workbook is not a zip file (no end of central directory)');
  const entries = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const dosDate = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  for (let e = 0; e < entries; e++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error('workbook zip: bad central directory');
    view.setUint16(at + 12, 0, true);
    view.setUint16(at + 14, dosDate, true);
    const local = view.getUint32(at + 42, true);
    if (view.getUint32(local, true) === 0x04034b50) {
      view.setUint16(local + 10, 0, true);
      view.setUint16(local + 12, dosDate, true);
    }
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return bytes;
}

/** The evidence table as a sheet: the numbers of evidence.csv (same rounding), total last. */
export function evidenceSheet(evidence: PlanEvidence): SheetTable {
  // Shown rounded as people read them; the cells hold evidence.csv's values.
  const format = (kind: string): SheetColumn['format'] => (kind === 'share' ? 'share' : kind === 'sites' || kind === 'distance' || kind === 'population' ? 'integer' : 'decimal');
  const cells = (row: Array<number | null>) => row.map((v, j) => roundEvidence(evidence.columns[j].kind, v));
  return {
    name: 'evidence',
    columns: [{ name: 'footprint', format: 'text' }, { name: 'name', format: 'text' }, ...evidence.columns.map((c) => ({ name: c.name, format: format(c.kind) }))],
    rows: [...evidence.rows.map((row, f) => [evidence.footprintIds[f], evidence.names[f], ...cells(row)]), ['total', 'total', ...cells(evidence.total)]],
  };
}

/** What each footprint is made of, one row per footprint and area of each layer. */
export function compositionSheet(evidence: PlanEvidence): SheetTable {
  const rows: Array<Array<string | number | null>> = [];
  for (const layer of evidence.composition) {
    layer.footprints.forEach((parts, f) => {
      for (const part of parts) rows.push([layer.layer, evidence.footprintIds[f], evidence.names[f], part.id, part.name, Math.round(part.residents * 100) / 100, Math.round(part.share * 1e6) / 1e6]);
    });
  }
  return {
    name: 'composition',
    columns: [
      { name: 'layer', format: 'text' },
      { name: 'footprint', format: 'text' },
      { name: 'footprint_name', format: 'text' },
      { name: 'area', format: 'text' },
      { name: 'area_name', format: 'text' },
      { name: 'residents', format: 'decimal' },
      { name: 'share_of_area', format: 'share' },
    ],
    rows,
  };
}

/** The services table as a sheet: the rows of services.csv, posts and demand as numbers. */
export function servicesSheet(evidence: PlanEvidence): SheetTable {
  return {
    name: 'services',
    columns: SERVICES_COLUMNS.map((name, j) => ({ name, format: j < 4 ? ('text' as const) : ('decimal' as const) })),
    rows: servicesRows(evidence).map((row) => row.map((v, j) => (j >= 4 && v === '' ? null : v))),
  };
}
