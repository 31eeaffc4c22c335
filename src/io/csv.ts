/**
 * The one CSV writer (RFC 4180 quoting). Every CSV footprint writes goes through csvCell, so a name
 * from data never becomes a spreadsheet formula: a text cell that begins with `=`, `+`, `-`, `@`, a
 * tab or a carriage return — the characters Excel, LibreOffice and Google Sheets start a formula
 * with — gets a single quote in front, as OWASP's "CSV Injection" guidance advises
 * (https://owasp.org/www-community/attacks/CSV_Injection). Numbers are written as numbers, so a
 * negative figure stays `-3`. Our own readers of these files take the quote off again
 * (csvTextValue), so an id such as `-1` or `=A` round-trips.
 */

/**
 * A cell a spreadsheet may take for a formula: it starts with one of the OWASP characters, or with
 * quotes before one (so that a text that itself begins `'=` also gets a quote, and reading back
 * is exact: csvTextValue takes exactly one off).
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** A text cell a spreadsheet would take for a formula, with a quote in front; anything else unchanged. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The text a cell of our own CSV held before neutraliseFormula: its inverse, for reading our files back. */
export function csvTextValue(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell) ? cell.slice(1) : cell;
}

export function csvCell(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsv(header: string[], rows: Array<Array<string | number>>): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}
