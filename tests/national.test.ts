import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNation } from '../fixtures/nation.js';
import { filesOf } from '../bench/files.js';
import { shardShare } from '../src/pipeline/shard.js';
import { runCli } from './helpers/cli.js';
import { repoRoot } from './helpers/data.js';
import { hasCompiledWorker } from './helpers/dist.js';

/**
 * National runs (issue 24) on a small synthetic nation: 30 authorities, about 900 units, among them
 * two too small for a footprint and four of 50–60,000 residents. Shards merged and a run killed and
 * resumed must write the very bytes of one uninterrupted run.
 */
let dir: string;
const fast = ['--iterations', '20000', '--quiet'];

function expectSameFiles(actual: string, expected: string): void {
  const a = filesOf(actual);
  const b = filesOf(expected);
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [name, bytes] of b) expect(a.get(name)?.equals(bytes), name).toBe(true);
}

const optimise = (args: string[]) => runCli(['optimise', 'nation.yaml', ...fast, ...args], { cwd: dir });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'footprint-nation-'));
  writeNation(dir, { areas: 30, units: 900 }, { timeLimit: 300, restarts: 2 });
  const one = await optimise(['--out', 'one']);
  expect(one.code, one.stderr).toBe(1); // some areas have no plan
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('national runs: shards and merge', () => {
  it('three shards merged equal one run byte for byte', async () => {
    for (const i of [1, 2, 3]) {
      const r = await optimise(['--shard', `${i}/3`, '--out', `shard-${i}`]);
      expect(r.code, r.stderr).toBeLessThanOrEqual(1);
      expect(existsSync(join(dir, `shard-${i}`, 'shard.json'))).toBe(true);
    }
    const merged = await runCli(['merge', 'shard-1', 'shard-2', 'shard-3', '--out', 'merged', '--quiet'], { cwd: dir });
    expect(merged.code, merged.stderr).toBe(1);
    expectSameFiles(join(dir, 'merged'), join(dir, 'one'));
  }, 300_000);

  it('shares the areas out deterministically, each area to one shard, balanced by units', () => {
    const areas = Array.from({ length: 40 }, (_, i) => ({ code: `A${i}`, name: `A${i}`, units: Array.from({ length: 5 + ((i * 37) % 90) }, (_, u) => u), population: 0, k: 1, kSource: 'auto' as const }));
    const shares = [1, 2, 3, 4].map((index) => shardShare(areas, { index, count: 4 }));
    expect(shares.reduce((n, s) => n + s.size, 0)).toBe(40);
    expect(new Set(shares.flatMap((s) => [...s])).size).toBe(40);
    const loads = shares.map((s) => areas.filter((a) => s.has(a.code)).reduce((n, a) => n + a.units.length, 0));
    const largest = Math.max(...areas.map((a) => a.units.length));
    // Greedy largest-first: no shard exceeds the lightest by more than the largest area.
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(largest);
    expect(shardShare([...areas].reverse(), { index: 2, count: 4 })).toEqual(shares[1]);
  });

  it('refuses shards of another run, naming the difference, and incomplete sets (exit 2)', async () => {
    const other = await optimise(['--shard', '2/3', '--seed', '7', '--out', 'other-seed']);
    expect(other.code, other.stderr).toBeLessThanOrEqual(1);
    const seed = await runCli(['merge', 'shard-1', 'other-seed', 'shard-3', '--out', 'bad'], { cwd: dir });
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/another run.*seed 1 vs 7/);
    const missing = await runCli(['merge', 'shard-1', 'shard-3', '--out', 'bad'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard 2\/3 missing/);
    const twice = await runCli(['merge', 'shard-1', 'shard-1', 'shard-3', '--out', 'bad'], { cwd: dir });
    expect(twice.code).toBe(2);
    const notShard = await runCli(['merge', 'one', '--out', 'bad'], { cwd: dir });
    expect(notShard.code).toBe(2);
    expect(notShard.stderr).toMatch(/holds no shard\.json/);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  }, 120_000);

  it('refuses to merge when an input changed since the shards ran (exit 2, naming the file)', async () => {
    const copy = join(dir, 'changed');
    mkdirSync(copy);
    for (const f of ['units.geojson', 'lookup.csv', 'nation.yaml']) cpSync(join(dir, f), join(copy, f));
    for (const i of [1, 2]) expect((await runCli(['optimise', 'nation.yaml', ...fast, '--shard', `${i}/2`, '--out', `s${i}`], { cwd: copy })).code).toBeLessThanOrEqual(1);
    writeFileSync(join(copy, 'lookup.csv'), readFileSync(join(copy, 'lookup.csv'), 'utf8').replace('PCN-0-', 'PCN-X-'));
    const r = await runCli(['merge', 's1', 's2', '--out', 'merged'], { cwd: copy });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/input lookup\.csv has other content/);
  }, 120_000);

  it('exits 2 on bad --shard values, and on --shard or --resume without nesting', async () => {
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '3', '-1/2', '1.5/3']) {
      const r = await optimise(['--shard', bad, '--out', 'bad']);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/--shard must be i\/n/);
    }
    const flat = await runCli(['optimise', '--units', 'units.geojson', '--k', '2', '--shard', '1/2', '--out', 'bad'], { cwd: dir });
    expect(flat.code).toBe(2);
    expect(flat.stderr).toMatch(/--shard is for nested runs/);
  });
});

