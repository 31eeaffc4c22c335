import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import type { FeatureCollection, Geometry } from 'geojson';
import type { CliIo } from '../src/cli/io.js';
import { buildProgram } from '../src/cli/main.js';
import { scoreCommand } from '../src/cli/score.js';
import { FootprintError } from '../src/errors.js';
import { mapPositions, toBng } from '../src/layers/crs.js';
import { fixture, hasOldham, oldham, oldhamSkipMessage, repoRoot } from './helpers/data.js';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run `footprint score ...` in-process the way `run()` does, with only this command registered,
 * so these tests do not depend on the command list being wired up.
 */
async function score(argv: string[], { tty = false }: { tty?: boolean } = {}): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stderrIsTTY: tty,
    env: {},
    cwd: repoRoot,
  };
  const program = buildProgram(io, [scoreCommand]);
  let code = 0;
  program.hook('postAction', (_this, action) => {
    const c = (action as Command & { exitCodeResult?: number }).exitCodeResult;
    if (typeof c === 'number') code = c;
  });
  try {
    await program.parseAsync(['score', ...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) code = error.code === 'commander.helpDisplayed' ? 0 : 2;
    else if (error instanceof FootprintError) {
      stderr += `footprint: ${error.message}\n`;
      code = error.exitCode;
    } else throw error;
  }
  return { code, stdout, stderr };
}

const example = (name: string) => fixture('example', `${name}.geojson`);
const hasExample = existsSync(example('units'));
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'footprint-score-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface ScoreJson {
  units: { count: number; population: number };
  layers: Array<{ name: string; uncovered: Array<{ id: string }>; sliversDropped: number }>;
  matrices: Record<string, { rows: string[]; columns: string[]; values: Array<Array<number | null>> }>;
  pairs: Array<{ x: string; y: string; splitPopulation: { xy: number; yx: number }; variationOfInformationBits: number; splitCount: { xy: number; yx: number } }>;
}

function pair(json: ScoreJson, x: string, y: string) {
  const found = json.pairs.find((p) => p.x === x && p.y === y);
  if (!found) throw new Error(`no pair ${x}/${y}`);
  return found;
}

function noNaN(text: string): void {
  expect(text).not.toMatch(/NaN|Infinity/);
}

