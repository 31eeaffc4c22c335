import { Markup, mdText } from './escape.js';

/** Small formatting helpers shared by the Markdown reports: one way to print a number everywhere. */

const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

export function formatInteger(value: number): string {
  return integer.format(Math.round(value));
}

/** A share in [0,1] as a percentage with one decimal: 0.0761 → "7.6%". */
export function formatPercent(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)}%`;
}

/** Objective values: enough digits to compare plans, not so many they look like noise. */
export function formatObjective(value: number): string {
  return value.toFixed(4);
}

export function formatSigned(value: number, digits = 0): string {
  const text = digits === 0 ? formatInteger(Math.abs(value)) : Math.abs(value).toFixed(digits);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : '0';
}

/** A table cell: a number as written, text escaped (report/escape.ts: names are never markup), Markup as given. */
export type TableCell = string | number | Markup;

/** A Markdown table cell: text escaped with mdText; deliberate Markup keeps its markup, with `|` and line breaks escaped. */
export function cell(value: TableCell): string {
  if (typeof value === 'number') return String(value);
  if (value instanceof Markup) return value.text.replace(/\\?\|/g, '\\|').replace(/\r?\n/g, ' ');
  return mdText(value);
}

/** A Markdown table; `align` per column: 'l' or 'r'. */
export function table(header: TableCell[], rows: TableCell[][], align?: Array<'l' | 'r'>): string {
  const a = align ?? header.map((_, i) => (i === 0 ? 'l' : 'r'));
  const lines = [
    `| ${header.map(cell).join(' | ')} |`,
    `|${a.map((x) => (x === 'r' ? '---:' : ':---')).join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}
