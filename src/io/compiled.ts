import { existsSync } from 'node:fs';

/**
 * A file that `npm run build` writes into dist/ beside a module: a worker thread's script or the
 * workshop page's bundle. From dist/ (the installed package) it is beside the calling module; from
 * src/ under a TypeScript runner (tests, benchmarks) it is at the same place under dist/, since a
 * thread does not inherit the runner's loader. `fromSource: false` asks for the first only (the
 * restart pool keeps its restarts in-process under a runner). Null when there is no such file.
 */
export function compiledFile(moduleUrl: string, file: string, options: { fromSource?: boolean } = {}): URL | null {
  const here = new URL(moduleUrl);
  if (here.pathname.endsWith('.js')) {
    const url = new URL(file, here);
    return existsSync(url) ? url : null;
  }
  if (options.fromSource === false) return null;
  const at = here.pathname.lastIndexOf('/src/');
  if (at < 0) return null;
  const distHere = new URL(here.href);
  distHere.pathname = `${here.pathname.slice(0, at)}/dist/${here.pathname.slice(at + '/src/'.length)}`;
  const url = new URL(file, distHere);
  return existsSync(url) ? url : null;
}
