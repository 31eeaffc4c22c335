/**
 * Numbers as footprint prints them, everywhere (messages, notes, reports, the workshop page): one
 * way to print a number. At the bottom of the dependency order (docs/design.md) beside errors.ts,
 * so every folder can use it; report/format.ts re-exports it with the Markdown helpers.
 */

/** Made on first use: building one loads ICU's locale data, which every command's start-up, help included, would otherwise pay. */
let integer: Intl.NumberFormat | null = null;

/** Rounded to a whole number, with thousands separators: 30000.4 → "30,000". */
export function formatInteger(value: number): string {
  integer ??= new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
  return integer.format(Math.round(value));
}

/** As given, with thousands separators and at most three decimals: 30000.5 → "30,000.5". */
export function formatNumber(value: number): string {
  return value.toLocaleString('en-GB');
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
