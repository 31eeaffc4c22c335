/**
 * National scale (a benchmark, not a test): `footprint optimise` on the synthetic nation
 * (fixtures/generator/nation.ts: about 33,000 units in 300 authorities), nested in the authorities,
 * k auto, 30,000–50,000 — wall time, peak memory (the CLI in its own process under /usr/bin/time,
 * worker threads included), areas planned, areas proven, the largest gap, and report.md's size.
 * With --shards n it also runs the same as n shards one after the other, merges them, and checks
 * the merged files equal the one-machine run's byte for byte.
 *
 *   npx tsx bench/nation.ts [--time-limit 300] [--iterations N] [--bound-nodes N] [--restarts 4]
 *                           [--areas 300] [--units 33000] [--shards 3]
 */
import { timedNode, type TimedRun } from './timed.js';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNation } from '../fixtures/nation.js';
import { filesOf } from './files.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
function option(name: string, fallback: number): number {
  if (!args.includes(name)) return fallback;
  const n = Number(args[args.indexOf(name) + 1]);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${name} must be a whole number ≥ 0, got ${args[args.indexOf(name) + 1]}`);
    process.exit(2);
  }
  return n;
}
const timeLimit = option('--time-limit', 300);
const iterations = option('--iterations', 0);
const boundNodes = option('--bound-nodes', 0);
const restarts = option('--restarts', 4);
const shards = option('--shards', 0);

/** FOOTPRINT_BIN: the CLI to measure (default this checkout's bin/footprint.js), e.g. a copy built before a change. */
const bin = process.env.FOOTPRINT_BIN ?? resolve(root, 'bin', 'footprint.js');

function footprint(cwd: string, argv: string[]): TimedRun {
  return timedNode([bin, ...argv], { cwd });
}

interface Summary {
  planned: number;
  proven: number;
  areas: Array<{ status: string; gap: number | null; timeLimitHit: boolean }>;
}

function main(): void {
  console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; time limit ${timeLimit} s, restarts ${restarts}, iterations ${iterations || 'default'}, bound nodes ${boundNodes}`);
  const dir = mkdtempSync(join(tmpdir(), 'footprint-bench-nation-'));
  try {
    const t = performance.now();
    const nation = writeNation(dir, { areas: option('--areas', 300), units: option('--units', 33_000) }, { timeLimit, restarts, boundNodes });
    console.log(`nation: ${nation.units.features.length} units, ${nation.areas.length} authorities, generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const extra = [...(iterations > 0 ? ['--iterations', String(iterations)] : []), '--quiet', '--json'];
    const one = footprint(dir, ['optimise', 'nation.yaml', '--out', 'one', ...extra]);
    if (!one.stdout.trim()) throw new Error(`the CLI exited with ${one.code ?? one.signal} and no summary: ${one.stderr.trim()}`);
    const s = JSON.parse(one.stdout) as Summary;
    const bounded = s.areas.filter((a) => a.status === 'heuristic' && a.gap !== null);
    const cut = s.areas.filter((a) => a.timeLimitHit).length;
    console.log(`one run: ${one.seconds.toFixed(1)} s, peak RSS ${one.rssMiB === null ? 'n/a' : `${one.rssMiB.toFixed(0)} MiB`}, exit ${one.code}`);
    console.log(`  ${s.planned} of ${s.areas.length} areas planned, ${s.proven} proven optimal, ${bounded.length} with a bound (largest gap ${Math.max(0, ...bounded.map((a) => a.gap!)).toFixed(1)}%), ${cut} cut by the time limit`);
    console.log(`  report.md ${(statSync(join(dir, 'one', 'report.md')).size / 1024).toFixed(0)} KB, footprints.svg ${(statSync(join(dir, 'one', 'footprints.svg')).size / 1024).toFixed(0)} KB`);
    if (shards > 0) {
      let slowest = 0;
      for (let i = 1; i <= shards; i++) {
        const r = footprint(dir, ['optimise', 'nation.yaml', '--shard', `${i}/${shards}`, '--out', `shard-${i}`, ...extra]);
        slowest = Math.max(slowest, r.seconds);
        console.log(`  shard ${i}/${shards}: ${r.seconds.toFixed(1)} s, peak RSS ${r.rssMiB?.toFixed(0) ?? 'n/a'} MiB, exit ${r.code}`);
      }
      const merged = footprint(dir, ['merge', ...Array.from({ length: shards }, (_, i) => `shard-${i + 1}`), '--out', 'merged', '--quiet']);
      const a = filesOf(join(dir, 'one'));
      const b = filesOf(join(dir, 'merged'));
      const same = a.size === b.size && [...a].every(([name, bytes]) => b.get(name)?.equals(bytes));
      console.log(`  merge: ${merged.seconds.toFixed(1)} s, exit ${merged.code}; merged files ${same ? 'identical to' : 'DIFFER from'} the one-machine run's${cut > 0 ? ' (the time limit cut areas short, so they may differ)' : ''}; slowest shard ${slowest.toFixed(1)} s`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
