/**
 * Small helpers for writing SVG as text. Maps are built as strings (no DOM in Node), so every
 * piece of user text goes through `escapeXml` and every number through `num`, which keeps the
 * output well-formed and byte-identical for identical input.
 */

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A coordinate or length with one decimal: a tenth of a pixel is below what anyone sees. */
export function num(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  // "-0" is valid SVG but would make equal maps differ byte by byte.
  return String(rounded === 0 ? 0 : rounded);
}

export type Attributes = Record<string, string | number | undefined>;

/** Attributes in the order given, skipping undefined ones; numbers rounded, strings escaped. */
export function attributes(attrs: Attributes): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${name}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`;
  }
  return out;
}

/** One element; `content` is markup already (escape text with `escapeXml` first). */
export function element(name: string, attrs: Attributes = {}, content?: string): string {
  return content === undefined ? `<${name}${attributes(attrs)}/>` : `<${name}${attributes(attrs)}>${content}</${name}>`;
}

/** A group around already-built children, one per line so diffs of maps stay readable. */
export function group(attrs: Attributes, children: string[]): string[] {
  return children.length === 0 ? [] : [`<g${attributes(attrs)}>`, ...children, '</g>'];
}

/**
 * A rough width of text in a sans-serif font, used to lay out legends and keep labels apart.
 * Without a font engine we cannot measure; 0.58 em per character fits Helvetica/Arial/DejaVu
 * closely enough for digits and mixed-case names, wide capitals aside.
 */
export function textWidth(text: string, fontSize: number): number {
  let ems = 0;
  for (const ch of text) ems += /[MW@%]/.test(ch) ? 0.85 : /[A-Z0-9#&]/.test(ch) ? 0.66 : /[ilj.,:;'!|· ]/.test(ch) ? 0.3 : 0.55;
  return ems * fontSize;
}

/** Thousands separated by commas, independent of the machine's locale so reports do not vary. */
export function formatCount(value: number): string {
  const rounded = Math.round(value);
  const sign = rounded < 0 ? '-' : '';
  return sign + String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A share as a percentage for labels: whole numbers, but never "0%" for a share above zero. */
export function formatShare(share: number): string {
  const percent = share * 100;
  if (percent > 0 && percent < 1) return '<1%';
  return `${Math.round(percent)}%`;
}
