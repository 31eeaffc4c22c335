import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { fixture, hasOldham, oldhamSkipMessage, repoRoot } from './helpers/data.js';

/** `footprint evidence`: the same evidence, cohorts and services for today's areas or any plan. */
const example = fixture('example', 'scenario.yaml');
const tmp = () => mkdtempSync(join(tmpdir(), 'footprint-evidence-cli-'));

interface EvidenceJson {
  what: string;
  sets: Array<{ id: string; name: string; population: number }>;
  population: number;
  services: Array<{ service: string; footprints: Array<{ footprint: string; demand: number; requiredExact: number; required: number; current: number | null }>; total: { required: number; requiredExact: number; current: number | null } }>;
  files: string[];
}

function csvRows(file: string): string[][] {
  return parse(readFileSync(file, 'utf8')) as string[][];
}

describe('footprint evidence on the bundled example', () => {
  it('--areas districts: six districts whose residents add up to the borough, with services.csv and a report', async () => {
    const out = tmp();
    const result = await runCli(['evidence', example, '--areas', 'districts', '--out', out, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as EvidenceJson;
    expect(json.what).toBe('area');
    expect(json.sets.map((s) => s.id)).toEqual(['D1', 'D2', 'D3', 'D4', 'D5', 'D6']);
    expect(json.sets.reduce((t, s) => t + s.population, 0)).toBeCloseTo(240_000, 6);
    const services = csvRows(join(out, 'services.csv'));
    expect(services).toHaveLength(1 + 3 * 7);
    // District staff per district come back whole to each district: the early-help current is the table's.
    const staff = Object.fromEntries(csvRows(fixture('example', 'district_staff.csv')).slice(1).map((r) => [r[0], Number(r[2])]));
    for (const row of services.filter((r) => r[2] === 'early_help' && r[0] !== 'total')) expect(Number(row[8])).toBeCloseTo(staff[row[0]], 2);
    for (const s of json.services) expect(s.footprints.reduce((t, f) => t + f.required, 0)).toBeCloseTo(s.total.required, 6);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('## What each area needs');
    expect(report).toContain('### D3 District 3');
    expect(readFileSync(join(out, 'services.svg'), 'utf8')).toMatch(/^<svg /);
  });

  it('--plan: the plan\'s footprints, whose posts before rounding add up to the demand over the capacity', async () => {
    const out = tmp();
    const plan = fixture('example', 'plan', 'assignment.csv');
    const result = await runCli(['evidence', example, '--plan', plan, '--out', out, '-q']);
    expect(result.code).toBe(0);
    const json = JSON.parse((await runCli(['evidence', example, '--plan', plan, '--out', tmp(), '--json'])).stdout) as EvidenceJson;
    expect(json.what).toBe('footprint');
    expect(json.sets.reduce((t, s) => t + s.population, 0)).toBe(240_000);
    const hv = json.services.find((s) => s.service === 'health_visiting')!;
    // Before rounding: the footprints' posts add up to the territory's demand over the capacity.
    expect(hv.footprints.reduce((t, f) => t + f.requiredExact, 0)).toBeCloseTo((0.31 * 51024) / 250, 9);
    expect(csvRows(join(out, 'services.csv')).filter((r) => r[0] === 'total')).toHaveLength(3);
  });

  it('refuses a usage without --areas or --plan, an unknown layer, and bad service input (exit 2, one line naming the service and field)', async () => {
    const none = await runCli(['evidence', example, '--out', tmp()]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/exactly one of --areas LAYER .* or --plan FILE/);
    const unknown = await runCli(['evidence', example, '--areas', 'pcns', '--out', tmp()]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--areas pcns: no layer of that name \(layers: wards, gp, police, districts\)/);
    const dir = tmp();
    const text = readFileSync(example, 'utf8').replace(/: ([\w.]+\.(geojson|csv))/g, (_, f: string) => `: ${fixture('example', f)}`);
    const scenario = join(dir, 'bad.yaml');
    writeFileSync(scenario, text.replace('capacity: {per: 250}', 'capacity: {per: 0}'));
    const bad = await runCli(['evidence', scenario, '--areas', 'districts', '--out', join(dir, 'out')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/service "health_visiting", capacity\.per: must be more than 0 \(got 0\)/);
  });
});

describe('footprint compare shows the change in required posts', () => {
  it('per service and matched footprint; with every unit in both plans the totals are the same', async () => {
    const dir = tmp();
    const reference = fixture('example', 'plan', 'assignment.csv');
    // Move the first ten units of F1 to F2.
    const lines = readFileSync(reference, 'utf8').trim().split('\n');
    let moved = 0;
    const changed = lines.map((line, i) => {
      const cells = line.split(',');
      if (i === 0 || moved >= 10 || cells[1] !== 'F1') return line;
      moved++;
      cells[1] = 'F2';
      return cells.join(',');
    });
    const other = join(dir, 'moved.csv');
    writeFileSync(other, `${changed.join('\n')}\n`);
    const result = await runCli(['compare', reference, other, '--scenario', example, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const plans = JSON.parse(result.stdout) as Array<{ footprints: Array<{ id: string; required: Record<string, number>; requiredChange?: Record<string, number> }> }>;
    for (const service of ['health_visiting', 'neighbourhood_policing', 'early_help']) {
      expect(plans[0].footprints.reduce((t, f) => t + f.required[service], 0)).toBeCloseTo(plans[1].footprints.reduce((t, f) => t + f.required[service], 0), 9);
      expect(plans[1].footprints.reduce((t, f) => t + (f.requiredChange?.[service] ?? 0), 0)).toBeCloseTo(0, 9);
    }
    expect(plans[1].footprints.some((f) => Object.values(f.requiredChange ?? {}).some((c) => c !== 0))).toBe(true);
    const markdown = await runCli(['compare', reference, other, '--scenario', example]);
    expect(markdown.stdout).toMatch(/### Required posts: .*moved\.csv against .*assignment\.csv/);
    expect(markdown.stdout).toMatch(/\| health_visiting \| .*→.*\(−/);
  });
});

describe.skipIf(!hasOldham)('footprint evidence on Oldham', () => {
  if (!hasOldham) console.warn(oldhamSkipMessage);
  it('--areas districts: the six districts, with fractional residents that add up to the borough', async () => {
    const out = tmp();
    const result = await runCli(['evidence', join(repoRoot, 'examples', 'oldham', 'scenario.yaml'), '--areas', 'districts', '--out', out, '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as EvidenceJson;
    expect(json.sets).toHaveLength(6);
    expect(json.sets.reduce((t, s) => t + s.population, 0)).toBeCloseTo(242_104, 6);
    // The districts are groups of 2022 wards, whose polygons cut LSOAs: residents come in fractions.
    expect(json.sets.some((s) => !Number.isInteger(Math.round(s.population * 1e6) / 1e6))).toBe(true);
    const services = csvRows(join(out, 'services.csv'));
    expect(new Set(services.slice(1).map((r) => r[2]))).toEqual(new Set(['health_visiting', 'childrens_social_work', 'neighbourhood_policing', 'housing', 'early_help']));
    expect(services.filter((r) => r[0] === 'total')).toHaveLength(5);
    // Cohorts add up to residents; the targeted tier is about 120,000 people (75% of deciles 1–4).
    const evidence = csvRows(join(out, 'evidence.csv'));
    const col = (name: string) => evidence[0].indexOf(name);
    const total = evidence[evidence.length - 1];
    expect(Number(total[col('specialist')]) + Number(total[col('targeted')]) + Number(total[col('universal')])).toBeCloseTo(242_104, 0);
    expect(Number(total[col('targeted')])).toBeGreaterThan(115_000);
    expect(Number(total[col('targeted')])).toBeLessThan(125_000);
  });
});
