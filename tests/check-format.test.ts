import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeGithubData, escapeGithubProperty, formatCheck, type CheckReport } from '../src/check/format.js';

const report: CheckReport = {
  plan: 'plans/agreed, v2.geojson',
  units: 'units.geojson',
  assignment: {},
  results: [
    { id: 'assigned-once', title: 'every unit is assigned exactly once', status: 'pass', findings: [] },
    {
      id: 'contiguity',
      title: 'each footprint is contiguous',
      status: 'fail',
      findings: [{ constraint: 'contiguity', footprint: 'F3', message: 'F3 is in 2 pieces:\nmain 40 units, detached 2 units <a & b>', units: ['U1', 'U2'] }],
    },
    { id: 'misalignment', title: 'misalignment thresholds', status: 'skipped', findings: [], detail: 'no --max-misalignment given' },
  ],
};

describe('check output formats', () => {
  it('escapes GitHub workflow-command data and properties as the runner requires', () => {
    expect(escapeGithubData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeGithubProperty('a: b, c')).toBe('a%3A b%2C c');
    const lines = formatCheck(report, 'github').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      '::error file=plans/agreed%2C v2.geojson,title=footprint check%3A each footprint is contiguous::F3 is in 2 pieces:%0Amain 40 units, detached 2 units <a & b> (units U1, U2)',
    );
    // One annotation per finding, each on its own line: no raw newline may survive.
    expect(lines.every((l) => l.startsWith('::'))).toBe(true);
  });

  it('writes JUnit XML that validates, with one test case per constraint and the right counts', () => {
    const xml = formatCheck(report, 'junit');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: { tests: string; failures: string; skipped: string; testsuite: { testcase: Array<{ name: string; failure?: { type: string } }> } };
    };
    expect(parsed.testsuites.tests).toBe('3');
    expect(parsed.testsuites.failures).toBe('1');
    expect(parsed.testsuites.skipped).toBe('1');
    const cases = parsed.testsuites.testsuite.testcase;
    expect(cases).toHaveLength(3);
    expect(cases[1].failure?.type).toBe('contiguity');
    expect(xml).toContain('&lt;a &amp; b&gt;');
  });

  it('says PASS/FAIL/SKIP per constraint in text, with no colour unless asked', () => {
    const text = formatCheck(report, 'text');
    expect(text).toContain('PASS  every unit is assigned exactly once');
    expect(text).toContain('FAIL  each footprint is contiguous');
    expect(text).toContain('SKIP  misalignment thresholds — no --max-misalignment given');
    expect(text).toContain('1 of 2 constraints fail');
    expect(text).not.toContain('\u001b[');
    expect(formatCheck(report, 'text', { color: true })).toContain('\u001b[31mFAIL');
  });

  it('gives machines the whole report as JSON with an ok flag', () => {
    const json = JSON.parse(formatCheck(report, 'json')) as { ok: boolean; results: unknown[] };
    expect(json.ok).toBe(false);
    expect(json.results).toHaveLength(3);
  });
});
