/** Formatting helpers of the Markdown reports: numbers (from src/format.ts, the one way to print a number) and tables. */

export { formatInteger, formatNumber, formatObjective, formatPercent, formatSigned } from '../format.js';

/** Escape text for a Markdown table cell. */
export function cell(text: string | number): string {
  return String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A Markdown table; `align` per column: 'l' or 'r'. */
export function table(header: string[], rows: Array<Array<string | number>>, align?: Array<'l' | 'r'>): string {
  const a = align ?? header.map((_, i) => (i === 0 ? 'l' : 'r'));
  const lines = [
    `| ${header.map(cell).join(' | ')} |`,
    `|${a.map((x) => (x === 'r' ? '---:' : ':---')).join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}
