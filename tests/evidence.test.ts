import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Crosswalk } from '../src/align/types.js';
import { FootprintError } from '../src/errors.js';
import { evidenceCsv } from '../src/evidence/csv.js';
import { loadEvidence, planEvidence, type EvidenceContext } from '../src/evidence/evidence.js';
import type { EvidenceConfig } from '../src/evidence/config.js';
import { sitesOf } from '../src/evidence/sites.js';
import { equalAreaProjection } from '../src/geometry/project.js';
import type { Area, Layer, RawFeature } from '../src/layers/types.js';
import { buildWorkspace } from '../src/pipeline/workspace.js';
import { applyFlags, defaultConfig } from '../src/scenario/config.js';
import { fixture } from './helpers/data.js';
import { crosswalkOf, districtLayer, squareUnit, unitLayer } from './helpers/evidence-units.js';

const dir = mkdtempSync(join(tmpdir(), 'footprint-evidence-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const baseConfig: EvidenceConfig = { mean: [], exclude: [], points: {} };

describe('evidence: totals, deciles and need', () => {
  it('conserves counts and resources over footprints, and fair shares add up to the total (property)', () => {
    const row = fc.record({ population: fc.integer({ min: 0, max: 3000 }), older: fc.integer({ min: 0, max: 900 }), decile: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }), home: fc.nat(), share: fc.double({ min: 0, max: 0.9, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 4, maxLength: 4 }), fc.integer(), (rows, k, areas, staff, salt) => {
        fc.pre(rows.some((r) => r.decile !== null));
        const units = rows.map((r, i) => squareUnit(i, { age_65_plus: r.older, imd_decile: r.decile }, r.population));
        const layer = unitLayer(units);
        const populations = Float64Array.from(rows, (r) => r.population);
        const cw = crosswalkOf(rows.length, areas, rows.map((r) => r.home % areas), rows.map((r) => r.share));
        const staffFile = file(`staff-${areas}.csv`, `district,staff\n${Array.from({ length: areas }, (_, a) => `D${a},${staff[a]}`).join('\n')}\n`);
        const ctx: EvidenceContext = { units: layer, populations, layers: [{ name: 'districts', layer: districtLayer(areas), crosswalk: cw }], skip: ['id', 'population'] };
        const inputs = loadEvidence({ ...baseConfig, resources: [{ name: 'staff', file: staffFile, layer: 'districts', key: 'district', amount: 'staff' }], columns: { age_65_plus: [{ kind: 'sum' }], imd_decile: [{ kind: 'share', lo: 1, hi: 2 }] }, need: { population: 1, age_65_plus: 1.5, imd_decile_share: 1 } }, ctx);
        const assignment = rows.map((_, i) => Math.abs((i * 7919 + salt) % k));
        const ev = planEvidence(inputs, ctx, assignment, Array.from({ length: k }, (_, f) => `F${f + 1}`));
        const col = (name: string) => ev.columns.findIndex((c) => c.name === name);
        const sumOver = (name: string) => ev.rows.reduce((s, r) => s + (r[col(name)] ?? 0), 0);
        expect(sumOver('age_65_plus')).toBe(rows.reduce((s, r) => s + r.older, 0));
        expect(ev.total[col('age_65_plus')]).toBe(rows.reduce((s, r) => s + r.older, 0));
        // Every district's staff is apportioned when it has residents; the footprints add up to the total.
        const expectedStaff = staff.slice(0, areas).reduce((s, v, a) => s + (cw.area.some((x, p) => x === a && populations[unitOfPiece(cw, p)] * cw.weight[p] > 0) ? v : 0), 0);
        expect(ev.total[col('staff_current')]).toBeCloseTo(expectedStaff, 6);
        expect(sumOver('staff_current')).toBeCloseTo(expectedStaff, 6);
        expect(sumOver('staff_fair')).toBeCloseTo(inputs.need.reduce((s, n) => s + n, 0) > 0 ? expectedStaff : 0, 6);
        expect(Math.abs(sumOver('staff_gap'))).toBeLessThan(1e-6 * Math.max(1, expectedStaff));
        // Need adds up and is exactly the stated weighted count.
        const need = rows.reduce((s, r) => s + r.population + 1.5 * r.older + (r.decile !== null && r.decile <= 2 ? r.population : 0), 0);
        expect(sumOver('need')).toBeCloseTo(need, 6);
        // A decile is never summed: it becomes the share of residents in deciles 1–2.
        expect(col('imd_decile')).toBe(-1);
        expect(col('imd_decile_share')).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  it('reproduces the worked example of docs/metrics.md', () => {
    const units = [
      squareUnit(0, { age_65_plus: 100, imd_decile: 1 }, 1000),
      squareUnit(1, { age_65_plus: 400, imd_decile: 3 }, 2000),
      squareUnit(2, { age_65_plus: 300, imd_decile: 2 }, 1500),
      squareUnit(3, { age_65_plus: 200, imd_decile: null }, 500),
    ].map((u, i) => ({ ...u, id: 'ABCD'[i] }));
    const cw = { ...crosswalkOf(4, 2, [0, 0, 0, 1], [0, 0, 0.5, 0]), unitIds: ['A', 'B', 'C', 'D'], areaIds: ['D1', 'D2'] };
    const ctx: EvidenceContext = { units: unitLayer(units), populations: [1000, 2000, 1500, 500], layers: [{ name: 'districts', layer: districtLayer(2), crosswalk: cw }], skip: ['id', 'population'] };
    const pharmacies = file('pharmacies.geojson', JSON.stringify({ type: 'FeatureCollection', features: [[0.015, 53.005], [0.025, 53.005]].map((c) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: c } })) }));
    const staff = file('worked-staff.csv', 'district,staff\nD1,30\nD2,10\n');
    const inputs = loadEvidence(
      {
        ...baseConfig,
        columns: { imd_decile: [{ kind: 'mean' }, { kind: 'share', lo: 1, hi: 2 }] },
        assets: { pharmacies: { file: pharmacies } },
        resources: [{ name: 'staff', file: staff, layer: 'districts', key: 'district', amount: 'staff' }],
        need: { population: 1, age_65_plus: 1, imd_decile_share: 1 },
      },
      ctx,
    );
    const ev = planEvidence(inputs, ctx, [0, 0, 1, 1], ['F1', 'F2']);
    const get = (name: string) => [...ev.rows, ev.total].map((r) => r[ev.columns.findIndex((c) => c.name === name)]);
    expect(get('population')).toEqual([3000, 2000, 5000]);
    expect(get('age_65_plus')).toEqual([500, 500, 1000]);
    const close = (values: Array<number | null>, expected: number[]) => expected.forEach((e, i) => expect(values[i]).toBeCloseTo(e, 9));
    close(get('imd_decile_mean'), [7 / 3, 2, 10 / 4.5]);
    close(get('imd_decile_share'), [1 / 3, 1, 2500 / 4500]);
    expect(ev.covered.get('imd_decile_share')).toEqual([1, 0.75, 0.9]);
    expect(get('pharmacies')).toEqual([1, 1, 2]);
    close(get('pharmacies_per_10k'), [10 / 3, 5, 4]);
    expect(get('need')).toEqual([4500, 4000, 8500]);
    close(get('staff_current'), [24, 16, 40]);
    close(get('staff_fair'), [(40 * 4500) / 8500, (40 * 4000) / 8500, 40]);
    close(get('staff_gap'), [24 - (40 * 4500) / 8500, 16 - (40 * 4000) / 8500, 0]);
  });

  it('never sums a _decile or _rank column by default, from units or tables, and keeps a declared mean', () => {
    const units = [squareUnit(0, { imd_decile: 1, crime_rank: 5 }, 100), squareUnit(1, { imd_decile: 5, crime_rank: 2 }, 300)];
    const ctx: EvidenceContext = { units: unitLayer(units), populations: [100, 300], layers: [], skip: ['id', 'population'] };
    const table = file('dep.csv', 'code,health_decile,contacts\nU0,2,10\nU1,9,30\n');
    const inputs = loadEvidence({ ...baseConfig, mean: ['imd_decile'], tables: [{ file: table, key: 'code' }] }, ctx);
    expect(inputs.measures.map((m) => m.column)).toEqual(['imd_decile_mean', 'crime_rank_share', 'health_decile_share', 'contacts']);
    const ev = planEvidence(inputs, ctx, [0, 0], ['F1']);
    expect(ev.total).toEqual([400, (1 * 100 + 5 * 300) / 400, 300 / 400, 100 / 400, 40]);
  });

  it('reports the share of residents with a value when a unit has none, and names units a table misses', () => {
    const units = [0, 1, 2, 3].map((i) => squareUnit(i, {}, 100));
    const ctx: EvidenceContext = { units: unitLayer(units), populations: [100, 100, 100, 100], layers: [], skip: ['id', 'population'] };
    const table = file('partial.csv', 'code,imd_decile\nU0,1\nU1,3\nU2,2\nX9,4\n');
    const inputs = loadEvidence({ ...baseConfig, tables: [{ file: table, key: 'code' }] }, ctx);
    expect(inputs.coverage[0]).toMatchObject({ matched: 3, unmatchedUnits: ['U3'], unmatchedRows: 1 });
    expect(inputs.notes.join('\n')).toMatch(/1 of 4 units have no row \(U3\); 1 row\(s\) match no unit; coverage 75\.0%/);
    const ev = planEvidence(inputs, ctx, [0, 0, 1, 1], ['F1', 'F2']);
    const j = ev.columns.findIndex((c) => c.name === 'imd_decile_share');
    expect(ev.rows.map((r) => r[j])).toEqual([0.5, 1]);
    expect(ev.covered.get('imd_decile_share')).toEqual([1, 0.5, 0.75]);
  });

  it('refuses a table matching under half the units, naming them, and bad cells with file, line and column', () => {
    const units = [0, 1, 2, 3].map((i) => squareUnit(i, {}, 100));
    const ctx: EvidenceContext = { units: unitLayer(units), populations: [100, 100, 100, 100], layers: [], skip: ['id', 'population'] };
    const cases: Array<[string, string, RegExp]> = [
      ['low.csv', 'code,x\nU0,1\nE1,2\nE2,3\n', /low\.csv, field "code": column "code" matches only 1 of 4 units \(under 50%\): no row for U1, U2, U3; 2 row\(s\) match no unit/],
      ['text.csv', 'code,x\nU0,1\nU1,lots\nU2,3\nU3,4\n', /text\.csv:3, column "x": "lots" is not a number/],
      ['twice.csv', 'code,x\nU0,1\nU1,2\nU0,3\n', /twice\.csv:4, column "code": unit code "U0" appears twice \(also line 2\)/],
      ['nokey.csv', 'lsoa,x\nU0,1\n', /nokey\.csv: has no column "code"/],
    ];
    for (const [name, text, message] of cases) {
      const path = file(name, text);
      let error: unknown;
      try {
        loadEvidence({ ...baseConfig, tables: [{ file: path, key: 'code', columns: name === 'text.csv' ? { x: null } : undefined }] }, ctx);
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(FootprintError);
      expect((error as FootprintError).exitCode).toBe(2);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('rejects need weights on a mean or an unknown column', () => {
    const units = [squareUnit(0, { score: 3 }, 100)];
    const ctx: EvidenceContext = { units: unitLayer(units), populations: [100], layers: [], skip: ['id', 'population'] };
    expect(() => loadEvidence({ ...baseConfig, mean: ['score'], need: { score_mean: 1 } }, ctx)).toThrow(/"score_mean" is a mean \(a rate\), not a count of people/);
    expect(() => loadEvidence({ ...baseConfig, need: { age_90: 1 } }, ctx)).toThrow(/no count column "age_90"; counts are population, score/);
  });
});

function unitOfPiece(cw: Crosswalk, p: number): number {
  let u = 0;
  while (cw.start[u + 1] <= p) u++;
  return u;
}

describe('evidence: assets as sites', () => {
  const projection = equalAreaProjection(-2.1, 53.55);
  function building(x: number, y: number, w: number, h: number, index: number, properties: Record<string, unknown> = {}): RawFeature {
    const ring = [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]].map(([px, py]) => projection.inverse(px, py));
    return { index, properties, geometry: { type: 'Polygon', coordinates: [ring] } };
  }
  function gap(a: number[], b: number[]): number {
    const dx = Math.max(0, Math.max(a[0], b[0]) - Math.min(a[0] + a[2], b[0] + b[2]));
    const dy = Math.max(0, Math.max(a[1], b[1]) - Math.min(a[1] + a[3], b[1] + b[3]));
    return Math.hypot(dx, dy);
  }

  it('merges buildings within the site distance into one site, transitively, and no others (property)', () => {
    const box = fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 2, max: 40 }), fc.integer({ min: 2, max: 40 }));
    fc.assert(
      fc.property(fc.array(box, { minLength: 1, maxLength: 14 }), fc.integer({ min: 0, max: 60 }), (boxes, d) => {
        // Integer boxes sit whole metres apart: no pair is within a rounding error of d.
        fc.pre(boxes.every((a, i) => boxes.every((b, j) => i === j || Math.abs(gap(a, b) - d) > 1e-3)));
        const features = boxes.map(([x, y, w, h], i) => building(x, y, w, h, i));
        const sites = sitesOf(features, projection, { file: 'b.geojson', siteDistance: d });
        const parent = boxes.map((_, i) => i);
        const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
        boxes.forEach((a, i) => boxes.forEach((b, j) => {
          if (i < j && gap(a, b) <= d) parent[Math.max(find(i), find(j))] = Math.min(find(i), find(j));
        }));
        const expected = new Map<number, number[]>();
        boxes.forEach((_, i) => expected.set(find(i), [...(expected.get(find(i)) ?? []), i]));
        expect(sites.map((s) => s.features)).toEqual([...expected.entries()].sort(([a], [b]) => a - b).map(([, list]) => list));
      }),
      { numRuns: 150 },
    );
  });

  it('merges features sharing the site field, but never merges points by distance', () => {
    const point = (x: number, y: number, index: number, site?: string): RawFeature => ({ index, properties: site ? { site } : {}, geometry: { type: 'Point', coordinates: projection.inverse(x, y) } });
    expect(sitesOf([point(0, 0, 0), point(1, 0, 1)], projection, { file: 'p', siteDistance: 25 })).toHaveLength(2);
    const shared = sitesOf([point(0, 0, 0, 'A'), point(500, 0, 1, 'B'), building(1000, 0, 10, 10, 2, { site: 'A' })], projection, { file: 'p', site: 'site', siteDistance: 25 });
    expect(shared.map((s) => [s.features, s.key])).toEqual([[[0, 2], 'A'], [[1], 'B']]);
    expect(() => sitesOf([{ index: 0, properties: {}, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } }], projection, { file: 'l.geojson', siteDistance: 25 })).toThrow(
      /l\.geojson, feature 0, field "geometry": is a LineString; an asset must be a point or a polygon/,
    );
  });
});

describe('evidence: resources on the bundled example', () => {
  it('a resource per area and a plan equal to those areas give each footprint its area\'s amount; districts are conserved', () => {
    const wardStaff = file('ward-staff.json', JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ ward: `E059${String(i + 1).padStart(5, '0')}`, staff: i + 1 }))));
    const districtStaff = file('district-staff.csv', 'district,staff\nD1,12\nD2,7.5\nD3,9\nD4,11\nD5,4\nD6,6.5\n');
    const config = applyFlags(defaultConfig(fixture('example', 'units.geojson')), {
      layer: [
        ['wards', fixture('example', 'wards.geojson')],
        ['districts', fixture('example', 'districts.geojson')],
      ],
    });
    config.evidence.resources = [
      { name: 'ward_staff', file: wardStaff, layer: 'wards', key: 'ward', amount: 'staff' },
      { name: 'district_staff', file: districtStaff, layer: 'districts', key: 'district', amount: 'staff', need: { population: 1, age_65_plus: 1 } },
    ];
    const workspace = buildWorkspace(config);
    // Wards are unions of whole units: the plan "one footprint per ward".
    const wardIds = workspace.layers[0].crosswalk.areaIds;
    const assignment = workspace.units.areas.map((u) => wardIds.indexOf(String(u.properties.ward)));
    expect(assignment.every((f) => f >= 0)).toBe(true);
    const ev = planEvidence(workspace.evidence, workspace, assignment, wardIds);
    const current = ev.columns.findIndex((c) => c.name === 'ward_staff_current');
    wardIds.forEach((id, f) => expect(ev.rows[f][current]).toBeCloseTo(Number(id.slice(-2)), 9));
    const district = ev.columns.findIndex((c) => c.name === 'district_staff_current');
    const fair = ev.columns.findIndex((c) => c.name === 'district_staff_fair');
    expect(ev.rows.reduce((s, r) => s + r[district]!, 0)).toBeCloseTo(50, 9);
    expect(ev.rows.reduce((s, r) => s + r[fair]!, 0)).toBeCloseTo(50, 9);
    // Names come from the first layer and are unique.
    expect(new Set(ev.names).size).toBe(ev.names.length);
    const csv = evidenceCsv(ev).trim().split('\n');
    expect(csv).toHaveLength(22);
    expect(csv[21]).toMatch(/^total,total,240000,/);
    expect(csv[21]).toMatch(/,210,210,0,50,50,0$/);
  });

  it('refuses a resource table whose keys miss most areas, naming them', () => {
    const bad = file('bad-staff.csv', 'district,staff\nD1,3\nX,4\n');
    const config = applyFlags(defaultConfig(fixture('example', 'units.geojson')), { layer: [['districts', fixture('example', 'districts.geojson')]] });
    config.evidence.resources = [{ name: 'staff', file: bad, layer: 'districts', key: 'district', amount: 'staff' }];
    expect(() => buildWorkspace(config)).toThrow(/bad-staff\.csv, field "district": column "district" matches only 1 of 6 districts areas \(no row for .*D2/);
  });
});
