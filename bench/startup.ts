/**
 * Start-up time of the installed CLI: `footprint --help` and `footprint <command> --help`, each run
 * as a fresh process (as a user types it) against `node -e 0` on the same machine. Command modules
 * load their libraries only inside their actions, so help should cost about what node itself does.
 * Target: median under 0.2 s.
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = resolve(root, 'bin', 'footprint.js');
const RUNS = 11;
const TARGET_S = 0.2;

function median(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const cases: Array<[string, string[]]> = [
  ['node -e 0 (baseline)', ['-e', '0']],
  ['footprint --help', [bin, '--help']],
  ['footprint --version', [bin, '--version']],
  ...['validate', 'score', 'optimise', 'workshop', 'compare', 'check'].map((c): [string, string[]] => [`footprint ${c} --help`, [bin, c, '--help']]),
];
let over = 0;
console.log(`median of ${RUNS} runs each`);
for (const [label, args] of cases) {
  const s = median(args);
  const slow = !label.includes('baseline') && s > TARGET_S;
  if (slow) over++;
  console.log(`${label.padEnd(28)} ${s.toFixed(3)} s${slow ? `  over the ${TARGET_S} s target` : ''}`);
}
process.exitCode = over > 0 ? 1 : 0;