describe('footprint score: help and usage', () => {
  it('shows an example in --help', async () => {
    const r = await score(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Example:\s+footprint score --units/);
  });

  it('needs a layer', async () => {
    const r = await score(['--units', example('units')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--layer NAME=FILE/);
  });

  it('refuses a bad sliver tolerance', async () => {
    const r = await score(['--units', example('units'), '--layer', `w=${example('wards')}`, '--sliver', '150%']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sliver must be a share/);
  });
});

describe.skipIf(!hasExample)('footprint score on the bundled example', () => {
  it('prints every matrix, with non-zero misalignment between the layers', async () => {
    const r = await score(['--units', example('units'), '--layer', `wards=${example('wards')}`, '--layer', `gp=${example('gp')}`, '--layer', `police=${example('police')}`, '--layer', `districts=${example('districts')}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Split population S\(row \| column\)/);
    expect(r.stdout).toMatch(/Variation of information/);
    expect(r.stdout).toMatch(/Boundary coincidence/);
    expect(r.stdout).toMatch(/\| gp \|/);
    noNaN(r.stdout);
    // Not a TTY: no progress and no notes on stderr.
    expect(r.stderr).toBe('');
  });

  it('--json: machine output, layers misaligned, units nest in wards', async () => {
    const r = await score(['--units', example('units'), '--layer', `wards=${example('wards')}`, '--layer', `gp=${example('gp')}`, '--layer', `police=${example('police')}`, '--json']);
    expect(r.code).toBe(0);
    noNaN(r.stdout);
    const json = JSON.parse(r.stdout) as ScoreJson;
    expect(json.units.count).toBe(140);
    expect(pair(json, 'wards', 'gp').splitPopulation.xy).toBeGreaterThan(0);
    expect(pair(json, 'gp', 'police').variationOfInformationBits).toBeGreaterThan(0);
    // Units are unions of atoms that wards are built from: no unit is split by a ward.
    expect(pair(json, 'units', 'wards').splitPopulation.xy).toBe(0);
    expect(json.matrices.splitPopulation.rows).toEqual(['units', 'wards', 'gp', 'police']);
    expect(json.matrices.splitPopulation.values[0][0]).toBeNull();
  });

  it('a layer scored against itself gives zero', async () => {
    const r = await score(['--units', example('units'), '--layer', `a=${example('police')}`, '--layer', `b=${example('police')}`, '--json']);
    expect(r.code).toBe(0);
    const p = pair(JSON.parse(r.stdout) as ScoreJson, 'a', 'b');
    expect(p.splitPopulation).toEqual({ xy: 0, yx: 0 });
    expect(p.variationOfInformationBits).toBe(0);
    expect(p.splitCount).toEqual({ xy: 0, yx: 0 });
  });

  it('--out writes score.md, score.json and fragments.geojson', async () => {
    const out = join(dir, 'example');
    const r = await score(['--units', example('units'), '--layer', `wards=${example('wards')}`, '--layer', `gp=${example('gp')}`, '--out', out]);
    expect(r.code).toBe(0);
    const md = readFileSync(join(out, 'score.md'), 'utf8');
    expect(md).toMatch(/^# Alignment score/);
    expect(md).toMatch(/### wards split by gp/);
    expect(md).toMatch(/pieces \(gp: residents\)/);
    const json = JSON.parse(readFileSync(join(out, 'score.json'), 'utf8')) as ScoreJson;
    expect(json.layers.map((l) => l.name)).toEqual(['wards', 'gp']);
    const fragments = JSON.parse(readFileSync(join(out, 'fragments.geojson'), 'utf8')) as FeatureCollection;
    expect(fragments.features.length).toBeGreaterThan(140 * 2 - 1);
    const props = fragments.features[0].properties!;
    expect(Object.keys(props)).toEqual(expect.arrayContaining(['layer', 'unit_id', 'area_id', 'area_m2', 'population', 'sliver']));
    // The kept pieces of each unit carry all its residents.
    const unitsFile = JSON.parse(readFileSync(example('units'), 'utf8')) as FeatureCollection;
    const total = unitsFile.features.reduce((s, f) => s + (f.properties!.population as number), 0);
    const gpPop = fragments.features.filter((f) => f.properties!.layer === 'gp' && !f.properties!.sliver).reduce((s, f) => s + (f.properties!.population as number), 0);
    expect(gpPop).toBeCloseTo(total, 3);
    noNaN(readFileSync(join(out, 'fragments.geojson'), 'utf8'));
  });

  it('a layer in British National Grid gives the same result as in WGS84', async () => {
    const wgs = JSON.parse(readFileSync(example('gp'), 'utf8')) as FeatureCollection;
    const bng: FeatureCollection & { crs: unknown } = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } },
      features: wgs.features.map((f) => ({ ...f, geometry: mapPositions(f.geometry as Geometry, toBng) })),
    };
    const path = join(dir, 'gp_bng.geojson');
    writeFileSync(path, JSON.stringify(bng));
    const a = JSON.parse((await score(['--units', example('units'), '--layer', `gp=${example('gp')}`, '--json'])).stdout) as ScoreJson;
    const rb = await score(['--units', example('units'), '--layer', `gp=${path}`, '--json']);
    expect(rb.code).toBe(0);
    const b = JSON.parse(rb.stdout) as ScoreJson;
    // The round trip through BNG moves vertices by millimetres: weights agree to far under a resident.
    expect(pair(b, 'units', 'gp').splitPopulation.xy).toBeCloseTo(pair(a, 'units', 'gp').splitPopulation.xy, 5);
  });

  it('a layer far from the units: a clear error naming both files', async () => {
    const wgs = JSON.parse(readFileSync(example('gp'), 'utf8')) as FeatureCollection;
    const moved: FeatureCollection = {
      type: 'FeatureCollection',
      features: wgs.features.map((f) => ({ ...f, geometry: mapPositions(f.geometry as Geometry, ([x, y]) => [x + 3, y]) })),
    };
    const path = join(dir, 'gp_far.geojson');
    writeFileSync(path, JSON.stringify(moved));
    const r = await score(['--units', example('units'), '--layer', `gp=${path}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('gp_far.geojson');
    expect(r.stderr).toContain('units.geojson');
    expect(r.stderr).toMatch(/does not overlap/);
  });

  it('units without a population field: a clear error naming the file', async () => {
    const r = await score(['--units', example('wards'), '--population', 'residents', '--layer', `gp=${example('gp')}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/wards\.geojson/);
    expect(r.stderr).toMatch(/residents/);
  });

  it('warns about units a layer does not cover', async () => {
    // Only the first GP cluster: most units are not covered.
    const wgs = JSON.parse(readFileSync(example('gp'), 'utf8')) as FeatureCollection;
    const path = join(dir, 'gp_one.geojson');
    writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features: wgs.features.slice(0, 1) }));
    const r = await score(['--units', example('units'), '--layer', `gp=${path}`, '--layer', `wards=${example('wards')}`, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: layer "gp" does not cover \d+ of 140 units/);
    const json = JSON.parse(r.stdout) as ScoreJson;
    expect(json.layers[0].uncovered.length).toBeGreaterThan(0);
    noNaN(r.stdout);
    const quiet = await score(['--units', example('units'), '--layer', `gp=${path}`, '--quiet']);
    expect(quiet.stderr).toBe('');
  });
});

describe.skipIf(!hasOldham)('footprint score on the real Oldham data', () => {
  it('finds the 55 LSOAs that straddle 2023 ward boundaries', async () => {
    const r = await score(['--units', oldham('lsoa.geojson'), '--layer', `wards=${oldham('wards.geojson')}`, '--layer', `wards_2022=${oldham('wards_2022.geojson')}`, '--layer', `msoa=${oldham('msoa.geojson')}`, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as ScoreJson;
    // The data's README: 55 of the 142 LSOAs have at least 1% of their area in a second ward.
    expect(pair(json, 'units', 'wards').splitCount.xy).toBe(55);
    // LSOAs nest exactly in MSOAs.
    expect(pair(json, 'units', 'msoa').splitPopulation.xy).toBe(0);
    expect(json.units.population).toBe(242_104);
  });
});

if (!hasOldham) console.warn(oldhamSkipMessage);
