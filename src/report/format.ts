import { Markup, mdText } from './escape.js';

/** Formatting helpers of the Markdown reports: numbers (from src/format.ts, the one way to print a number) and tables. */

export { formatInteger, formatNumber, formatObjective, formatPercent, formatSigned } from '../format.js';

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
