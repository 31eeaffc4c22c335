import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * Ctrl-C while `footprint explore` lists every plan and while its exact search climbs the
 * ε-constraint ladder: both are long synchronous recursions (a 6 × 6 grid into 3 footprints lists
 * plans for half its time limit), and on the main thread they kept the signal from being acted on
 * until they ended. They run in a thread of their own now (search/threads/bound-thread.ts).
 */
describe.skipIf(!hasCompiledWorker)('Ctrl-C during explore: the plan listing and the exact ladder', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'footprint-explore-signals-'));
    const features = [];
    const a = ['unit,area'];
    const b = ['unit,area'];
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 6; c++) {
        const [x, y] = [-2 + c * 0.01, 53 + r * 0.01];
        features.push({ type: 'Feature', properties: { code: `U${r}${c}`, population: 100 + ((r * 7 + c * 3) % 5) * 10 }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] } });
        a.push(`U${r}${c},R${Math.floor(r / 2)}${Math.floor(c / 3)}`);
        b.push(`U${r}${c},C${Math.floor(r / 3)}${Math.floor(c / 2)}`);
      }
    }
    writeFileSync(join(dir, 'grid.geojson'), JSON.stringify({ type: 'FeatureCollection', features }));
    writeFileSync(join(dir, 'a.csv'), `${a.join('\n')}\n`);
    writeFileSync(join(dir, 'b.csv'), `${b.join('\n')}\n`);
  });
  const explore = (out: string, seconds: number) => [
    BIN, 'explore',
    '--units', join(dir, 'grid.geojson'),
    '--lookup', `a=${join(dir, 'a.csv')}`, '--lookup', `b=${join(dir, 'b.csv')}`,
    '--layer-option', 'a.key=unit', '--layer-option', 'a.area=area', '--layer-option', 'b.key=unit', '--layer-option', 'b.area=area',
    '--k', '3', '--min', '1000', '--max', '1600', '--between', 'a,b', '--time-limit', String(seconds), '--out', out, '-q',
  ];
  // [phase, time limit, signal after ms]: the listing takes half the time limit (it is cut by the
  // clock on this grid), then the exact search climbs the ladder in the other half.
  const cases: Array<[string, number, number]> = [
    ['the plan listing', 60, 3_000],
    ['the exact ladder', 8, 6_500],
  ];
  for (const [phase, seconds, at] of cases) {
    it(`${phase}: exit 130 within about a second, no output folder, no staging folder`, async () => {
      const out = join(dir, `out-${seconds}`);
      const proc = spawn(process.execPath, explore(out, seconds), { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const end = exited(proc);
      const early = await Promise.race([end, new Promise<null>((r) => setTimeout(() => r(null), at))]);
      expect(early, `explore ended before the signal: ${stderr}`).toBeNull();
      const sent = performance.now();
      proc.kill('SIGINT');
      const result = await end;
      expect(shellStatus(result), stderr).toBe(130);
      expect(result.at - sent).toBeLessThan(2_000);
      expect(stderr).not.toMatch(/Error|at .*\.js/);
      expect(readdirSync(dir).filter((n) => n.includes('out-'))).toEqual([]);
    }, 30_000);
  }
});
