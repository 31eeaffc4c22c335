import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FootprintError } from '../src/errors.js';
import { MANIFEST, awaitOutputSwap, prepareOutputFile, prepareOutputFolder, writeOutputFolder } from '../src/io/output-folder.js';
import { runCli } from './helpers/cli.js';
import { fixture, repoRoot } from './helpers/data.js';

const tmp = (prefix = 'footprint-out-') => mkdtempSync(join(tmpdir(), prefix));
const example = (name: string) => fixture('example', name);
const fast = ['--restarts', '2', '--iterations', '20000'];

/** Everything in a folder, recursively, as relative path → contents. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else out[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return out;
}

/** What a run may leave beside an output folder: nothing but the folder itself. */
function leftovers(parent: string, name: string): string[] {
  return readdirSync(parent).filter((n) => n.startsWith(`.${name}.`));
}

function errorOf(fn: () => unknown): FootprintError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FootprintError);
    return error as FootprintError;
  }
  throw new Error('expected a FootprintError');
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** A live process that is not this one, to own a lock. */
function liveProcess(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function writeLock(parent: string, name: string, pid: number): string {
  const path = join(parent, `.${name}.footprint-lock`);
  writeFileSync(path, JSON.stringify({ pid, host: hostname() }));
  return path;
}

/** Run tests/helpers/output-child.ts in its own process (real signals, a real SIGKILL). */
function child(folder: string, mode: 'kill' | 'wait'): ChildProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', resolve(repoRoot, 'tests/helpers/output-child.ts'), folder, mode], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  return proc;
}

function exited(proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((done) => proc.once('exit', (code, signal) => done({ code, signal })));
}

function ready(proc: ChildProcess): Promise<void> {
  return new Promise((done, fail) => {
    let text = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('ready')) done();
    });
    proc.once('exit', () => fail(new Error('child ended before it was ready')));
  });
}

