import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCsv } from '../src/io/csv.js';
import { readTable } from '../src/io/table.js';
import { runCli } from './helpers/cli.js';

const scenario = ['--scenario', 'fixtures/example/scenario.yaml'];

interface Compared {
  plan: string;
  objective: number;
  changedUnits: string[];
  footprints: Array<{ id: string; matchedTo: string }>;
}

describe('footprint compare', () => {
  it('a plan compared with itself (as CSV and as polygons) reports no change', async () => {
    const result = await runCli(['compare', 'fixtures/example/plan/assignment.csv', 'fixtures/example/plan/footprints.geojson', ...scenario, '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Compared[];
    expect(json[1].changedUnits).toEqual([]);
    expect(json[1].objective).toBeCloseTo(json[0].objective, 12);
  });

  it('renumbered footprints are matched, not counted as change; a moved unit is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'footprint-compare-'));
    const rows = readTable('fixtures/example/plan/assignment.csv').rows.map((r) => [String(r.cells.unit_id), String(r.cells.footprint)]);
    const renamed = rows.map(([unit, f]) => [unit, f === 'F1' ? 'F2' : f === 'F2' ? 'F1' : f]);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'renamed.csv'), formatCsv(['unit_id', 'footprint'], renamed));
    const out = join(dir, 'compare');
    const result = await runCli(['compare', 'fixtures/example/plan/assignment.csv', join(dir, 'renamed.csv'), 'fixtures/check/over-max.csv', ...scenario, '--json', '--out', out]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Compared[];
    expect(json[1].changedUnits).toEqual([]);
    expect(json[1].footprints.find((f) => f.id === 'F2')?.matchedTo).toBe('F1');
    expect(json[2].changedUnits).toHaveLength(1);
    const markdown = readFileSync(join(out, 'compare.md'), 'utf8');
    expect(markdown).toContain('| plan | objective |');
    expect(markdown).toContain('1 unit(s) change footprint');
    // Evidence side by side: matched footprints, their figures and the difference.
    expect(markdown).toContain('### Evidence:');
    expect(markdown).toMatch(/\| residents \| [\d,]+ \(same\) \|/);
    const moved = json[2] as unknown as { footprints: Array<{ evidence: Record<string, number>; difference?: Record<string, number> }> };
    const diffs = moved.footprints.map((f) => f.difference?.population ?? 0);
    expect(diffs.reduce((s, d) => s + d, 0)).toBe(0);
    expect(diffs.some((d) => d !== 0)).toBe(true);
    expect(typeof moved.footprints[0].evidence.schools).toBe('number');
  });

  it('refuses a plan that lists half the units (exit 2, naming them); with --allow-partial it is marked partial everywhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'footprint-compare-'));
    const rows = readTable('fixtures/example/plan/assignment.csv').rows.map((r) => [String(r.cells.unit_id), String(r.cells.footprint)]);
    const half = join(dir, 'half.csv');
    writeFileSync(half, formatCsv(['unit_id', 'footprint'], rows.slice(0, 70).map(([unit, f]) => [unit, f])));
    const refused = await runCli(['compare', 'fixtures/example/plan/assignment.csv', half, ...scenario, '--out', join(dir, 'out')]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(new RegExp(`half\\.csv is not a complete plan: 70 of 140 units in no footprint \\(${rows[70][0]}, .* and 65 more\\); .*--allow-partial`));
    expect(existsSync(join(dir, 'out'))).toBe(false);

    const allowed = await runCli(['compare', 'fixtures/example/plan/assignment.csv', half, ...scenario, '--allow-partial', '--json', '--out', join(dir, 'out')]);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toMatch(/warning: .*half\.csv is a partial plan \(70 of 140 units in no footprint/);
    const json = JSON.parse(allowed.stdout) as Array<Compared & { partial: boolean; missingUnits?: string[] }>;
    expect(json.map((p) => p.partial)).toEqual([false, true]);
    expect(json[1].missingUnits).toEqual(rows.slice(70).map(([unit]) => unit));
    // The half plan splits fewer residents, which is why it must not be read as the better plan.
    expect(json[1].objective).toBeLessThan(json[0].objective);
    const markdown = readFileSync(join(dir, 'out', 'compare.md'), 'utf8');
    expect(markdown).toContain('**Partial plans.**');
    expect(markdown).toMatch(/\| \S*half\.csv \(partial\) \|/);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'compare.json'), 'utf8'))).toEqual(json);
  });

  it('refuses a plan that assigns a unit twice, even with --allow-partial', async () => {
    const result = await runCli(['compare', 'fixtures/example/plan/assignment.csv', 'fixtures/check/duplicate-unit.csv', ...scenario, '--allow-partial']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/duplicate-unit\.csv: 1 unit\(s\) are assigned more than once \(E01900004\)/);
  });

  it('needs at least two plans', async () => {
    const result = await runCli(['compare', 'fixtures/example/plan/assignment.csv', ...scenario]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/at least two plans/);
  });
});
