import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CsvError } from 'csv-parse';
import { FootprintError, type ErrorLocation } from '../errors.js';
import { parseJsonText, readInputText } from './input.js';
import { inputNotice } from './notices.js';

/**
 * A table as services publish them (a lookup, registrations per unit, a deprivation index): CSV or
 * JSON, read into rows of cells keyed by column name, each row remembering where it came from so
 * every message can name it ("lookup.csv:14, column "district"").
 */
export type Cell = string | number | boolean | null;

export interface TableRow {
  /** Where the row is, for messages: `line 14` for CSV, `row 3` (0-based index) for JSON. */
  where: string;
  /** CSV: the 1-based line the row starts on. JSON: the 0-based index. */
  position: number;
  cells: Record<string, Cell>;
}

export interface Table {
  file: string;
  columns: string[];
  rows: TableRow[];
}


/**
 * Read a CSV (RFC 4180: quoted fields may hold commas, quotes and newlines) or JSON table (an array
 * of objects, or an object with a `rows` or `data` array). Cells are kept as written: CSV cells are
 * strings, and turning them into numbers is the reader's job, so a code like "00Y" stays a code.
 */
export function readTable(file: string): Table {
  if (isFolder(file)) throw new FootprintError('is a folder, not a CSV or JSON table', { location: { file } });
  return parseTable(readInputText(file), file);
}

/** A table from its text (`file` names it in messages): JSON when it looks like JSON, else CSV. */
export function parseTable(text: string, file: string): Table {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const looksJson = extname(file).toLowerCase() === '.json' || /^\s*[[{]/.test(body);
  return looksJson ? jsonTable(body, file) : csvTable(body, file);
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    // Missing or unreadable: readInputText says which, naming the file.
    return false;
  }
}

/**
 * The delimiter of a CSV: a comma, unless the header has none and has semicolons (European Excel
 * writes ";" where the comma is the decimal separator) or tabs (a spreadsheet copied as text);
 * then the one it has more of, with a note. Only the header is looked at, outside quotes.
 */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  let commas = 0;
  let semicolons = 0;
  let tabs = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
    else if (!quoted && ch === '\t') tabs++;
  }
  if (commas > 0 || (semicolons === 0 && tabs === 0)) return ',';
  return semicolons >= tabs ? ';' : '\t';
}

function csvTable(text: string, file: string): Table {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  const delimiter = detectDelimiter(text);
  if (delimiter !== ',') {
    inputNotice(`note: ${file}: read with ${delimiter === ';' ? 'semicolons (";")' : 'tabs'} as the delimiter, since its header has no commas${delimiter === ';' ? ' (as Excel saves CSV where the comma is the decimal mark)' : ''}`);
  }
  try {
    records = parse(text, { delimiter, info: true, skip_empty_lines: true, relax_column_count: false, record_delimiter: ['\r\n', '\n', '\r'] }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    if (error instanceof CsvError) throw new FootprintError(`not a valid CSV table: ${csvProblem(error, text, delimiter)}`, { location: { file } });
    throw error;
  }
  if (records.length === 0) throw new FootprintError('the table is empty (no header row)', { location: { file } });
  const header = records[0].record.map((h) => h.trim());
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') throw new FootprintError(`column ${i + 1} of the header has no name`, { location: { file, line: records[0].info.lines } });
    if (seen.has(name)) throw new FootprintError(`column "${name}" appears twice in the header`, { location: { file, line: records[0].info.lines } });
    seen.add(name);
  });
  // A record ends on info.lines; it started after the previous record ended (blank lines aside).
  const rows: TableRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r];
    const line = info.lines - (record.join(delimiter).match(/\n/g)?.length ?? 0);
    const cells: Record<string, Cell> = {};
    header.forEach((name, i) => (cells[name] = record[i]));
    rows.push({ where: `line ${line}`, position: line, cells });
  }
  return { file, columns: header, rows };
}

/** csv-parse's message, with the line a never-closed quote opened on rather than the end of the file. */
function csvProblem(error: CsvError, text: string, delimiter: string): string {
  const lines = typeof error.lines === 'number' ? error.lines : null;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    const opened = lineOfUnclosedQuote(text, delimiter);
    return `a quoted field opened on line ${opened ?? lines ?? '?'} is never closed (a missing ")`;
  }
  if (error.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' || error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
    return `line ${lines ?? '?'} has a different number of columns from the header${'record' in error && Array.isArray(error.record) ? ` (${error.record.length} cells)` : ''}`;
  }
  return `${error.message.replace(/\s+/g, ' ').trim()}`;
}

/** The line where the last quote that is still open at the end of the text was opened. */
function lineOfUnclosedQuote(text: string, delimiter: string): number | null {
  let line = 1;
  let quoted = false;
  let openedOn = 0;
  let atCellStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      } else if (ch === '\n') line++;
      continue;
    }
    if (ch === '"' && atCellStart) {
      quoted = true;
      openedOn = line;
    }
    if (ch === '\n') line++;
    atCellStart = ch === delimiter || ch === '\n' || ch === '\r';
  }
  return quoted ? openedOn : null;
}

function jsonTable(text: string, file: string): Table {
  let list: unknown = parseJsonText(text, file);
  if (!Array.isArray(list) && typeof list === 'object' && list !== null) {
    const holder = list as Record<string, unknown>;
    list = Array.isArray(holder.rows) ? holder.rows : Array.isArray(holder.data) ? holder.data : undefined;
  }
  if (!Array.isArray(list)) throw new FootprintError('a JSON table must be an array of objects (or an object with a "rows" array)', { location: { file } });
  const columns = new Set<string>();
  const rows: TableRow[] = list.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new FootprintError(`row ${i} is not an object`, { location: { file } });
    }
    const cells: Record<string, Cell> = {};
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      columns.add(key);
      cells[key] = value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
    }
    return { where: `row ${i}`, position: i, cells };
  });
  if (rows.length === 0) throw new FootprintError('the table has no rows', { location: { file } });
  return { file, columns: [...columns], rows };
}

/** A column the caller needs, or an error naming the role it plays and the columns there are. */
export function requireColumn(table: Table, column: string, role: string): string {
  if (table.columns.includes(column)) return column;
  const near = table.columns.find((c) => c.toLowerCase() === column.toLowerCase());
  throw new FootprintError(
    `has no column "${column}" (the ${role})${near ? `; did you mean "${near}"?` : ''}; columns: ${table.columns.join(', ')}`,
    { location: { file: table.file } },
  );
}

/** A cell as a trimmed code, or null when empty. Numbers are codes too (ward 12). */
export function cellText(value: Cell | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

/** A cell as a number, or null when empty; `NaN` when present but not a number. */
export function cellNumber(value: Cell | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return Number.NaN;
  const text = value.trim().replace(/,(?=\d{3}\b)/g, '');
  if (text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : Number.NaN;
}

/** Where a row is, for FootprintError locations: `file:14` for CSV lines. */
export function rowLocation(table: Table, row: TableRow, field: string): ErrorLocation {
  return row.where.startsWith('line ') ? { file: table.file, line: row.position, column: field } : { file: table.file, row: row.position, column: field };
}
