import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { misalignment } from '../src/align/measures.js';
import { runOptimise } from '../src/pipeline/optimise.js';
import { applyFlags, defaultConfig } from '../src/scenario/config.js';
import { runCli } from './helpers/cli.js';
import { fixture, hasOldham, oldham } from './helpers/data.js';

const example = (name: string) => fixture('example', name);
const fast = ['--restarts', '2', '--iterations', '20000'];

describe('footprint optimise on the bundled example', () => {
  it('writes footprints, assignment and report; the same seed gives byte-identical files', async () => {
    const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'footprint-opt-')));
    for (const dir of dirs) {
      const result = await runCli(['optimise', example('scenario.yaml'), ...fast, '--out', dir]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/objective \d\.\d{4}/);
    }
    for (const file of ['footprints.geojson', 'assignment.geojson', 'assignment.csv', 'evidence.csv', 'evidence.svg', 'services.csv', 'services.svg', 'report.md']) {
      expect(readFileSync(join(dirs[1], file), 'utf8')).toBe(readFileSync(join(dirs[0], file), 'utf8'));
    }
    const footprints = JSON.parse(readFileSync(join(dirs[0], 'footprints.geojson'), 'utf8')) as { features: Array<{ properties: Record<string, number | string | boolean> }> };
    expect(footprints.features).toHaveLength(5);
    for (const f of footprints.features) {
      expect(f.properties.population).toBeGreaterThanOrEqual(30_000);
      expect(f.properties.population).toBeLessThanOrEqual(55_000);
      expect(f.properties.within_bounds).toBe(true);
      expect(typeof f.properties.age_65_plus).toBe('number');
      expect(typeof f.properties.schools).toBe('number');
      expect(typeof f.properties.imd_decile_mean).toBe('number');
      expect(typeof f.properties.name).toBe('string');
    }
    const csv = readFileSync(join(dirs[0], 'assignment.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('unit_id,footprint,population');
    expect(csv).toHaveLength(141);
    const report = readFileSync(join(dirs[0], 'report.md'), 'utf8');
    expect(report).toContain('## Objective');
    expect(report).toContain('## Evidence');
    // The example declares imd_decile a mean: that declaration is kept, and a decile is never summed.
    expect(report).toContain('imd_decile (population-weighted mean)');
    expect(report).toContain('![Evidence per footprint](evidence.svg)');
    const evidence = readFileSync(join(dirs[0], 'evidence.csv'), 'utf8').trim().split('\n');
    expect(evidence[0]).toBe('footprint,name,population,need,schools,schools_per_10k,schools_distance_m,age_0_15,age_16_64,age_65_plus,imd_decile_mean,specialist,targeted,universal,district_staff_current,district_staff_fair,district_staff_gap');
    expect(evidence).toHaveLength(7);
    expect(evidence[6]).toMatch(/^total,total,240000,\d+,40,/);
    // District staff (fixtures/example/district_staff.csv, 234.7 in all) are shared out through the
    // districts lookup layer: the footprints' current and fair amounts both add up to the total.
    const rows = evidence.slice(1, 6).map((line) => line.split(','));
    const column = (name: string) => evidence[0].split(',').indexOf(name);
    const sum = (name: string) => rows.reduce((s, r) => s + Number(r[column(name)]), 0);
    expect(sum('district_staff_current')).toBeCloseTo(234.7, 1);
    expect(sum('district_staff_fair')).toBeCloseTo(234.7, 1);
    expect(Number(evidence[6].split(',')[column('district_staff_gap')])).toBeCloseTo(0, 6);
    // Cohorts add up to residents in every footprint.
    for (const r of rows) expect(Number(r[column('specialist')]) + Number(r[column('targeted')]) + Number(r[column('universal')])).toBeCloseTo(Number(r[column('population')]), 1);
    // services.csv: per service, the five footprints and a total; numbers follow from the stated rates.
    const services = readFileSync(join(dirs[0], 'services.csv'), 'utf8').trim().split('\n').map((line) => line.split(','));
    expect(services[0].join(',')).toBe('footprint,name,service,team,demand,required_low,required,required_high,current,gap');
    expect(services).toHaveLength(1 + 3 * 6);
    const hv = services.filter((r) => r[2] === 'health_visiting');
    expect(hv.map((r) => r[0])).toEqual(['F1', 'F2', 'F3', 'F4', 'F5', 'total']);
    rows.forEach((r, f) => {
      // health visiting: demand 0.31 × age_0_15, one post per 250, in half posts, at least 1.
      expect(Number(hv[f][4])).toBeCloseTo(0.31 * Number(r[column('age_0_15')]), 1);
      expect(Math.abs(Number(hv[f][6]) - Number(hv[f][4]) / 250)).toBeLessThanOrEqual(0.5);
      expect(Number(hv[f][5])).toBeLessThanOrEqual(Number(hv[f][6]));
      expect(Number(hv[f][7])).toBeGreaterThanOrEqual(Number(hv[f][6]));
    });
    expect(hv.slice(0, 5).reduce((t, r) => t + Number(r[6]), 0)).toBeCloseTo(Number(hv[5][6]), 6);
    expect(Number(hv[5][6])).toBe(Math.round((0.31 * 51024) / 250 / 0.5) * 0.5);
    // Police posts today (fixtures/example/police_posts.csv, 119 in all) are shared out through the police layer.
    const police = services.filter((r) => r[2] === 'neighbourhood_policing');
    expect(police.slice(0, 5).reduce((t, r) => t + Number(r[8]), 0)).toBeCloseTo(119, 1);
    expect(Number(police[5][9])).toBeCloseTo(119 - Number(police[5][6]), 6);
    expect(report).toContain('## What each footprint needs');
    expect(report).toContain('![Required and current posts per footprint](services.svg)');
    for (const f of footprints.features) expect(report).toContain(`### ${f.properties.footprint} `);
    // --json carries the same services for a machine to read: per service, each footprint's posts and the total, as in services.csv.
    const json = JSON.parse((await runCli(['optimise', example('scenario.yaml'), ...fast, '--out', mkdtempSync(join(tmpdir(), 'footprint-opt-')), '--json'])).stdout) as {
      services: Array<{ service: string; team: string; footprints: Array<{ footprint: string; required: number; current: number | null }>; total: { required: number } }>;
    };
    expect(json.services.map((s) => s.service)).toEqual([...new Set(services.slice(1).map((r) => r[2]))]);
    for (const s of json.services) {
      const csvRows = services.filter((r) => r[2] === s.service);
      expect(s.footprints.map((f) => [f.footprint, f.required])).toEqual(csvRows.slice(0, 5).map((r) => [r[0], Number(r[6])]));
      expect(s.total.required).toBe(Number(csvRows[5][6]));
    }
  });

  it('nested in its districts, --json carries the services of every footprint planned, as services.csv does', async () => {
    const out = mkdtempSync(join(tmpdir(), 'footprint-opt-'));
    const result = await runCli(['optimise', example('scenario.yaml'), '--within', 'districts', '--k', 'auto', ...fast, '--out', out, '--json']);
    // Districts 1 and 2 hold too few residents for a footprint: exit 1, the others planned.
    expect(result.code, result.stderr).toBe(1);
    const json = JSON.parse(result.stdout) as { within: string; failed: string[]; services: Array<{ service: string; footprints: Array<{ footprint: string; required: number }>; total: { required: number } }> };
    expect(json.within).toBe('districts');
    expect(json.failed).toEqual(['D1', 'D2']);
    const csv = readFileSync(join(out, 'services.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
    expect(json.services.map((s) => s.service)).toEqual([...new Set(csv.map((r) => r[2]))]);
    for (const s of json.services) {
      const rows = csv.filter((r) => r[2] === s.service);
      expect(s.footprints.map((f) => [f.footprint, f.required])).toEqual(rows.slice(0, -1).map((r) => [r[0], Number(r[6])]));
      expect(s.total.required).toBe(Number(rows[rows.length - 1][6]));
    }
  }, 60_000);

  it('reports objective terms that match an independent recomputation from the crosswalks', async () => {
    const config = applyFlags(defaultConfig(example('units.geojson')), {
      layer: [
        ['wards', example('wards.geojson')],
        ['gp', example('gp.geojson')],
      ],
      weight: [['gp', '2']],
      restarts: 2,
    });
    const { outcome } = await runOptimise(config, { workers: 1, iterations: 20_000 });
    let total = 0;
    outcome.workspace.layers.forEach((layer, i) => {
      const m = misalignment(layer.crosswalk, outcome.workspace.populations, outcome.assignment);
      expect(outcome.objective.terms[i].value).toBeCloseTo(m.splitPopulation, 9);
      total += layer.weight * m.splitPopulation;
    });
    expect(outcome.objective.total).toBeCloseTo(total, 9);
  });

  it('exits 3 with a sentence a planner understands when no plan can exist', async () => {
    const result = await runCli(['optimise', '--units', example('units.geojson'), '--k', '3', '--max', '55000']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/The units hold 240,000 residents, more than the 165,000 that 3 footprints of at most 55,000 can hold: raise --max or --k\./);
    const lock = await runCli(['optimise', '--units', example('units.geojson'), '--lock', 'E01900001=6']);
    expect(lock.code).toBe(2);
    expect(lock.stderr).toMatch(/locked to footprint 6, but k is 5/);
  });

  it('--bound-nodes proves a plan of 140 units optimal, past the exact search\'s reach, and says so', async () => {
    // Two footprints aligned with the six districts: too many units for the exact search (36), but
    // HiGHS solves the problem without contiguity and its optimum equals the contiguous plan's.
    const args = ['optimise', '--units', example('units.geojson'), '--layer', `districts=${example('districts.geojson')}`, '--k', '2', '--min', '100000', '--max', '140000', ...fast];
    const dir = mkdtempSync(join(tmpdir(), 'footprint-bound-'));
    const plain = await runCli([...args, '--json', '--out', dir]);
    expect(plain.code).toBe(0);
    const plainSummary = JSON.parse(plain.stdout) as { status: string; bound: number | null; objective: number };
    expect(plainSummary.status).toBe('heuristic');
    expect(plainSummary.bound).toBeNull();
    const proved = await runCli([...args, '--bound-nodes', '200', '--json', '--out', dir]);
    expect(proved.code).toBe(0);
    const summary = JSON.parse(proved.stdout) as { status: string; bound: number | null; objective: number };
    expect(summary.status).toBe('optimal');
    expect(summary.objective).toBe(plainSummary.objective);
    expect(summary.bound).toBe(summary.objective);
    const report = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(report).toContain('Status: **optimal**');
    expect(report).toMatch(/lower bound by HiGHS on the home relaxation \(homes of \d+ areas whole, nodes fractional; \d+ solves adding \d+ contiguity cuts, \d+ branch-and-bound nodes, solved\)/);
  });

  it('names a bad scenario key and its line (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'footprint-sc-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 's.yaml'), 'units: u.geojson\nkk: 5\n');
    const result = await runCli(['optimise', join(dir, 's.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/line 2, key "kk": unknown key/);
  });
});

describe.skipIf(!hasOldham)('optimise on real Oldham data', () => {
  it('wards as units: proves the optimum of S(wards|F) + S(msoa|F)', async () => {
    const config = applyFlags(defaultConfig(oldham('wards.geojson')), {
      layer: [
        ['wards', oldham('wards.geojson')],
        ['msoa', oldham('msoa.geojson')],
      ],
      restarts: 2,
    });
    const { outcome, result } = await runOptimise(config, { workers: 1, iterations: 20_000 });
    expect(result.status).toBe('optimal');
    expect(outcome.bound).toBeCloseTo(outcome.objective.total, 12);
    expect(outcome.objective.terms[0].value).toBe(0); // wards are the units: never split
    expect(outcome.populations.every((p) => p >= 30_000 && p <= 55_000)).toBe(true);
  });
});
