import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawLayer } from '../src/layers/load.js';
import { validateLayer } from '../src/validate/validate.js';
import { overlapFindings } from '../src/validate/topology.js';
import { equalAreaProjection } from '../src/geometry/project.js';
import type { PlanarMultiPolygon } from '../src/geometry/planar.js';
import type { FindingKind, LayerReport } from '../src/validate/types.js';
import { runCli } from './helpers/cli.js';
import { fixture, hasOldham, oldham } from './helpers/data.js';

const brokenReadme = readFileSync(fixture('broken', 'README.md'), 'utf8');
/** Ids the fixture README names for a broken file, so tests and fixtures cannot drift apart. */
function idsFor(file: string): string[] {
  const row = brokenReadme.split('\n').find((l) => l.startsWith(`| \`${file}\``));
  if (!row) throw new Error(`no README row for ${file}`);
  return row.split('|')[3].trim().split(', ').filter((s) => s !== '–');
}

const validate = (file: string): LayerReport => validateLayer(readRawLayer(fixture('broken', file)));
const errorsOf = (report: LayerReport) => report.findings.filter((f) => f.severity === 'error');
const kinds = (report: LayerReport) => new Set(errorsOf(report).map((f) => f.kind));

describe('validate: each broken fixture reports its problem with the ids involved', () => {
  it.each<[string, FindingKind]>([
    ['gap.geojson', 'gap'],
    ['overlap.geojson', 'overlap'],
    ['bowtie.geojson', 'self-intersection'],
    ['duplicate-id.geojson', 'duplicate-id'],
    ['point-feature.geojson', 'not-polygon'],
    ['unclosed-ring.geojson', 'unclosed-ring'],
    ['too-few-points.geojson', 'too-few-points'],
    ['multipart-apart.geojson', 'multipart-apart'],
  ])('%s → %s', (file, kind) => {
    const report = validate(file);
    const found = errorsOf(report).filter((f) => f.kind === kind);
    expect(found.length).toBeGreaterThan(0);
    const expected = idsFor(file);
    expect(found[0].ids.slice().sort()).toEqual(expected.slice().sort());
    expect(found[0].message).toContain(expected[0]);
  });

  it('gaps and overlaps carry their area and a polygon to map', () => {
    const gap = errorsOf(validate('gap.geojson'));
    expect(gap).toHaveLength(1);
    expect(gap[0].areaM2).toBeGreaterThan(1000);
    expect(gap[0].geometry?.type).toBe('Polygon');
    const overlap = errorsOf(validate('overlap.geojson'));
    expect(overlap).toHaveLength(1);
    expect(overlap[0].areaM2).toBeGreaterThan(1000);
    expect(overlap[0].location?.[1]).toBeGreaterThan(53);
  });

  it('missing and negative populations are each named', () => {
    const report = validate('missing-population.geojson');
    const [nullId, negativeId] = idsFor('missing-population.geojson');
    expect(report.findings.find((f) => f.kind === 'missing-population')?.ids).toEqual([nullId]);
    const bad = report.findings.find((f) => f.kind === 'bad-population');
    expect(bad?.ids).toEqual([negativeId]);
    expect(bad?.message).toMatch(/is negative \(-5\)/);
  });

  it('a gap under the tolerance is a warning, not an error', () => {
    const report = validateLayer(readRawLayer(fixture('broken', 'gap.geojson')), { tolerance: 1_000_000 });
    expect(report.errors).toBe(0);
    expect(report.findings.find((f) => f.kind === 'sliver-gap')?.severity).toBe('warning');
  });
});