describe('output folders written as one unit', () => {
  it('stages files (with subfolders) and swaps them in: the manifest lists them, nothing is left beside', () => {
    const parent = tmp();
    const out = join(parent, 'plan');
    const folder = prepareOutputFolder(out, { cwd: '/' });
    expect(existsSync(out)).toBe(false);
    folder.write('report.md', '# one\n');
    folder.write('layers/gp.geojson', '{}\n');
    // Nothing is visible until commit: a reader sees no half-written set.
    expect(existsSync(out)).toBe(false);
    expect(folder.commit()).toEqual([join(out, 'report.md'), join(out, 'layers', 'gp.geojson')]);
    expect(snapshot(out)).toEqual({ 'report.md': '# one\n', 'layers/gp.geojson': '{}\n', [MANIFEST]: expect.stringContaining('"layers/gp.geojson"') as unknown as string });
    expect(leftovers(parent, 'plan')).toEqual([]);
  });

  it('a second run with fewer files leaves none of the first run behind', () => {
    const parent = tmp();
    const out = join(parent, 'plan');
    writeOutputFolder(prepareOutputFolder(out, { cwd: '/' }), (w) => ['report.md', 'split-a.svg', 'split-b.svg', 'layers/a.geojson'].forEach((f) => w.write(f, 'first')));
    writeOutputFolder(prepareOutputFolder(out, { cwd: '/' }), (w) => w.write('report.md', 'second'));
    expect(Object.keys(snapshot(out)).sort()).toEqual([MANIFEST, 'report.md']);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toBe('second');
    expect(leftovers(parent, 'plan')).toEqual([]);
  });

  it('an error while writing leaves the old folder as it was, no staging folder and no lock', () => {
    const parent = tmp();
    const out = join(parent, 'plan');
    writeOutputFolder(prepareOutputFolder(out, { cwd: '/' }), (w) => w.write('report.md', 'old'));
    const before = snapshot(out);
    expect(() =>
      writeOutputFolder(prepareOutputFolder(out, { cwd: '/' }), (w) => {
        w.write('report.md', 'new');
        throw new Error('crash in the middle of writing');
      }),
    ).toThrow('crash in the middle');
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(parent, 'plan')).toEqual([]);
  });

  it('a run killed with SIGKILL mid-write leaves the old folder intact; the next run clears its leftovers and takes its lock over', async () => {
    const parent = tmp();
    const out = join(parent, 'plan');
    writeOutputFolder(prepareOutputFolder(out, { cwd: '/' }), (w) => w.write('report.md', 'old'));
    const before = snapshot(out);
    const { signal } = await exited(child(out, 'kill'));
    expect(signal).toBe('SIGKILL');
    expect(snapshot(out)).toEqual(before);
    // The dead run's lock and staging folder are still there (nothing ran to remove them)…
    expect(leftovers(parent, 'plan').sort()).toEqual(['.plan.footprint-lock', expect.stringMatching(/^\.plan\.footprint-new-/) as unknown as string].sort());
    // …and the next run, finding the lock's pid dead, takes over and clears them.
    writeOutputFolder(prepareOutputFolder(out, { cwd: '/' }), (w) => w.write('report.md', 'next'));
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toBe('next');
    expect(leftovers(parent, 'plan')).toEqual([]);
  });

  it('SIGTERM and SIGINT remove the staging folder and the lock, and end the process', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const parent = tmp();
      const out = join(parent, 'plan');
      writeOutputFolder(prepareOutputFolder(out, { cwd: '/' }), (w) => w.write('report.md', 'old'));
      const proc = child(out, 'wait');
      await ready(proc);
      expect(leftovers(parent, 'plan')).toHaveLength(2);
      proc.kill(signal);
      expect((await exited(proc)).signal).toBe(signal);
      expect(leftovers(parent, 'plan')).toEqual([]);
      expect(readFileSync(join(out, 'report.md'), 'utf8')).toBe('old');
    }
  });

  it('a died run between its two renames is repaired: the old folder is put back', () => {
    const parent = tmp();
    writeOutputFolder(prepareOutputFolder(join(parent, 'plan'), { cwd: '/' }), (w) => w.write('report.md', 'old'));
    // What a SIGKILL between "move the old folder aside" and "move the new one in" leaves.
    spawnSync('mv', [join(parent, 'plan'), join(parent, '.plan.footprint-old-dead')]);
    mkdirSync(join(parent, '.plan.footprint-new-dead'));
    const folder = prepareOutputFolder(join(parent, 'plan'), { cwd: '/' });
    expect(readFileSync(join(parent, 'plan', 'report.md'), 'utf8')).toBe('old');
    folder.abort();
    expect(leftovers(parent, 'plan')).toEqual([]);
  });

  it('a lock held by a live process stops a second run (exit 2, naming its pid); the CLI refuses before any work', async () => {
    const parent = tmp();
    const owner = liveProcess();
    const lock = writeLock(parent, 'plan', owner.pid!);
    const error = errorOf(() => prepareOutputFolder(join(parent, 'plan'), { cwd: '/' }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`pid ${owner.pid}`);
    expect(error.message).toContain(lock);
    const result = await runCli(['optimise', example('scenario.yaml'), ...fast, '--out', join(parent, 'plan')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`being written by another footprint run \\(pid ${owner.pid}\\)`));
    expect(existsSync(join(parent, 'plan'))).toBe(false);
    expect(existsSync(lock)).toBe(true);
  });

  it('two runs in one process cannot hold the same folder', () => {
    const parent = tmp();
    const first = prepareOutputFolder(join(parent, 'plan'), { cwd: '/' });
    expect(errorOf(() => prepareOutputFolder(join(parent, 'plan'), { cwd: '/' })).message).toContain(`pid ${process.pid}`);
    first.abort();
    prepareOutputFolder(join(parent, 'plan'), { cwd: '/' }).abort();
  });

  it('a stale lock (its process is gone) is taken over', () => {
    const parent = tmp();
    writeLock(parent, 'plan', deadPid());
    writeOutputFolder(prepareOutputFolder(join(parent, 'plan'), { cwd: '/' }), (w) => w.write('report.md', 'new'));
    expect(readFileSync(join(parent, 'plan', 'report.md'), 'utf8')).toBe('new');
    expect(leftovers(parent, 'plan')).toEqual([]);
  });

  it('a garbled lock file counts as stale', () => {
    const parent = tmp();
    writeFileSync(join(parent, '.plan.footprint-lock'), 'not json');
    prepareOutputFolder(join(parent, 'plan'), { cwd: '/' }).abort();
    expect(leftovers(parent, 'plan')).toEqual([]);
  });
});

