import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './data.js';

/** The compiled library: worker threads run its worker, not the TypeScript source (npm test builds it first). */
export const dist = resolve(repoRoot, 'dist');

/** Whether dist/ holds the compiled worker; tests of worker threads skip without it. */
export const hasCompiledWorker = existsSync(resolve(dist, 'search', 'threads', 'worker.js'));

/** A module of the compiled library, typed as its source (`typeof import('../src/…')`). */
export async function loadDist<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(resolve(dist, path)).href)) as T;
}
