import { readFileSync } from 'node:fs';

/** Read from package.json so there is one place to bump it (works from src/ and dist/). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