describe('output folders that are not footprint\'s are never replaced', () => {
  it('a folder with files footprint did not write is refused (exit 2, naming them) and left alone', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'thesis.docx'), 'years of work');
    writeFileSync(join(dir, 'report.md'), 'mine');
    const error = errorOf(() => prepareOutputFolder(dir, { cwd: '/' }));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/holds files footprint did not write \(thesis\.docx\)/);
    expect(snapshot(dir)).toEqual({ 'thesis.docx': 'years of work', 'report.md': 'mine' });
  });

  it('a file added to a folder footprint wrote (not in its manifest) is refused', () => {
    const parent = tmp();
    const out = join(parent, 'plan');
    writeOutputFolder(prepareOutputFolder(out, { cwd: '/' }), (w) => w.write('report.md', 'old'));
    writeFileSync(join(out, 'notes.txt'), 'my notes');
    expect(errorOf(() => prepareOutputFolder(out, { cwd: '/' })).message).toMatch(/\(notes\.txt\)/);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('my notes');
  });

  it('a folder written before manifests (only footprint\'s own names) is replaced', () => {
    const dir = tmp();
    for (const name of ['report.md', 'footprints.geojson', 'split-wards.svg', 'assignment.csv']) writeFileSync(join(dir, name), 'old');
    writeOutputFolder(prepareOutputFolder(dir, { cwd: '/' }), (w) => w.write('report.md', 'new'));
    expect(Object.keys(snapshot(dir)).sort()).toEqual([MANIFEST, 'report.md']);
  });

  it('the working folder, a folder holding it, and the root are refused', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'work'));
    expect(errorOf(() => prepareOutputFolder(dir, { cwd: join(dir, 'work') })).message).toMatch(/contains the working folder/);
    expect(errorOf(() => prepareOutputFolder(join(dir, 'work'), { cwd: join(dir, 'work') })).message).toMatch(/is or contains the working folder/);
    expect(errorOf(() => prepareOutputFolder('/', { cwd: dir })).message).toMatch(/root of the file system/);
  });

  it('an output equal to an input, or holding one, is refused', () => {
    const dir = tmp();
    const input = join(dir, 'units.geojson');
    writeFileSync(input, '{}');
    expect(errorOf(() => prepareOutputFolder(input, { inputs: [input], cwd: '/' })).message).toMatch(/is one of the inputs/);
    expect(errorOf(() => prepareOutputFolder(dir, { inputs: [input], cwd: '/' })).message).toMatch(/holds the input .*units\.geojson/);
    expect(errorOf(() => prepareOutputFile(input, { inputs: [`${input}#objects`] })).message).toMatch(/is one of the inputs/);
    expect(readFileSync(input, 'utf8')).toBe('{}');
  });
});

describe('readers of a folder being swapped', () => {
  it('wait for the new set while a live run holds the lock, instead of failing on the missing file', async () => {
    const parent = tmp();
    const file = join(parent, 'plan', 'assignment.csv');
    // A live "run" that holds the lock and puts the folder in place a little later.
    const script = `
      const fs = require('node:fs'), path = require('node:path');
      fs.writeFileSync(${JSON.stringify(join(parent, '.plan.footprint-lock'))}, JSON.stringify({ pid: process.pid, host: require('node:os').hostname() }));
      process.stdout.write('ready');
      setTimeout(() => { fs.mkdirSync(path.dirname(${JSON.stringify(file)})); fs.writeFileSync(${JSON.stringify(file)}, 'unit_id,footprint\\n'); }, 150);
      setTimeout(() => {}, 5000);`;
    const proc = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(proc);
    await ready(proc);
    awaitOutputSwap(file, 5000);
    expect(existsSync(file)).toBe(true);
  });

  it('return at once when no run holds a lock', () => {
    const parent = tmp();
    awaitOutputSwap(join(parent, 'plan', 'missing.csv'), 60_000);
    expect(existsSync(join(parent, 'plan'))).toBe(false);
  });
});

