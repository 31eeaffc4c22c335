import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Repository root. */
export const repoRoot = resolve(here, '..', '..');

/** Real Oldham data, kept beside the repository (never copied into it). */
export const oldhamDir = resolve(repoRoot, '..', 'shared', 'data', 'oldham');
export const hasOldham = existsSync(resolve(oldhamDir, 'lsoa.geojson'));
export const oldhamSkipMessage = `real Oldham data not found at ${oldhamDir}; skipping (CI always has it)`;

export function oldham(file: string): string {
  return resolve(oldhamDir, file);
}

export function fixture(...parts: string[]): string {
  return resolve(repoRoot, 'fixtures', ...parts);
}

if (!hasOldham) {
  console.warn(oldhamSkipMessage);
}