describe('national runs: resume', () => {
  it.skipIf(!hasCompiledWorker)('a run killed (kill -9) after some areas and resumed equals an uninterrupted run', async () => {
    const out = join(dir, 'resumed');
    const child = spawn(process.execPath, [resolve(repoRoot, 'bin', 'footprint.js'), 'optimise', 'nation.yaml', ...fast, '--out', out], { cwd: dir, stdio: 'ignore' });
    const kept = () => {
      const folder = readdirSync(dir).find((n) => n.startsWith('.resumed.footprint-resume-'));
      return folder && existsSync(join(dir, folder, 'areas')) ? readdirSync(join(dir, folder, 'areas')).filter((n) => n.endsWith('.json')).length : 0;
    };
    const exited = new Promise((done) => child.on('exit', done));
    // Killed once some areas are kept and before the run could have finished them all.
    while (kept() < 12 && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(out)).toBe(false);
    const before = kept();
    expect(before).toBeGreaterThanOrEqual(12);
    const resumed = await optimise(['--out', 'resumed', '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(1);
    expect(JSON.parse(resumed.stdout).resumed).toBe(before);
    expectSameFiles(out, join(dir, 'one'));
    // The kept records go once the outputs are in place.
    expect(readdirSync(dir).filter((n) => n.startsWith('.resumed.footprint-resume-'))).toEqual([]);
  }, 300_000);

  it.skipIf(!hasCompiledWorker)('Ctrl-C (SIGINT) stops at once, leaving no output and no file staging, but keeps the finished areas for --resume', async () => {
    const child = spawn(process.execPath, [resolve(repoRoot, 'bin', 'footprint.js'), 'optimise', 'nation.yaml', ...fast, '--out', 'interrupted'], { cwd: dir, stdio: 'ignore' });
    const keptDir = () => readdirSync(dir).find((n) => n.startsWith('.interrupted.footprint-resume-'));
    const kept = () => {
      const folder = keptDir();
      return folder && existsSync(join(dir, folder, 'areas')) ? readdirSync(join(dir, folder, 'areas')).filter((n) => n.endsWith('.json')).length : 0;
    };
    const exited = new Promise<number | null>((done) => child.on('exit', (code, signal) => done(code ?? (signal === 'SIGINT' ? 130 : -1))));
    while (kept() < 5 && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await exited).not.toBe(0);
    expect(existsSync(join(dir, 'interrupted'))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith('.interrupted.footprint-new-'))).toEqual([]);
    const before = kept();
    expect(before).toBeGreaterThanOrEqual(5);
    const resumed = await optimise(['--out', 'interrupted', '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(1);
    expect(JSON.parse(resumed.stdout).resumed).toBe(before);
    expectSameFiles(join(dir, 'interrupted'), join(dir, 'one'));
  }, 300_000);

  it('clears kept progress without --resume, and starts afresh when --resume finds none of this run', async () => {
    const stale = join(dir, '.fresh.footprint-resume-0000000000000000');
    mkdirSync(join(stale, 'areas'), { recursive: true });
    writeFileSync(join(stale, 'identity.json'), '{"fingerprint":"0000"}');
    // Not --quiet: the note is a warning.
    const r = await runCli(['optimise', 'nation.yaml', '--iterations', '20000', '--out', 'fresh', '--resume'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/--resume: no progress kept for this run/);
    expect(existsSync(stale)).toBe(false);
    expectSameFiles(join(dir, 'fresh'), join(dir, 'one'));
  }, 120_000);
});

describe('national runs: per-area proofs', () => {
  it('--json gives per area k, status, objective, bound and gap, and the number proven', async () => {
    // E06000009: 56 units, k 2, a plan above 0 that the bound proves optimal.
    const r = await runCli(['optimise', 'nation.yaml', ...fast, '--json', '--area', 'E06000009', '--bound-nodes', '100', '--out', 'proof'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { proven: number; planned: number; areas: Array<{ code: string; k: number; status: string; objective: number; bound: number | null; gap: number | null }> };
    expect(summary.areas).toHaveLength(1);
    const [area] = summary.areas;
    expect(area.k).toBe(2);
    expect(area.objective).toBeGreaterThan(0);
    expect(area.status).toBe('optimal');
    expect(area.bound).toBeCloseTo(area.objective, 9);
    expect(area.gap).toBe(0);
    expect(summary).toMatchObject({ proven: 1, planned: 1 });
    const report = readFileSync(join(dir, 'proof', 'report.md'), 'utf8');
    expect(report).toMatch(/\| E06000009 [^|]*\| 56 \| [^|]* \| 2 \(auto\) \| optimal \|/);
  }, 120_000);

  it('gives areas their turns at bounds one at a time, in area order, each to its share of the time left', async () => {
    const { boundQueue } = await import('../src/pipeline/nest.js');
    const deadline = performance.now() + 60_000;
    const queue = boundQueue(4, deadline);
    const granted: Array<{ i: number; share: number }> = [];
    const take = (i: number) =>
      queue.request(i).then((slot) => {
        granted.push({ i, share: (slot.deadline! - performance.now()) / (deadline - performance.now()) });
        return slot;
      });
    const second = take(3);
    const first = take(1);
    queue.arrive(0);
    await new Promise((r) => setTimeout(r, 10));
    expect(granted).toEqual([]); // area 2 has not arrived: the restarts of some area still run
    queue.arrive(2);
    (await first).done();
    (await second).done();
    expect(granted.map((g) => g.i)).toEqual([1, 3]);
    expect(granted[0].share).toBeCloseTo(1 / 2, 1);
    expect(granted[1].share).toBeCloseTo(1, 1);
  });
});
