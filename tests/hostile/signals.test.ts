import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasOldham, oldham, oldhamSkipMessage, repoRoot } from '../helpers/data.js';
import { hasCompiledWorker } from '../helpers/dist.js';

/**
 * Ctrl-C and SIGTERM at several moments of a real run, the proof included: the Oldham LSOA
 * instance (142 units, too many for the exact search) with --bound-nodes, whose HiGHS lower bounds
 * take tens of seconds. Each signal must end the run within about a second, as a process killed by
 * that signal (the shell's status 130 or 143), with the previous output folder byte-identical and
 * no staging folder left. The moments are fixed (so the test repeats) and spread over loading, the
 * heuristic restarts and the proof; the bound phase starts about two seconds in on a quiet machine,
 * so the later moments are well inside it.
 */
const BIN = resolve(repoRoot, 'bin', 'footprint.js');

function args(out: string, boundNodes: number): string[] {
  return [
    BIN, 'optimise',
    '--units', oldham('lsoa.geojson'),
    '--layer', `wards=${oldham('wards.geojson')}`,
    '--sites', `gp=${oldham('gp_practices.geojson')}`,
    '--layer-option', 'gp.group=pcn_code',
    '--k', '5', '--min', '40000', '--max', '58000',
    '--restarts', '4', '--iterations', '50000', '--seed', '3',
    '--bound-nodes', String(boundNodes), '--time-limit', '60',
    '--out', out, '-q',
  ];
}

/** Every file of a folder with its hash, for "byte-identical". */
function snapshot(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(folder, '');
  return out;
}

function exited(proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }> {
  return new Promise((done) => proc.once('exit', (code, signal) => done({ code, signal, at: performance.now() })));
}

/** The status a shell reports: 128 + the signal's number when a signal ended the process. */
function shellStatus(result: { code: number | null; signal: NodeJS.Signals | null }): number | null {
  if (result.signal === 'SIGINT') return 130;
  if (result.signal === 'SIGTERM') return 143;
  return result.code;
}

describe.skipIf(!hasOldham || !hasCompiledWorker)('signals at every phase of a run, the proof included', () => {
  if (!hasOldham) console.warn(oldhamSkipMessage);
  let parent: string;
  let out: string;
  let before: Record<string, string>;
  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), 'footprint-signals-'));
    out = join(parent, 'plan');
    // The previous output: the same run without the proof.
    const first = spawnSync(process.execPath, args(out, 0), { encoding: 'utf8' });
    expect(first.status, first.stderr).toBe(0);
    before = snapshot(out);
  }, 120_000);

  // [signal, ms after the start]: loading, the heuristic restarts, then well inside the HiGHS proof.
  const moments: Array<[NodeJS.Signals, number]> = [
    ['SIGINT', 150],
    ['SIGTERM', 900],
    ['SIGINT', 5_000],
    ['SIGTERM', 8_000],
  ];
  for (const [signal, at] of moments) {
    it(`${signal} ${at} ms in: exit ${signal === 'SIGINT' ? 130 : 143} within about a second, old output byte-identical, no staging folder`, async () => {
      const proc = spawn(process.execPath, args(out, 1_000_000), { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const end = exited(proc);
      const early = await Promise.race([end, new Promise<null>((r) => setTimeout(() => r(null), at))]);
      expect(early, `the run ended before the signal: ${stderr}`).toBeNull();
      const sent = performance.now();
      proc.kill(signal);
      const result = await end;
      expect(shellStatus(result), stderr).toBe(signal === 'SIGINT' ? 130 : 143);
      // About a second; two on this contended machine.
      expect(result.at - sent).toBeLessThan(2_000);
      expect(stderr).not.toMatch(/Error|at .*\.js/);
      expect(snapshot(out)).toEqual(before);
      expect(readdirSync(parent).filter((n) => n !== 'plan')).toEqual([]);
    }, 30_000);
  }
});