describe('validate: good layers are clean', () => {
  it.each(['units', 'wards', 'gp', 'police', 'districts'])('example %s has no errors or warnings', (name) => {
    const report = validateLayer(readRawLayer(fixture('example', `${name}.geojson`)));
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(kinds(report).size).toBe(0);
  });

  // Neighbours whose shared corners differ by a few ulps, as corners computed by two separate
  // operations do: the clipper, unsnapped, reported the whole right-hand feature as an overlap.
  it('neighbours whose shared corners differ by a hair do not overlap', () => {
    const left: PlanarMultiPolygon = [[[[1999.999999999987, 2.8281750686841097e-9], [2799.999999999988, 5.656350137368551e-10], [2800.000000000013, 99.9999999967952], [1999.9999999999898, 99.99999999778859], [1999.999999999987, 2.8281750686841097e-9]]]];
    const right: PlanarMultiPolygon = [[[[2799.999999999988, 5.656350137368553e-10], [3000.000000000003, 0], [2999.999999999986, 100.00000000375883], [2800.000000000013, 99.9999999967952], [2799.999999999988, 5.656350137368553e-10]]]];
    const findings = overlapFindings({ ids: ['L', 'R'], shapes: [left, right], projection: equalAreaProjection(-2.1, 53.55), tolerance: 100 });
    expect(findings).toEqual([]);
  });

  it('BNG copies are reprojected with a note and validate clean', () => {
    for (const file of ['bng.geojson', 'bng-crs.geojson']) {
      const report = validate(file);
      expect(report.errors).toBe(0);
      expect(report.findings.some((f) => f.kind === 'reprojected')).toBe(true);
    }
  });
});

describe('footprint validate (CLI)', () => {
  it('exits 0 on the example and prints a summary', async () => {
    const result = await runCli(['validate', 'fixtures/example/units.geojson', 'fixtures/example/borough.topojson#police']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no errors in 2 layer(s)');
    expect(result.stdout).toContain('id "code"');
  });

  it('exits 1 naming the problem and ids, and writes the problems as GeoJSON', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'footprint-validate-')), 'problems.geojson');
    const result = await runCli(['validate', 'fixtures/broken/overlap.geojson', 'fixtures/broken/bowtie.geojson', '--out', out]);
    expect(result.code).toBe(1);
    const [a, b] = idsFor('overlap.geojson');
    expect(result.stdout).toMatch(new RegExp(`overlap: ${a} and ${b} overlap by [\\d,]+ m²`));
    expect(result.stdout).toContain(`self-intersection: ${idsFor('bowtie.geojson')[0]}`);
    const problems = JSON.parse(readFileSync(out, 'utf8')) as { features: Array<{ properties: { kind: string; ids: string; layer: string }; geometry: { type: string } }> };
    const kindsWritten = problems.features.map((f) => f.properties.kind);
    expect(kindsWritten).toContain('overlap');
    expect(kindsWritten).toContain('self-intersection');
    expect(problems.features.find((f) => f.properties.kind === 'overlap')?.geometry.type).toMatch(/Polygon/);
    expect(problems.features.find((f) => f.properties.kind === 'self-intersection')?.geometry.type).toBe('Point');
  });

  it('gives machines JSON with every finding', async () => {
    const result = await runCli(['validate', 'fixtures/broken/duplicate-id.geojson', '--json']);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { ok: boolean; layers: Array<{ findings: Array<{ kind: string; ids: string[] }> }> };
    expect(json.ok).toBe(false);
    expect(json.layers[0].findings.find((f) => f.kind === 'duplicate-id')?.ids).toEqual(idsFor('duplicate-id.geojson'));
  });

  it.each([
    ['fixtures/broken/not-json.geojson', /not-json\.geojson(:\d+)?: not valid JSON/],
    ['fixtures/broken/not-geojson.json', /not-geojson\.json: not GeoJSON or TopoJSON/],
    ['fixtures/broken/empty.geojson', /empty\.geojson: the layer has no features/],
    ['fixtures/broken/no-such-file.geojson', /no-such-file\.geojson: cannot read file: no such file/],
  ])('malformed input %s exits 2 with one clear line and no stack', async (file, pattern) => {
    const result = await runCli(['validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const debug = await runCli(['validate', file, '--debug']);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('a usage error exits 2', async () => {
    expect((await runCli(['validate'])).code).toBe(2);
    expect((await runCli(['validate', 'x.geojson', '--tolerance', 'lots'])).code).toBe(2);
  });
});

describe.skipIf(!hasOldham)('validate on the real Oldham layers', () => {
  it('the LSOAs, MSOAs and both ward patterns load and validate with no errors', async () => {
    const result = await runCli(['validate', oldham('lsoa.geojson'), oldham('msoa.geojson'), oldham('wards.geojson'), oldham('wards_2022.geojson'), '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { layers: Array<{ features: number; errors: number; idField: string }> };
    expect(json.layers.map((l) => l.features)).toEqual([142, 34, 20, 20]);
    expect(json.layers.every((l) => l.errors === 0 && l.idField === 'code')).toBe(true);
  });
});