describe('output paths are checked before any work (exit 2)', () => {
  // A units file that cannot be parsed: if the output were checked after loading, this would be the error.
  const broken = 'fixtures/broken/not-json.geojson';

  it('optimise, score, compare: --out equal to an input is refused before the input is read', async () => {
    for (const argv of [
      ['optimise', '--units', broken, '--out', broken],
      ['score', '--units', broken, '--layer', `w=${example('wards.geojson')}`, '--out', broken],
      ['compare', 'fixtures/example/plan/assignment.csv', 'fixtures/check/over-max.csv', '--units', broken, '--out', 'fixtures/check/over-max.csv'],
    ]) {
      const result = await runCli(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/is one of the inputs/);
    }
  });

  it('validate: --out equal to an input is refused and the input is untouched; a folder is refused', async () => {
    const dir = tmp();
    const layer = join(dir, 'gap.geojson');
    const text = readFileSync(fixture('broken', 'gap.geojson'), 'utf8');
    writeFileSync(layer, text);
    const same = await runCli(['validate', layer, '--out', layer]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/is one of the inputs/);
    expect(readFileSync(layer, 'utf8')).toBe(text);
    const folder = await runCli(['validate', layer, '--out', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/is a folder; give a file name/);
  });

  it('an unwritable output (under a file, or without permission) is refused before the data is read', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a-file'), '');
    const underFile = join(dir, 'a-file', 'out');
    for (const argv of [
      ['optimise', '--units', broken, '--out', underFile],
      ['score', '--units', broken, '--layer', `w=${example('wards.geojson')}`, '--out', underFile],
      ['compare', 'fixtures/example/plan/assignment.csv', 'fixtures/check/over-max.csv', '--units', broken, '--out', underFile],
      ['validate', broken, '--out', join(underFile, 'problems.geojson')],
    ]) {
      const result = await runCli(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/a-file: it is a file, not a folder/);
    }
    const optimiseIntoFile = await runCli(['optimise', '--units', broken, '--out', join(dir, 'a-file')]);
    expect(optimiseIntoFile.code).toBe(2);
    expect(optimiseIntoFile.stderr).toMatch(/is a file; give a folder/);
    // Root ignores permissions; there the test above (a file in the way) stands for this one.
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      for (const argv of [
        ['optimise', '--units', broken, '--out', join(locked, 'out')],
        ['validate', broken, '--out', join(locked, 'problems.geojson')],
      ]) {
        const result = await runCli(argv);
        expect(result.code, argv.join(' ')).toBe(2);
        expect(result.stderr).toMatch(/permission denied/);
      }
      chmodSync(locked, 0o700);
    }
  });

  it('a write that fails after the search (a layer name too long for a file name) is exit 2 and leaves the old folder intact', async () => {
    const dir = join(tmp(), 'plan');
    const base = ['optimise', '--units', example('units.geojson'), '--k', '5', ...fast, '--out', dir, '-q'];
    expect((await runCli([...base, '--layer', `wards=${example('wards.geojson')}`])).code).toBe(0);
    const before = snapshot(dir);
    const result = await runCli([...base, '--layer', `${'w'.repeat(300)}=${example('wards.geojson')}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot write .*split-w+\.svg: the name is too long/);
    expect(snapshot(dir)).toEqual(before);
    expect(leftovers(join(dir, '..'), 'plan')).toEqual([]);
  });

  it('optimise: a second run with fewer layers leaves no split map of the first', async () => {
    const dir = join(tmp(), 'plan');
    const base = ['optimise', '--units', example('units.geojson'), '--k', '5', ...fast, '--out', dir, '-q'];
    const first = await runCli([...base, '--layer', `wards=${example('wards.geojson')}`, '--layer', `gp=${example('gp.geojson')}`]);
    expect(first.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('split-')).sort()).toEqual(['split-gp.svg', 'split-wards.svg']);
    const second = await runCli([...base, '--layer', `wards=${example('wards.geojson')}`]);
    expect(second.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('split-'))).toEqual(['split-wards.svg']);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).not.toContain('split-gp.svg');
    expect(leftovers(join(dir, '..'), 'plan')).toEqual([]);
  });
});
