/**
 * `npm run bench`: every benchmark, one after the other, each in its own process so that one's
 * memory does not inflate another's peak. Speed and memory are measured here, never in tests.
 * Pass names to run some: `npm run bench -- score optimise`.
 */
import { spawnSync } from 'node:child_process';
import { cpus, totalmem, platform, release } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BENCHES: Array<{ name: string; file: string }> = [
  { name: 'startup', file: 'startup.ts' },
  { name: 'score', file: 'score.ts' },
  { name: 'england', file: 'england.ts' },
  { name: 'optimise', file: 'optimise.ts' },
  { name: 'catchments', file: 'catchments.ts' },
  { name: 'input', file: 'input.ts' },
  { name: 'search', file: 'search.ts' },
  { name: 'region', file: 'region.ts' },
  { name: 'nation', file: 'nation.ts' },
  { name: 'gm', file: 'gm.ts' },
  { name: 'bound', file: 'bound.ts' },
  { name: 'explore', file: 'explore.ts' },
  { name: 'formats', file: 'formats.ts' },
];

const wanted = process.argv.slice(2);
const cpu = cpus();
console.log(`machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, Node ${process.version}`);
let failed = 0;
for (const bench of BENCHES) {
  if (wanted.length > 0 && !wanted.includes(bench.name)) continue;
  console.log(`\n== ${bench.name} ==`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', resolve(here, bench.file)], { stdio: 'inherit', cwd: resolve(here, '..') });
  if (result.status !== 0) {
    failed++;
    console.log(`${bench.name}: exited with ${result.status ?? result.signal}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
