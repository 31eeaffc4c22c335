import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCsv, parseCsv } from '../src/layers/csv.js';
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
    const rows = parseCsv(readFileSync('fixtures/example/plan/assignment.csv', 'utf8')).slice(1).map((r) => r.cells);
    const renamed = rows.map(([unit, f]) => [unit, f === 'F1' ? 'F2' : f === 'F2' ? 'F1' : f]);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'renamed.csv'), formatCsv(['unit_id', 'footprint'], renamed));
    const result = await runCli(['compare', 'fixtures/example/plan/assignment.csv', join(dir, 'renamed.csv'), 'fixtures/check/over-max.csv', ...scenario, '--json', '--out', dir]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Compared[];
    expect(json[1].changedUnits).toEqual([]);
    expect(json[1].footprints.find((f) => f.id === 'F2')?.matchedTo).toBe('F1');
    expect(json[2].changedUnits).toHaveLength(1);
    const markdown = readFileSync(join(dir, 'compare.md'), 'utf8');
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

  it('needs at least two plans', async () => {
    const result = await runCli(['compare', 'fixtures/example/plan/assignment.csv', ...scenario]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/at least two plans/);
  });
});
