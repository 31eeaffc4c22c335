import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const base = ['--units', 'fixtures/example/units.geojson', '--layer', 'wards=fixtures/example/wards.geojson', '--k', '5', '--min', '30000', '--max', '55000'];

interface JsonReport {
  ok: boolean;
  results: Array<{ id: string; status: string; findings: Array<{ message: string; units?: string[] }> }>;
}

async function checkJson(plan: string, extra: string[] = []): Promise<{ code: number; report: JsonReport }> {
  const result = await runCli(['check', plan, ...base, ...extra, '--format', 'json']);
  return { code: result.code, report: JSON.parse(result.stdout) as JsonReport };
}

const failing = (report: JsonReport) => report.results.filter((r) => r.status === 'fail').map((r) => r.id);

describe('footprint check', () => {
  it('passes the plan footprint optimise produced, as CSV and as footprint polygons', async () => {
    for (const plan of ['fixtures/example/plan/assignment.csv', 'fixtures/example/plan/footprints.geojson']) {
      const { code, report } = await checkJson(plan, ['--keep-whole', 'wards', '--max-misalignment', 'wards=0.01']);
      expect(failing(report)).toEqual([]);
      expect(report.ok).toBe(true);
      expect(code).toBe(0);
    }
  });

  it.each([
    ['split-footprint.csv', 'contiguity', /F\d is in 2 pieces/, []],
    ['over-max.csv', 'population-bounds', /F\d has [\d,]+ residents, [\d,]+ above the maximum/, []],
    ['missing-unit.csv', 'assigned-once', /1 unit\(s\) are in no footprint/, ['--allow-partial']],
    ['duplicate-unit.csv', 'assigned-once', /unit E\d+ is assigned twice/, []],
  ])('%s fails exactly %s, exit 1', async (file, constraint, message, extra) => {
    const { code, report } = await checkJson(`fixtures/check/${file}`, extra);
    expect(code).toBe(1);
    expect(failing(report)).toEqual([constraint]);
    const findings = report.results.find((r) => r.id === constraint)!.findings;
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toMatch(message);
  });

  it('refuses a plan that leaves units out or names unknown units (exit 2, naming them) unless --allow-partial', async () => {
    const missing = await runCli(['check', 'fixtures/check/missing-unit.csv', ...base]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/missing-unit\.csv is not a complete plan: 1 of 140 units in no footprint \(E01900008\); .*--allow-partial/);

    const dir = mkdtempSync(join(tmpdir(), 'footprint-check-'));
    const plan = join(dir, 'unknown.csv');
    writeFileSync(plan, `${readFileSync('fixtures/example/plan/assignment.csv', 'utf8').trimEnd()}\nE09999999,F1\n`);
    const unknown = await runCli(['check', plan, ...base]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/1 unit id\(s\) not in the units \(E09999999\)/);

    const allowed = await checkJson('fixtures/check/missing-unit.csv', ['--allow-partial']);
    expect(allowed.code).toBe(1);
    const assigned = allowed.report.results.find((r) => r.id === 'assigned-once') as { detail?: string };
    expect(assigned.detail).toMatch(/^partial plan: 1 of 140 units in no footprint \(E01900008\)/);
  });

  it('a ward split under --keep-whole fails exactly keep-whole', async () => {
    const { code, report } = await checkJson('fixtures/check/split-ward.csv', ['--keep-whole', 'wards']);
    expect(code).toBe(1);
    expect(failing(report)).toEqual(['keep-whole']);
  });

  it('fails a misalignment threshold that the plan does not meet', async () => {
    const { code, report } = await checkJson('fixtures/check/split-footprint.csv', ['--max-misalignment', 'wards=0.001']);
    expect(code).toBe(1);
    expect(failing(report)).toEqual(['contiguity', 'misalignment']);
  });

  it('writes JUnit XML that validates, one test case per constraint with the right counts', async () => {
    const result = await runCli(['check', 'fixtures/check/over-max.csv', ...base, '--format', 'junit']);
    expect(result.code).toBe(1);
    expect(XMLValidator.validate(result.stdout)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(result.stdout) as { testsuites: { tests: string; failures: string; skipped: string } };
    expect(xml.testsuites).toMatchObject({ tests: '7', failures: '1', skipped: '3' });
  });

  it('prints GitHub annotations, one per finding, on single lines', async () => {
    const result = await runCli(['check', 'fixtures/check/split-ward.csv', ...base, '--keep-whole', 'wards', '--format', 'github']);
    expect(result.code).toBe(1);
    const errors = result.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error file=fixtures\/check\/split-ward\.csv,title=footprint check%3A wards areas are not split::wards \w+ \(E\d+\) is split/);
  });

  it('reads bounds from a scenario file', async () => {
    const result = await runCli(['check', 'fixtures/example/plan/assignment.csv', '--scenario', 'fixtures/example/scenario.yaml', '--k', '4']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/the plan has 5 footprints .*; 4 are required/);
  });

  it('exits 2 for an unreadable plan', async () => {
    const result = await runCli(['check', 'fixtures/check/nope.csv', ...base]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nope\.csv: cannot read file: no such file/);
  });
});
