import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file of a folder (recursively, hidden ones too) → its bytes: for comparing two runs' outputs byte for byte. */
export function filesOf(folder: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(folder, p), readFileSync(p));
    }
  };
  walk(folder);
  return out;
}
